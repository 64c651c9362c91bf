import { mkdir, open as openFile, readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Low } from 'lowdb'
import { JSONFile } from 'lowdb/node'
import { z } from 'zod'
import { AppError } from '../../shared/errors'
import { Settings, defaultSettings } from '../../shared/schemas'
import { type CollectionName, type Collections, collectionNames, collections } from './collections'
import { migrate, currentSchemaVersion } from './migrations'

export { type CollectionName, type Collections, collectionNames } from './collections'

/**
 * One unit of change: the full new record. Writing whole records (not patches) is what lets a
 * future write-ahead journal replay them idempotently (issue 4).
 */
export type Change =
  | { [K in CollectionName]: { collection: K; value: Collections[K] } }[CollectionName]
  | { collection: 'settings'; value: Settings }

export const DataFile = z.object({
  schemaVersion: z.literal(currentSchemaVersion),
  settings: Settings,
  ...(Object.fromEntries(collectionNames.map((name) => [name, z.array(collections[name].schema).default([])])) as {
    [K in CollectionName]: z.ZodDefault<z.ZodArray<(typeof collections)[K]['schema']>>
  }),
})
export type DataFile = z.infer<typeof DataFile>

export const dataFileName = 'makegood.json'
const lockFileName = 'makegood.lock'

function fresh(): DataFile {
  const empty = Object.fromEntries(collectionNames.map((name) => [name, []])) as unknown as {
    [K in CollectionName]: Collections[K][]
  }
  return { schemaVersion: currentSchemaVersion, settings: defaultSettings(), ...empty }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Folders this process already writes to: a second writer here is refused like any other. */
const heldByThisProcess = new Set<string>()

/** One writer per data folder: a lock file holding the writer's pid; a stale lock is taken over. */
async function acquireLock(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, lockFileName)
  if (heldByThisProcess.has(path)) throw lockedError(process.pid, dir)
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await openFile(path, 'wx')
      await handle.writeFile(String(process.pid))
      await handle.close()
      heldByThisProcess.add(path)
      return async () => {
        heldByThisProcess.delete(path)
        await rm(path, { force: true })
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim())
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isProcessAlive(holder)) {
        throw lockedError(holder, dir)
      }
      await rm(path, { force: true })
    }
  }
  throw lockedError(0, dir)
}

function lockedError(pid: number, dir: string): AppError {
  return new AppError(
    'locked',
    `Another MakeGood (process ${pid}) is already writing to ${dir}. Close it first, or use read-only commands.`,
    { reason: 'store.locked', params: { pid, dir } },
  )
}

export type OpenOptions = { isReadOnly?: boolean }

/**
 * The only code that touches the data files. Services read through it and hand it whole
 * records to commit; how they reach the disk is its business alone.
 */
export class Store {
  readonly dir: string
  readonly isReadOnly: boolean
  private settingsValue: Settings
  private readonly records: { [K in CollectionName]: Map<string, Collections[K]> }
  private readonly db: Low<DataFile>
  private readonly releaseLock: () => Promise<void>
  private queue: Promise<unknown> = Promise.resolve()

  private constructor(dir: string, db: Low<DataFile>, isReadOnly: boolean, releaseLock: () => Promise<void>) {
    this.dir = dir
    this.db = db
    this.isReadOnly = isReadOnly
    this.releaseLock = releaseLock
    this.settingsValue = db.data.settings
    this.records = Object.fromEntries(
      collectionNames.map((name) => [name, new Map(db.data[name].map((r: { id: string }) => [r.id, r]))]),
    ) as unknown as Store['records']
  }

  static async open(dir: string, options: OpenOptions = {}): Promise<Store> {
    const isReadOnly = options.isReadOnly ?? false
    await mkdir(dir, { recursive: true })
    const releaseLock = isReadOnly ? async () => {} : await acquireLock(dir)
    try {
      const path = join(dir, dataFileName)
      const db = new Low<DataFile>(new JSONFile(path), fresh())
      db.data = await loadValidated(path)
      return new Store(dir, db, isReadOnly, releaseLock)
    } catch (error) {
      await releaseLock()
      throw error
    }
  }

  get settings(): Settings {
    return this.settingsValue
  }

  get<K extends CollectionName>(collection: K, id: string): Collections[K] | undefined {
    return this.records[collection].get(id)
  }

  all<K extends CollectionName>(collection: K): IterableIterator<Collections[K]> {
    return this.records[collection].values()
  }

  count(collection: CollectionName): number {
    return this.records[collection].size
  }

  /**
   * Applies whole records and makes them durable before resolving. If the write fails, memory
   * is put back as it was, so a failed operation leaves the stored data exactly as it was.
   */
  commit(changes: Change[]): Promise<void> {
    const run = this.queue.then(() => this.commitNow(changes))
    this.queue = run.catch(() => undefined)
    return run
  }

  private async commitNow(changes: Change[]): Promise<void> {
    if (this.isReadOnly) {
      throw new AppError('read_only', 'This data folder was opened read-only', { reason: 'store.read_only' })
    }
    const undo: (() => void)[] = []
    for (const change of changes) {
      if (change.collection === 'settings') {
        const before = this.settingsValue
        this.settingsValue = Settings.parse(change.value)
        undo.push(() => (this.settingsValue = before))
        continue
      }
      const map = this.records[change.collection] as Map<string, unknown>
      const value = collections[change.collection].schema.parse(change.value) as { id: string }
      const hadBefore = map.has(value.id)
      const before = map.get(value.id)
      map.set(value.id, value)
      undo.push(() => (hadBefore ? map.set(value.id, before) : map.delete(value.id)))
    }
    try {
      this.db.data = this.snapshot()
      await this.db.write()
    } catch (error) {
      for (const revert of undo.reverse()) revert()
      const message = error instanceof Error ? error.message : String(error)
      throw new AppError('storage', `Could not save to ${this.dir}: ${message}`, {
        reason: 'store.write_failed',
        params: { dir: this.dir, error: message },
      })
    }
  }

  snapshot(): DataFile {
    const lists = Object.fromEntries(collectionNames.map((name) => [name, [...this.records[name].values()]]))
    return { schemaVersion: currentSchemaVersion, settings: this.settingsValue, ...lists } as DataFile
  }

  async close(): Promise<void> {
    await this.queue
    await this.releaseLock()
  }
}

/** A file that fails validation is never overwritten: opening stops and says exactly why. */
async function loadValidated(path: string): Promise<DataFile> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fresh()
    throw error
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    throw invalidFile(path, [{ path: '', message: (error as Error).message }])
  }
  const migrated = migrate(raw, path)
  const parsed = DataFile.safeParse(migrated)
  if (!parsed.success) {
    throw invalidFile(
      path,
      parsed.error.issues.slice(0, 20).map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    )
  }
  return parsed.data
}

function invalidFile(path: string, details: { path: string; message: string }[]): AppError {
  const first = details[0]
  const where = first?.path ? ` at ${first.path}` : ''
  return new AppError(
    'storage',
    `The data file ${path} is not valid${where}: ${first?.message ?? 'unknown problem'}. It was left untouched.`,
    { reason: 'store.invalid_file', params: { path }, details },
  )
}
