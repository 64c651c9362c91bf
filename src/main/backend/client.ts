import { type Method } from '../../shared/api'
import { AppError, type Result, toApiError } from '../../shared/core/errors'
import { logger } from '../log/logger'
import { type Channel, FromBackend, type Notice, type ToBackend } from './protocol'

type Waiting = (result: Result<unknown>) => void

/**
 * The main process's side of the backend: starts it on a data folder, forwards contract calls
 * and hands its notices on. If the backend process dies, every waiting call gets a typed error
 * instead of hanging the window.
 */
export class BackendClient {
  private nextId = 1
  private readonly waiting = new Map<number, Waiting>()
  private readonly started: Promise<void>
  private resolveStart: () => void = () => undefined
  private rejectStart: (error: Error) => void = () => undefined
  private resolveClosed: () => void = () => undefined
  private readonly closed: Promise<void>
  private hasExited = false

  constructor(
    private readonly channel: Channel<ToBackend, unknown>,
    private readonly onNotices: (notices: Notice[]) => void = () => undefined,
  ) {
    this.started = new Promise((resolve, reject) => {
      this.resolveStart = resolve
      this.rejectStart = reject
    })
    // The window reports a failed start to the person (start() returns this promise); the log
    // keeps it too, and a start nobody awaited must not become an unhandled rejection.
    this.started.catch((error: unknown) => logger.error('backend.start_failed', error))
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve))
    channel.onMessage((raw) => this.receive(raw))
  }

  /** Opens the data folder in the backend; rejects with the backend's reason (locked, damaged, too new). */
  start(
    dataDir: string,
    systemLanguage: string,
    db?: { url: string; source: 'environment' | 'remembered' },
  ): Promise<void> {
    this.channel.send({ type: 'start', dataDir, systemLanguage, ...(db ? { db: db.url, dbSource: db.source } : {}) })
    return this.started
  }

  call(method: Method, input: unknown): Promise<Result<unknown>> {
    if (this.hasExited) return Promise.resolve({ ok: false, error: stoppedError() })
    const id = this.nextId++
    return new Promise((resolve) => {
      this.waiting.set(id, resolve)
      this.channel.send({ type: 'call', id, method, input })
    })
  }

  /** Asks the backend to close the store (final checkpoint) and exit; resolves when it has. */
  close(): Promise<void> {
    if (!this.hasExited) this.channel.send({ type: 'close' })
    return this.closed
  }

  /** Call when the backend process has exited, for whatever reason. */
  exited(): void {
    this.hasExited = true
    this.rejectStart(new Error('The MakeGood data service stopped before it opened the data folder'))
    for (const resolve of this.waiting.values()) resolve({ ok: false, error: stoppedError() })
    this.waiting.clear()
    this.resolveClosed()
  }

  private receive(raw: unknown): void {
    const parsed = FromBackend.safeParse(raw)
    if (!parsed.success) return
    const message = parsed.data
    switch (message.type) {
      case 'ready':
        this.resolveStart()
        return
      case 'failed':
        this.rejectStart(new Error(message.message))
        return
      case 'reply': {
        const resolve = this.waiting.get(message.id)
        this.waiting.delete(message.id)
        resolve?.(message.result as Result<unknown>)
        return
      }
      case 'notify':
        this.onNotices(message.notices)
        return
      case 'closed':
        this.resolveClosed()
        return
    }
  }
}

function stoppedError() {
  return toApiError(
    new AppError('storage', 'The MakeGood data service stopped. Restart MakeGood; everything saved is kept.', {
      reason: 'store.backend_stopped',
    }),
  )
}
