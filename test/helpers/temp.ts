import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach } from 'vitest'
import { type ServiceContext } from '../../src/main/services/context'
import { type StoreEngine } from '../../src/main/store/postgres/engine'
import { PgStore } from '../../src/main/store/postgres/pgStore'
import { teamInit } from '../../src/main/store/postgres/team'
import { Store } from '../../src/main/store/store'
import { freshTeamDatabase } from './pg'

const cleanups: (() => Promise<void>)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/**
 * The storage engine the services' tests run on: the data folder (the default) or, with
 * MAKEGOOD_TEST_ENGINE=team (the `team-engine` vitest project), a fresh team database on the
 * run's throwaway PostgreSQL cluster. The same tests, the same expectations, on both.
 */
export const engine: 'folder' | 'team' = process.env.MAKEGOOD_TEST_ENGINE === 'team' ? 'team' : 'folder'

/** The person `team init` binds to the owner login of each test's team database. */
export const teamOwnerName = 'Anna Owner'

/**
 * Who is named on what a test does without naming anyone working: "Me" on a data folder whose
 * "Working as" is empty; on the team database always the login's person.
 */
export const unnamedActor = engine === 'folder' ? 'Me' : teamOwnerName

/**
 * A copy of a data folder as a crash would leave it (a copy taken while the store is open): files
 * and their modification times to the nanosecond, as the store compares them to trust a shard it
 * wrote. Node's own copy and `utimes` round the times, so every shard would read as changed
 * outside MakeGood; coreutils' `cp -a` keeps them.
 */
export async function crashCopy(from: string): Promise<string> {
  const to = await tempDir()
  await promisify(execFile)('cp', ['-a', `${from}/.`, to])
  return to
}

/** A fresh real folder on disk, removed after the test. */
export async function tempDir(prefix = 'makegood-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  cleanups.push(() => rm(dir, { recursive: true, force: true }))
  return dir
}

export type TestContext = ServiceContext & {
  store: StoreEngine
  setNow: (iso: string) => void
  /** Closes the store and opens the same data again on the same engine (what a restart reads back). */
  reopen: (options?: { isReadOnly?: boolean }) => Promise<StoreEngine>
  /** Opens the same data a second time beside the open store: a reader of the folder, another desk. */
  openAgain: (options?: { isReadOnly?: boolean }) => Promise<StoreEngine>
}

/** The data folder's own Store, for a test that inherently checks the folder (journal, checkpoints). */
export function folderStore(store: StoreEngine): Store {
  if (!(store instanceof Store))
    throw new Error('This test checks the data folder on disk: run it on the folder engine')
  return store
}

/**
 * A real store with a clock the test controls: a real data folder at `dir`, or (team engine) a
 * real team database with `dir` as the desk's local folder for its own files (backups, exports).
 * `user` is the person working: the folder's "Working as", or the team owner's name.
 */
export async function openContext(
  dir: string,
  options: { now?: string; isReadOnly?: boolean; user?: string } = {},
): Promise<TestContext> {
  const isReadOnly = options.isReadOnly ?? false
  let open: (isReadOnly: boolean) => Promise<StoreEngine>
  if (engine === 'team') {
    const { url } = await freshTeamDatabase()
    await teamInit(url, options.user ?? teamOwnerName)
    open = (readOnly) => PgStore.open(url, { isReadOnly: readOnly })
  } else {
    open = (readOnly) => Store.open(dir, { isReadOnly: readOnly })
  }
  const track = async (readOnly: boolean) => {
    const opened = await open(readOnly)
    cleanups.push(() => opened.close())
    return opened
  }
  // "Working as" on the folder is a setting; on the team database it is the login's person.
  if (engine === 'folder' && options.user !== undefined && !isReadOnly) {
    const folder = await Store.open(dir)
    await folder.commit([{ collection: 'settings', value: { ...folder.settings, currentUser: options.user } }])
    await folder.close()
  }
  const store = await track(isReadOnly)
  let now = new Date(options.now ?? '2026-11-23T10:00:00.000Z')
  return {
    store,
    now: () => now,
    setNow: (iso) => (now = new Date(iso)),
    ...(engine === 'team' ? { filesDir: dir } : {}),
    reopen: async (reopenOptions = {}) => {
      await store.close()
      return track(reopenOptions.isReadOnly ?? false)
    },
    openAgain: (againOptions = {}) => track(againOptions.isReadOnly ?? false),
  }
}
