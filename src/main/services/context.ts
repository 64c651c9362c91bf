import { type SweepChange } from '../../shared/escalations/escalation'
import { type Actor } from '../../shared/cases/recovery'
import { type Alerts } from '../runtime/alerts'
import { type StoreEngine } from '../store/postgres/engine'
import { type Session, permissionsOf } from '../../shared/team/contract'
import { type ConnectInput, type TeamDatabaseStatus } from '../../shared/teamDatabase/contract'

/** What a host that can switch stores offers its services (see teamDatabase/desk.ts). */
export type DeskControl = {
  status(): TeamDatabaseStatus
  connect(input: ConnectInput): Promise<TeamDatabaseStatus>
  disconnect(): Promise<TeamDatabaseStatus>
}

/** What every service function receives: the store, and the clock (fixed in tests, `--now`). */
export type ServiceContext = {
  /** The data folder's Store, or the team database's PgStore: the services see the same interface. */
  store: StoreEngine
  now: () => Date
  /** Told about every committed sweep (the desktop app turns new escalations into notifications). */
  onSweep?: (changes: SweepChange[]) => void
  /** Background failures a person must act on (set by the desktop backend and `serve`). */
  alerts?: Alerts
  /**
   * The folder for this desk's own files (backups, the log) when the store is the team database,
   * whose `dir` is a URL: the local data folder. Unset, it is the store's `dir`.
   */
  filesDir?: string
  /** The desk this context runs in, when its host can switch stores (the app and `serve`, not the CLI). */
  desk?: DeskControl
}

export function filesDirOf(ctx: ServiceContext): string {
  return ctx.filesDir ?? ctx.store.dir
}

export function actorOf(ctx: ServiceContext): Actor {
  return { by: ctx.store.settings.currentUser || 'Me', at: ctx.now().toISOString() }
}

/** Who is working and what they may do: the team login's person, or the data folder's one user. */
export function sessionOf(ctx: ServiceContext): Session {
  return (
    ctx.store.session ?? {
      isTeam: false,
      login: null,
      name: ctx.store.settings.currentUser,
      role: null,
      permissions: permissionsOf(null),
      superiors: [],
    }
  )
}

export function newId(): string {
  return crypto.randomUUID()
}
