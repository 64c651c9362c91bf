import { toApiError } from '../../shared/core/errors'
import { dispatch } from '../services'
import { scheduleDailyBackups } from '../services/storage/backups'
import { warmCaseSearch } from '../services/cases/cases'
import { type ServiceContext } from '../services/context'
import { sweepEscalations } from '../services/escalations/escalations'
import { Store } from '../store/store'
import { escalationNotices, monthlyExportNotices, promiseReminders } from './notices'
import { type Channel, type FromBackend, type Notice, ToBackend } from './protocol'

const minuteMs = 60_000

/**
 * The desktop app's backend: the store, every service and every timer, in a process of its
 * own (Electron's utilityProcess), so parsing years of history, checkpoints and sweeps never
 * stall the process that serves the window. It answers `call`s with the same `dispatch` the
 * HTTP host uses, and sends notices for the main process to show.
 */
export function runBackend(channel: Channel<FromBackend, unknown>, exit: () => void): void {
  let started: Promise<{ ctx: ServiceContext; stop: () => void } | undefined> | undefined
  const send = (message: FromBackend) => channel.send(message)
  const announce = (notices: Notice[]) => {
    if (notices.length > 0) send({ type: 'notify', notices })
  }

  async function start(dataDir: string, systemLanguage: string) {
    let store: Store
    try {
      store = await Store.open(dataDir, { isLazy: true })
    } catch (error) {
      send({ type: 'failed', message: error instanceof Error ? error.message : String(error) })
      return undefined
    }
    const ctx: ServiceContext = {
      store,
      now: () => new Date(),
      onSweep: (changes) => void escalationNotices(ctx, changes, systemLanguage).then(announce, () => undefined),
    }
    send({ type: 'ready' })
    // The first search should be as quick as the next: prepare its text once history has loaded.
    void store.whenFullyLoaded().then(
      () => warmCaseSearch(ctx),
      () => undefined,
    )
    // A failed automatic backup must not stop the app; Settings shows the latest backup's date.
    const stopBackups = scheduleDailyBackups(ctx, () => undefined)
    const reminders = promiseReminders(ctx, systemLanguage)
    const everyMinute = async () => announce(await reminders().catch(() => []))
    const everyHour = async () => announce(await monthlyExportNotices(ctx))
    // Patterns are looked for at start, after every change that matters (dispatch), and every
    // 15 minutes, since time alone moves windows and quiet periods on.
    const sweep = () => sweepEscalations(ctx).catch(() => undefined)
    void store.whenFullyLoaded().then(
      async () => {
        await sweep()
        await everyMinute()
        await everyHour()
      },
      () => undefined,
    )
    const timers = [
      setInterval(() => void everyMinute(), minuteMs),
      setInterval(() => void everyHour(), 60 * minuteMs),
      setInterval(() => void sweep(), 15 * minuteMs),
    ]
    const stop = () => {
      stopBackups()
      for (const timer of timers) clearInterval(timer)
    }
    return { ctx, stop }
  }

  async function close() {
    const running = await started?.catch(() => undefined)
    running?.stop()
    await running?.ctx.store.close().catch(() => undefined)
    send({ type: 'closed' })
    exit()
  }

  channel.onMessage((raw) => {
    const parsed = ToBackend.safeParse(raw)
    if (!parsed.success) return
    const message = parsed.data
    if (message.type === 'start') {
      started ??= start(message.dataDir, message.systemLanguage)
      return
    }
    if (message.type === 'close') {
      void close()
      return
    }
    const { id, method, input } = message
    void (async () => {
      const running = await started
      const result = running
        ? await dispatch(running.ctx, method, input)
        : { ok: false as const, error: toApiError(new Error('The data folder is not open')) }
      send({ type: 'reply', id, result })
    })()
  })
}
