import { type SweepChange, noticesFor } from '../../shared/escalations/escalation'
import { escalationTitle } from '../../shared/escalations/escalationText'
import { createI18n, resolveLocale } from '../../shared/core/i18n/i18n'
import { type BackgroundAlert } from '../../shared/api'
import { type Locale } from '../../shared/schemas'
import { promiseWhat } from '../../shared/promises/promiseLabels'
import { promisesToNotify } from '../../shared/promises/promises'
import { type ServiceContext } from '../services/context'
import { subjectNames } from '../services/escalations/escalations'
import { reportLocale, translatorFor } from '../services/reports/reports'
import { type Notice } from './protocol'
import { openPromises } from '../services/promises/oldPromises'

/**
 * What the app announces, decided and translated here, in the backend process (or `serve`); the
 * main process only shows each notice. Which items deserve one is decided in src/shared.
 */

function localeOf(ctx: ServiceContext, systemLanguage: string): Locale {
  const setting = ctx.store.settings.language
  return setting === 'auto' ? resolveLocale(systemLanguage) : setting
}

/** A notice for each escalation raised or come back (a "many" summary past three). */
export async function escalationNotices(
  ctx: ServiceContext,
  changes: readonly SweepChange[],
  systemLanguage: string,
): Promise<Notice[]> {
  const notices = noticesFor(changes)
  if (notices.length === 0) return []
  const i18n = await createI18n(localeOf(ctx, systemLanguage))
  const t = i18n.t.bind(i18n)
  const out: Notice[] = []
  for (const notice of notices) {
    if (notice.kind === 'many') {
      out.push({ title: t('escalations:notification.many', { count: notice.count }), body: '' })
      continue
    }
    const escalation = changes.find((c) => c.escalation.id === notice.escalationId)?.escalation
    if (!escalation) continue
    const body = escalationTitle(t, ctx.store.settings.categories, { ...escalation, ...subjectNames(ctx, escalation) })
    out.push({ title: t(`escalations:notification.${notice.kind}`), body })
  }
  return out
}

/**
 * Promise reminders: at start for the overdue ones, then (each call) for those due within the
 * hour, each promise once. The setting `promises.isNotifying` turns them off.
 */
export function promiseReminders(ctx: ServiceContext, systemLanguage: string): () => Promise<Notice[]> {
  const notified = new Set<string>()
  let isStartup = true
  return async () => {
    const settings = ctx.store.settings
    const due = promisesToNotify(openPromises(ctx.store), ctx.now(), {
      isEnabled: settings.promises.isNotifying,
      isStartup,
      alreadyNotified: notified,
    })
    isStartup = false
    if (due.length === 0) return []
    const locale = localeOf(ctx, systemLanguage)
    const i18n = await createI18n(locale)
    const t = i18n.t.bind(i18n)
    const out: Notice[] = []
    for (const notice of due) {
      notified.add(notice.key)
      const p = ctx.store.peek('promises', notice.promiseId)
      if (!p) continue
      const customer = p.customerId ? (ctx.store.get('customers', p.customerId)?.name ?? '') : ''
      out.push({
        title: t(notice.kind === 'overdue' ? 'promises:notify.overdueTitle' : 'promises:notify.dueSoonTitle'),
        body: t('promises:notify.body', {
          customer,
          what: promiseWhat(t, p, settings.promises.guarantees),
          when: new Date(p.dueAt).toLocaleString(locale),
        }),
      })
    }
    return out
  }
}

/** Where last month's report was written by the optional monthly export. */
export async function monthlyExportNotice(
  ctx: ServiceContext,
  result: { month: string; paths: string[] },
): Promise<Notice> {
  const t = await translatorFor(reportLocale(ctx))
  const path = result.paths.length === 1 ? (result.paths[0] as string) : ctx.store.settings.reports.autoExport.folder
  return {
    title: t('report:screen.notification.title'),
    body: t('report:screen.notification.body', { month: result.month, path }),
  }
}

/** A background failure a person must act on: what failed, why, and what to check. */
export async function alertNotice(
  ctx: ServiceContext,
  systemLanguage: string,
  alert: Pick<BackgroundAlert, 'kind' | 'message'>,
): Promise<Notice> {
  const i18n = await createI18n(localeOf(ctx, systemLanguage))
  return {
    title: i18n.t(`common:alerts.${alert.kind}.title`),
    body: i18n.t(`common:alerts.${alert.kind}.body`, { message: alert.message }),
  }
}

/** Damaged files were set aside when the data folder was read. */
export async function damageNotice(
  ctx: ServiceContext,
  systemLanguage: string,
  problems: readonly { file: string }[],
): Promise<Notice> {
  const i18n = await createI18n(localeOf(ctx, systemLanguage))
  const file = problems[0]?.file.split(/[\\/]/).pop() ?? ''
  return {
    title: i18n.t('common:alerts.damage.title'),
    body: i18n.t('common:alerts.damage.body', { count: problems.length, file }),
  }
}
