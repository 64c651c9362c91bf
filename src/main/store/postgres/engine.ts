import { type Settings } from '../../../shared/schemas'
import { type Session } from '../../../shared/team/contract'
import { type Store } from '../store'

/**
 * What the services, hosts and runtime use of a store: the data folder's `Store` and the team
 * database's `PgStore` both have it, so every service runs unchanged on either engine.
 */
export type StoreEngine = Pick<
  Store,
  | 'dir'
  | 'isReadOnly'
  | 'settings'
  | 'get'
  | 'getInMemory'
  | 'peek'
  | 'all'
  | 'allInMemory'
  | 'allFrom'
  | 'listsOnDisk'
  | 'count'
  | 'revision'
  | 'problems'
  | 'newProblems'
  | 'refreshProblems'
  | 'dismissProblem'
  | 'isFullyLoaded'
  | 'whenFullyLoaded'
  | 'commit'
  | 'dataSet'
  | 'replaceAll'
  | 'close'
  | 'watch'
  | 'blobs'
> & {
  /** Team mode only: the person bound to the login this desk connected with. */
  readonly session?: Session
  /** Team mode only: the signed-in person's own language, kept with their person record. */
  setOwnLanguage?(language: Settings['language']): Promise<void>
}
