import { type CollectionName } from './collections'
import { type StoreEngine } from './postgres/engine'
import { type Connection } from './postgres/pgStore'

/** What the team engine adds for background work: team-wide locks (see PgStore.exclusive). */
type TeamJobs = {
  exclusive<T>(
    job: string,
    work: () => Promise<T>,
    options: { wait: boolean; catchUp?: CollectionName[] },
  ): Promise<T | undefined>
  isJobsDesk(): Promise<boolean>
  isCurrent(collection: CollectionName, ids: readonly string[]): Promise<boolean>
  readonly connection: Connection
}

function teamJobsOf(store: StoreEngine): TeamJobs | undefined {
  return 'exclusive' in store && 'isJobsDesk' in store ? (store as unknown as TeamJobs) : undefined
}

/** Whether the store is the team database, where other desks write too. */
export const isShared = (store: StoreEngine): boolean => teamJobsOf(store) !== undefined

/** Whether the database answers now (always for a data folder): the connection is not being re-made. */
export const isReachable = (store: StoreEngine): boolean => teamJobsOf(store)?.connection !== 'reconnecting'

/**
 * Whether this desk's copies of these records are the stored ones (none changed, added or
 * removed at another desk): one read by id, no lock. Always true for a data folder.
 */
export async function isCurrent(
  store: StoreEngine,
  collection: CollectionName,
  ids: readonly string[],
): Promise<boolean> {
  const team = teamJobsOf(store)
  return team ? team.isCurrent(collection, ids) : true
}

/**
 * Runs `work` as the only desk of the team doing it: on the team database, under the advisory
 * lock named `job` (waiting for it), after reading again what the last holder wrote to
 * `catchUp`. A data folder has one writer: the work just runs.
 */
export async function onlyHere<T>(
  store: StoreEngine,
  job: string,
  catchUp: CollectionName[],
  work: () => Promise<T>,
): Promise<T> {
  const team = teamJobsOf(store)
  if (!team) return work()
  return (await team.exclusive(job, work, { wait: true, catchUp })) as T
}

/**
 * Whether this desk runs the timed jobs (reminders, backups, the monthly export, the timed
 * sweep): always for a data folder; on the team database only the one desk holding the team's
 * jobs lock, so four open desks do each job once.
 */
export async function isJobsDesk(store: StoreEngine): Promise<boolean> {
  const team = teamJobsOf(store)
  return team ? team.isJobsDesk() : true
}
