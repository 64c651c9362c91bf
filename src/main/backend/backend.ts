import { toApiError } from '../../shared/core/errors'
import { fileSink, logger, stderrSink } from '../log/logger'
import { Store } from '../store/store'
import { type StoreEngine } from '../store/postgres/engine'
import { Desk } from '../teamDatabase/desk'
import { type Channel, type FromBackend, type Notice, ToBackend } from './protocol'

/**
 * The desktop app's backend: the store, every service and every timer, in a process of its
 * own (Electron's utilityProcess), so parsing years of history, checkpoints and sweeps never
 * stall the process that serves the window. It answers `call`s with the same `dispatch` the
 * HTTP host uses, and sends notices for the main process to show.
 */
export function runBackend(channel: Channel<FromBackend, unknown>, exit: () => void): void {
  let started: Promise<Desk | undefined> | undefined
  const send = (message: FromBackend) => channel.send(message)
  const announce = (notices: Notice[]) => {
    if (notices.length > 0) send({ type: 'notify', notices })
  }

  async function start(
    dataDir: string,
    systemLanguage: string,
    db: string | undefined,
    dbSource: 'environment' | 'remembered',
  ) {
    let store: StoreEngine
    const openFolder = () => Store.open(dataDir, { isLazy: true })
    try {
      store = db
        ? await (await import('../store/postgres/pgStore')).PgStore.open(db, { isLazy: true, monthsFolder: dataDir })
        : await openFolder()
    } catch (error) {
      send({ type: 'failed', message: error instanceof Error ? error.message : String(error) })
      return undefined
    }
    // Background failures go to the data folder's log as well: nobody reads a utility process's stderr.
    logger.setSinks([stderrSink, fileSink(dataDir)])
    // Settings → Team database switches the store here; the main process keeps the password.
    const desk = new Desk(
      { folder: dataDir, openFolder, now: () => new Date(), systemLanguage, announce, connectMemory: 'this_session' },
      store,
      db ? { url: db, memory: dbSource } : null,
    )
    send({ type: 'ready' })
    void desk.start()
    return desk
  }

  async function close() {
    const desk = await started
    await desk?.close()
    send({ type: 'closed' })
    exit()
  }

  channel.onMessage((raw) => {
    const parsed = ToBackend.safeParse(raw)
    if (!parsed.success) return
    const message = parsed.data
    if (message.type === 'start') {
      started ??= start(message.dataDir, message.systemLanguage, message.db, message.dbSource ?? 'environment')
      return
    }
    if (message.type === 'close') {
      void close()
      return
    }
    const { id, method, input } = message
    void (async () => {
      const desk = await started
      const result = desk
        ? await desk.dispatch(method, input)
        : { ok: false as const, error: toApiError(new Error('The data folder is not open')) }
      send({ type: 'reply', id, result })
    })().catch((error: unknown) => logger.error('backend.reply_failed', error))
  })
}
