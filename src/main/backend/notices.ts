import { type SweepChange, noticesFor } from '../../shared/escalations/escalation'
import { escalationTitle } from '../../shared/escalations/escalationText'
import { createI18n, resolveLocale } from '../../shared/core/i18n/i18n'
import { type Locale } from '../../shared/schemas'
import { promiseWhat } from '../../shared/promises/promiseLabels'
import { promisesToNotify } from '../../shared/promises/promises'
import { type ServiceContext } from '../services/context'
import { autoExportIfDue, reportLocale, translatorFor } from '../services/reports/reports'
import { type Notice } from './protocol'

/**
 * What the desktop app announces, decided and translated here, in the backend process; the
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
    const customerName = escalation.subject.customerId
      ? ctx.store.get('customers', escalation.subject.customerId)?.name
      : undefined
    const caseNumber = escalation.subject.caseId ? ctx.store.get('cases', escalation.subject.caseId)?.number : undefined
    const body = escalationTitle(t, escalation, {
      category: (id) =>
        ctx.store.settings.categories.find((c) => c.id === id)?.label ??
        t(`cases:category.${id}`, { defaultValue: id }),
      ...(customerName ? { customerName } : {}),
      ...(caseNumber ? { caseNumber } : {}),
    })
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
    const due = promisesToNotify(ctx.store.all('promises'), ctx.now(), {
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
      const p = ctx.store.get('promises', notice.promiseId)
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

/**
 * The optional monthly export: writes last month's report once it is due, and says where. A
 * missing or read-only folder must not stop the app: the user hears why, and it retries later.
 */
export async function monthlyExportNotices(ctx: ServiceContext): Promise<Notice[]> {
  try {
    const result = await autoExportIfDue(ctx)
    if (!result) return []
    const t = await translatorFor(reportLocale(ctx))
    const path = result.paths.length === 1 ? (result.paths[0] as string) : ctx.store.settings.reports.autoExport.folder
    return [
      {
        title: t('report:screen.notification.title'),
        body: t('report:screen.notification.body', { month: result.month, path }),
      },
    ]
  } catch (error) {
    return [{ title: 'MakeGood', body: error instanceof Error ? error.message : String(error) }]
  }
}
