import { type Method, type MethodOutput } from '../../shared/api'
import { type Result } from '../../shared/core/errors'
import { type ConnectInput, type Memory, type TeamDatabaseStatus } from '../../shared/teamDatabase/contract'
import { logger } from '../log/logger'
import { type Notice } from '../backend/protocol'
import { type Runtime, type Scheduler, createRuntime } from '../runtime/runtime'
import { dispatch } from '../services'
import { type DeskControl, type ServiceContext, sessionOf } from '../services/context'
import { closeLiveHub } from '../services/live/live'
import { type StoreEngine } from '../store/postgres/engine'
import { urlParts, withPassword } from './url'

export type DeskOptions = {
  /** This desk's data folder: the store without a team database, its own files (log, backups) with one. */
  folder: string
  openFolder: () => Promise<StoreEngine>
  now: () => Date
  systemLanguage: string
  announce: (notices: Notice[]) => void
  /** What a connect made here is remembered as: the desktop app keeps it (see electron/main.ts), `serve` does not. */
  connectMemory: Memory
  scheduler?: Scheduler
}

/** The team database the desk is on, as a URL without the password, and how it came to be on it. */
type OnTeam = { url: string; memory: Memory }

/** The methods that switch the store: they run outside the count of calls a switch waits for. */
const switching = new Set<Method>(['teamDatabase:connect', 'teamDatabase:disconnect'])

/**
 * One desk's store and runtime, and the one way to change them: Settings → Team database. Both
 * hosts (the desktop backend and `serve`) send every call through `dispatch` here, so a switch
 * waits for the calls under way, holds new ones until it is done, and only then closes the old
 * store: nothing acknowledged is lost, and a connect that fails leaves the desk as it was.
 */
export class Desk implements DeskControl {
  private runtime: Runtime
  private team: OnTeam | null
  private readonly calls = new Set<Promise<unknown>>()
  /** Set while a switch closes the old store: calls wait for it instead of reaching a closed store. */
  private gate: Promise<void> | undefined
  /** Connects and disconnects run one after another. */
  private chain: Promise<unknown> = Promise.resolve()
  private isClosed = false
  private started: Promise<void> = Promise.resolve()

  constructor(
    private readonly options: DeskOptions,
    store: StoreEngine,
    team: OnTeam | null,
  ) {
    this.team = team ? { ...team, url: urlParts(team.url).url } : null
    this.runtime = this.runtimeOn(store)
  }

  get ctx(): ServiceContext {
    return this.runtime.ctx
  }

  /** Runs the new runtime's start-up round (see Runtime.start). */
  start(): Promise<void> {
    this.started = this.runtime.start()
    return this.started
  }

  /** Resolves once the current runtime's start-up round (backup, sweep, reminders) is done. */
  whenStarted(): Promise<void> {
    return this.started
  }

  async dispatch<M extends Method>(method: M, input: unknown): Promise<Result<MethodOutput<M>>> {
    while (this.gate) await this.gate
    if (switching.has(method)) return dispatch(this.ctx, method, input)
    const call = dispatch(this.ctx, method, input)
    this.calls.add(call)
    try {
      return await call
    } finally {
      this.calls.delete(call)
    }
  }

  status(): TeamDatabaseStatus {
    const session = sessionOf(this.ctx)
    const team = this.team
    return {
      engine: team ? 'team' : 'folder',
      folder: this.options.folder,
      team: team ? { ...urlParts(team.url), name: session.name, role: session.role } : null,
      memory: team?.memory ?? null,
      canSwitch: true,
    }
  }

  /** Tests first; only a passing test opens the team database, and only an opened one replaces the store. */
  connect(input: ConnectInput): Promise<TeamDatabaseStatus> {
    return this.serially(async () => {
      const { refusal, testTeamDatabase } = await import('./probe')
      const found = await testTeamDatabase(input)
      if (!found.isReady) throw refusal(found)
      // Loaded only here: a desk that never connects never loads the PostgreSQL client.
      const { PgStore } = await import('../store/postgres/pgStore')
      // Lazy as at start: the screens answer once the newest months are in, the rest follow.
      const store = await PgStore.open(withPassword(input.url, input.password), {
        isLazy: true,
        monthsFolder: this.options.folder,
      })
      await this.switchTo(store, { url: input.url, memory: this.options.connectMemory })
      logger.info('team_database.connected', urlParts(input.url).url)
      return this.status()
    })
  }

  /** Back to this desk's data folder; if it cannot be opened (locked by another program), the desk stays. */
  disconnect(): Promise<TeamDatabaseStatus> {
    return this.serially(async () => {
      if (!this.team) return this.status()
      const store = await this.options.openFolder()
      await this.switchTo(store, null)
      logger.info('team_database.disconnected', this.options.folder)
      return this.status()
    })
  }

  /** Stops the timers and closes the store (the app or `serve` is stopping). */
  async close(): Promise<void> {
    if (this.isClosed) return
    this.isClosed = true
    await this.chain.catch(() => undefined)
    this.runtime.stop()
    await this.runtime.whenIdle()
    closeLiveHub(this.ctx.store)
    await this.ctx.store.close().catch((error: unknown) => logger.error('store.close_failed', error))
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(async () => {
      if (this.isClosed) throw new Error('This desk is closing')
      return work()
    })
    this.chain = next.catch(() => undefined)
    return next
  }

  private async switchTo(store: StoreEngine, team: OnTeam | null): Promise<void> {
    const old = this.runtime
    let open = () => undefined as void
    this.gate = new Promise<void>((resolve) => (open = resolve))
    try {
      old.stop()
      // Windows waiting for live changes are answered now: they ask again, and reach the new store.
      closeLiveHub(old.ctx.store)
      await old.whenIdle()
      await Promise.allSettled([...this.calls])
      // A store still loading older months is closed once it has finished (or failed) loading.
      await old.ctx.store.whenFullyLoaded().catch(() => undefined)
      // Everything acknowledged is already written (the folder's journal, the database's commits):
      // a failed close is logged, and the switch goes on.
      await old.ctx.store.close().catch((error: unknown) => logger.error('store.close_failed', error))
      this.team = team ? { ...team, url: urlParts(team.url).url } : null
      this.runtime = this.runtimeOn(store)
    } finally {
      this.gate = undefined
      open()
    }
    void this.start()
  }

  private runtimeOn(store: StoreEngine): Runtime {
    const { now, systemLanguage, announce, scheduler, folder } = this.options
    return createRuntime({
      store,
      now,
      systemLanguage,
      announce,
      filesDir: folder,
      desk: this,
      ...(scheduler ? { scheduler } : {}),
    })
  }
}
