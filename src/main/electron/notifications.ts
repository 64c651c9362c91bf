import { Notification } from 'electron'
import { createI18n, resolveLocale } from '../../shared/i18n/i18n'
import { promiseWhat } from '../../shared/promise-labels'
import { promisesToNotify } from '../../shared/promises'
import { type ServiceContext } from '../services/context'

const everyMinute = 60_000

/**
 * Desktop notifications for promises: at start for the overdue ones, then each minute for those
 * due within the hour. Which promises to announce is decided by `promisesToNotify` (pure, tested);
 * this only shows them. The setting `promises.isNotifying` turns them off. Returns a stop function.
 */
export function startPromiseNotifications(ctx: ServiceContext, systemLanguage: string): () => void {
  const notified = new Set<string>()
  let isStartup = true

  async function check(): Promise<void> {
    const settings = ctx.store.settings
    if (!Notification.isSupported()) return
    const notices = promisesToNotify(ctx.store.all('promises'), ctx.now(), {
      isEnabled: settings.promises.isNotifying,
      isStartup,
      alreadyNotified: notified,
    })
    isStartup = false
    if (notices.length === 0) return
    const locale = settings.language === 'auto' ? resolveLocale(systemLanguage) : settings.language
    const i18n = await createI18n(locale)
    const t = i18n.t.bind(i18n)
    for (const notice of notices) {
      notified.add(notice.key)
      const p = ctx.store.get('promises', notice.promiseId)
      if (!p) continue
      const customer = p.customerId ? (ctx.store.get('customers', p.customerId)?.name ?? '') : ''
      new Notification({
        title: t(notice.kind === 'overdue' ? 'promises:notify.overdueTitle' : 'promises:notify.dueSoonTitle'),
        body: t('promises:notify.body', {
          customer,
          what: promiseWhat(t, p, settings.promises.guarantees),
          when: new Date(p.dueAt).toLocaleString(locale),
        }),
      }).show()
    }
  }

  void check()
  const timer = setInterval(() => void check(), everyMinute)
  return () => clearInterval(timer)
}
