import { chmod, copyFile, mkdir, open as openFile, readFile, readdir, rename, rm, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { Low } from 'lowdb'
import { z } from 'zod'
import { AppError, parseUnknown } from '../../shared/core/errors'
import { own } from '../../shared/core/own'
import { Settings, defaultSettings } from '../../shared/schemas'
import { backupNamePattern } from '../../shared/storage/storage'
import { logger } from '../log/logger'
import { type CollectionName, type Collections, collectionNames, collections } from './collections'
import { DurableJSONFile, fsyncDir, sha1, writeFileDurable } from './durable'
import { type ChangeCheck, JournalWriter, deleteSegmentsBefore, readJournal } from './journal'
import { acquireLock } from './lock'
import { currentSchemaVersion, migrate, newerVersionError, versionOf } from './migrations'

export { type CollectionName, type Collections, collectionNames } from './collections'

/** One unit of change: the full new record, so the journal can replay it idempotently. */
export type Change =
  | { [K in CollectionName]: { collection: K; value: Collections[K] } }[CollectionName]
  | { collection: 'settings'; value: Settings }

/** What `snapshot()` returns: every record kind as a list sorted by id. */
export const DataFile = z.object({
  schemaVersion: z.literal(currentSchemaVersion),
  settings: Settings,
  ...(Object.fromEntries(collectionNames.map((name) => [name, z.array(collections[name].schema).default([])])) as {
    [K in CollectionName]: z.ZodDefault<z.ZodArray<(typeof collections)[K]['schema']>>
  }),
})
export type DataFile = z.infer<typeof DataFile>

/** The logical data set (export files, backups, migrations): kind name → records. */
export type DataSet = {
  schemaVersion: number
  settings: Settings
  collections: Record<string, { id: string }[]>
}

/** The single file of schema version 1; opening a folder that has it migrates it to shards. */
export const dataFileName = 'makegood.json'
const dataDirName = 'data'
const monthsDirName = 'months'
const journalDirName = 'journal'
const manifestName = 'manifest.json'
const globalShard = 'global'

/** Every kind seen without its literal type: the store never names a collection. */
type AnyRecord = { id: string }
type Kind = { schema: z.ZodType<AnyRecord>; monthOf?: (record: never) => string }
const registry = collections as unknown as Record<string, Kind>
/** Kind names come from files and journal lines: `constructor` or `__proto__` is simply unknown. */
const kindOf = (name: string): Kind | undefined => own(registry, name)
const names = collectionNames as string[]
const monthKinds = names.filter((name) => kindOf(name)?.monthOf !== undefined)
const globalKinds = names.filter((name) => kindOf(name)?.monthOf === undefined)
const monthPattern = /^\d{4}-\d{2}$/

function shardOf(collection: string, record: AnyRecord): string {
  const monthOf = kindOf(collection)?.monthOf as ((r: AnyRecord) => string) | undefined
  if (!monthOf) return globalShard
  const month = monthOf(record)
  return monthPattern.test(month) ? month : 'undated'
}

/**
 * A fingerprint of every record schema: when a newer build changes a schema (say, a field with a
 * default), shards written by the older build are validated again instead of trusted by hash.
 */
const schemaFingerprint = (() => {
  try {
    const shapes = names.map((name) => [name, z.toJSONSchema(kindOf(name)!.schema, { io: 'input' })])
    return sha1(JSON.stringify([currentSchemaVersion, shapes, z.toJSONSchema(Settings, { io: 'input' })]))
  } catch {
    return `unknown-${Math.random()}`
  }
})()

const Manifest = z.object({
  schemaVersion: z.number(),
  schemaFingerprint: z.string().default(''),
  /** Journal segments below this number are covered by the shards and ignored on replay. */
  journalFrom: z.number().int().min(0).default(0),
  shards: z
    .record(
      z.string(),
      z.object({
        sha1: z.string(),
        bytes: z.number(),
        mtimeMs: z.number().optional(),
        /** Records per kind as written: after damage, how many could not be recovered. */
        counts: z.record(z.string(), z.number()).optional(),
      }),
    )
    .default({}),
})
type Manifest = z.infer<typeof Manifest>

/**
 * Something found wrong in the data folder. A writer moves the damaged file to quarantine/ with a
 * `.why.txt` beside it, and the problem stays open (in every process, read from that folder) until
 * a backup is restored or the person says it was dealt with (the pair moves to
 * quarantine/dealt-with/). A read-only open cannot move files: what it finds is reported each time.
 */
export type StorageProblem = {
  /** The name in quarantine/, which `dismissProblem` takes; absent while not yet set aside. */
  id?: string
  file: string
  message: string
  quarantinedAs?: string
  /** When the file was set aside. */
  foundAt?: string
  /** For a damaged shard: records brought back from a backup, and records that are lost. */
  recovered?: number
  missing?: number
}

const quarantineDirName = 'quarantine'
const dealtWithDirName = 'dealt-with'
const whySuffix = '.why.txt'

export type OpenOptions = {
  isReadOnly?: boolean
  /**
   * Resolve as soon as the global data and the newest months are in memory and load older
   * months in the background (`whenFullyLoaded()`); the desktop app and `serve` use this.
   */
  isLazy?: boolean
  /** Checkpoint after this many journal entries (default 4000). */
  checkpointEntries?: number
  /** Checkpoint when no write came for this long (default 2000 ms). */
  checkpointIdleMs?: number
}

/** Disk full, read-only folder, permissions: one typed error naming the folder and the cause. */
export function storageError(dir: string, error: unknown): AppError {
  if (error instanceof AppError) return error
  const code = (error as NodeJS.ErrnoException).code ?? ''
  const message = error instanceof Error ? error.message : String(error)
  const reason =
    code === 'ENOSPC' || code === 'EDQUOT'
      ? 'store.disk_full'
      : code === 'EROFS' || code === 'EACCES' || code === 'EPERM'
        ? 'store.not_writable'
        : 'store.write_failed'
  const plain =
    reason === 'store.disk_full'
      ? 'the disk is full'
      : reason === 'store.not_writable'
        ? 'the folder cannot be written to'
        : message
  return new AppError('storage', `Could not save to ${dir}: ${plain}. Nothing was changed.`, {
    reason,
    params: { dir, error: plain, code },
  })
}

type Touched = { collection: string; id: string; hadBefore: boolean; before: unknown }
type Pending = {
  line: string
  touched: Touched[]
  settingsBefore: Settings | undefined
  resolve: () => void
  reject: (error: unknown) => void
}
type ShardContent = Record<string, unknown>

/**
 * The only code that touches the data folder. Services read through it and hand it whole
 * records to commit. A commit is applied in memory, appended to the write-ahead journal and
 * fdatasync'ed before it resolves (commits arriving together share one sync); month shards are
 * rewritten by checkpoints, only the dirty ones, and journal segments go only after that.
 */
export class Store {
  readonly dir: string
  readonly isReadOnly: boolean
  private settingsValue: Settings = defaultSettings()
  private readonly records = new Map<string, Map<string, AnyRecord>>(names.map((n) => [n, new Map()]))
  /**
   * month → kind → ids: which records a month shard holds. A trusted shard's loaded list stands
   * in for its Set until a write or checkpoint touches that month: most months never need one.
   */
  private readonly members = new Map<string, Map<string, Set<string> | AnyRecord[]>>()
  private readonly dirty = new Set<string>()
  private readonly revisions = new Map<string, number>()
  /** Keys in a shard this build does not know (a kind added by a newer build): kept as they were. */
  private readonly extras = new Map<string, Record<string, unknown>>()
  private manifest: Manifest = { schemaVersion: currentSchemaVersion, schemaFingerprint, journalFrom: 0, shards: {} }
  /** Found by this open (new damage); the ones it set aside are also in `onDisk`. */
  private readonly found: StorageProblem[] = []
  /** The open problems in quarantine/ as last read. */
  private onDisk: StorageProblem[] = []
  /** Shards found damaged on this open, completed from a backup once everything is loaded. */
  private readonly damaged = new Map<string, { problem: StorageProblem; read: number; hasSettings: boolean }>()
  private readonly releaseLock: () => Promise<void>
  private readonly journal: JournalWriter
  private readonly options: Required<Omit<OpenOptions, 'isReadOnly' | 'isLazy'>>
  private seq = 0
  private pending: Pending[] = []
  private isFlushing = false
  private flushDone: Promise<void> = Promise.resolve()
  private rotateRequests: { resolve: (v: Map<string, ShardContent>) => void; reject: (e: unknown) => void }[] = []
  private entriesSinceCheckpoint = 0
  private idleTimer: NodeJS.Timeout | undefined
  private runningCheckpoint: Promise<void> | undefined
  private fullyLoaded: Promise<void> = Promise.resolve()
  private isLoaded = false
  private isClosed = false
  private fatal: AppError | undefined
  private isReplacing = false
  /** Reused by loadShard while loading; dropped once everything is in memory. */
  private readBuffer = Buffer.alloc(0)

  private constructor(dir: string, isReadOnly: boolean, releaseLock: () => Promise<void>, options: OpenOptions) {
    this.dir = dir
    this.isReadOnly = isReadOnly
    this.releaseLock = releaseLock
    this.journal = new JournalWriter(join(dir, journalDirName))
    this.options = {
      checkpointEntries: options.checkpointEntries ?? 4000,
      checkpointIdleMs: options.checkpointIdleMs ?? 2000,
    }
  }

  static async open(dir: string, options: OpenOptions = {}): Promise<Store> {
    const isReadOnly = options.isReadOnly ?? false
    if (!isReadOnly)
      // Customer data is personal data: a folder MakeGood creates is its owner's only (POSIX).
      await mkdir(dir, { recursive: true, mode: 0o700 }).catch((error: unknown) =>
        Promise.reject(storageError(dir, error)),
      )
    const releaseLock = isReadOnly
      ? async () => {}
      : await acquireLock(dir).catch((error: unknown) => Promise.reject(storageError(dir, error)))
    const store = new Store(dir, isReadOnly, releaseLock, options)
    try {
      await store.load(options.isLazy ?? false)
      return store
    } catch (error) {
      // The open error is what the caller must see; a failed close of the journal is only logged.
      await store.journal.close().catch((closeError: unknown) => logger.error('store.journal_close_failed', closeError))
      await releaseLock()
      throw error
    }
  }

  get settings(): Settings {
    return this.settingsValue
  }

  get<K extends CollectionName>(collection: K, id: string): Collections[K] | undefined {
    return this.records.get(collection)?.get(id) as Collections[K] | undefined
  }

  all<K extends CollectionName>(collection: K): IterableIterator<Collections[K]> {
    return (this.records.get(collection) as Map<string, Collections[K]>).values()
  }

  count(collection: CollectionName): number {
    return this.records.get(collection)?.size ?? 0
  }

  /** Changes whenever a record of this kind is added, replaced or removed (loading included): lets a service keep a derived index until it is stale. */
  revision(collection: CollectionName): number {
    return this.revisions.get(collection) ?? 0
  }

  /** Every open problem: those set aside in quarantine/ and those found now but not set aside. */
  get problems(): readonly StorageProblem[] {
    return [...this.onDisk, ...this.found.filter((p) => p.quarantinedAs === undefined)]
  }

  /** What this open found that was not known before: a CLI command then exits with code 3. */
  get newProblems(): readonly StorageProblem[] {
    return this.found
  }

  /** Reads quarantine/ again: another process may have found or dismissed a problem. */
  async refreshProblems(): Promise<readonly StorageProblem[]> {
    this.onDisk = await readQuarantine(join(this.dir, quarantineDirName))
    return this.problems
  }

  /** "I have dealt with it": the file and its note move to quarantine/dealt-with/, kept. */
  async dismissProblem(id: string): Promise<void> {
    if (this.isReadOnly)
      throw new AppError('read_only', 'This data folder was opened read-only', { reason: 'store.read_only' })
    const dir = join(this.dir, quarantineDirName)
    const isName = /^[^/\\]+$/.test(id) && id !== '.' && id !== '..' && !id.endsWith(whySuffix)
    if (!isName || !(await exists(join(dir, `${id}${whySuffix}`)))) {
      throw new AppError('not_found', `No open storage problem ${id}`, {
        reason: 'storage.problem_not_found',
        params: { id },
      })
    }
    await this.moveToDealtWith([id])
    await this.refreshProblems()
  }

  private async moveToDealtWith(ids: string[]): Promise<void> {
    if (ids.length === 0) return
    const dir = join(this.dir, quarantineDirName)
    const target = join(dir, dealtWithDirName)
    await mkdir(target, { recursive: true, mode: 0o700 })
    for (const id of ids) {
      for (const name of [id, `${id}${whySuffix}`]) {
        await rename(join(dir, name), join(target, name)).catch((error: NodeJS.ErrnoException) => {
          // A note whose file was removed by hand: the note alone is moved.
          if (error.code !== 'ENOENT') throw error
        })
      }
    }
    await fsyncDir(target)
    await fsyncDir(dir)
  }

  get isFullyLoaded(): boolean {
    return this.isLoaded
  }

  /** Resolves once every month is in memory (at once unless opened with `isLazy`). */
  whenFullyLoaded(): Promise<void> {
    return this.fullyLoaded
  }

  /**
   * Applies whole records and makes them durable before resolving. If the write fails, memory
   * is put back as it was, so a failed operation leaves the stored data exactly as it was.
   */
  commit(changes: Change[]): Promise<void> {
    try {
      if (this.isReadOnly) {
        throw new AppError('read_only', 'This data folder was opened read-only', { reason: 'store.read_only' })
      }
      if (this.isClosed) throw new AppError('storage', 'The store is closed', { reason: 'store.closed' })
      if (this.fatal) throw this.fatal
      if (this.isReplacing) {
        throw new AppError('conflict', 'The data is being restored; try again in a moment', { reason: 'store.busy' })
      }
      const values = changes.map((change) =>
        change.collection === 'settings'
          ? { collection: 'settings', value: parseUnknown(Settings, change.value) as unknown as AnyRecord }
          : { collection: change.collection as string, value: this.parseRecord(change.collection, change.value) },
      )
      const seq = ++this.seq
      const line = `${JSON.stringify({ seq, changes: values })}\n`
      const touched: Touched[] = []
      let settingsBefore: Settings | undefined
      for (const { collection, value } of values) {
        if (collection === 'settings') {
          settingsBefore ??= this.settingsValue
          this.settingsValue = value as unknown as Settings
          this.dirty.add(globalShard)
          continue
        }
        const map = this.records.get(collection)!
        touched.push({ collection, id: value.id, hadBefore: map.has(value.id), before: map.get(value.id) })
        this.put(collection, value.id, value)
      }
      return new Promise<void>((resolve, reject) => {
        this.pending.push({ line, touched, settingsBefore, resolve, reject })
        this.kick()
      })
    } catch (error) {
      return Promise.reject(error)
    }
  }

  private parseRecord(collection: string, value: unknown): AnyRecord {
    const kind = kindOf(collection)
    if (!kind)
      throw new AppError('invalid_input', `Unknown record kind ${collection}`, { reason: 'store.unknown_kind' })
    return parseUnknown(kind.schema, value)
  }

  /** Sets (or, with `undefined`, removes) a record and marks the shards it leaves and enters. */
  private put(collection: string, id: string, value: AnyRecord | undefined, isDirty = true): void {
    const map = this.records.get(collection)!
    this.revisions.set(collection, (this.revisions.get(collection) ?? 0) + 1)
    const old = map.get(id)
    if (monthKinds.includes(collection)) {
      const from = old ? shardOf(collection, old) : undefined
      const to = value ? shardOf(collection, value) : undefined
      if (from !== undefined && from !== to) {
        this.membersOf(from, collection).delete(id)
        if (isDirty) this.dirty.add(from)
      }
      if (to !== undefined) {
        this.membersOf(to, collection).add(id)
        if (isDirty) this.dirty.add(to)
      }
    } else if (isDirty) this.dirty.add(globalShard)
    if (value) map.set(id, value)
    else map.delete(id)
  }

  private membersOf(month: string, collection: string): Set<string> {
    let byKind = this.members.get(month)
    if (!byKind) this.members.set(month, (byKind = new Map()))
    const ids = byKind.get(collection)
    if (ids instanceof Set) return ids
    // A loaded list may name a record the journal has since moved to another month: capture()
    // keeps only records whose month is this one, so a stale id here is harmless.
    const set = new Set(ids?.map((record) => record.id))
    byKind.set(collection, set)
    return set
  }

  private kick(): void {
    if (!this.isFlushing) this.flushDone = this.flushLoop()
  }

  /** The only writer of the journal: groups whatever is pending into one append + one sync. */
  private async flushLoop(): Promise<void> {
    this.isFlushing = true
    try {
      while (this.pending.length > 0 || this.rotateRequests.length > 0) {
        if (this.rotateRequests.length > 0) {
          const requests = this.rotateRequests.splice(0)
          try {
            const captured = this.capture()
            try {
              await this.journal.rotate()
            } catch (error) {
              for (const shard of captured.keys()) this.dirty.add(shard)
              throw error
            }
            for (const r of requests) r.resolve(captured)
          } catch (error) {
            for (const r of requests) r.reject(error)
          }
          continue
        }
        const group = this.pending.splice(0)
        try {
          await this.journal.append(group.map((p) => p.line).join(''))
        } catch (error) {
          // Later commits were built on top of this group: they fail with it, newest undone first.
          const failed = [...group, ...this.pending.splice(0)]
          for (const p of [...failed].reverse()) this.revert(p)
          const typed = storageError(this.dir, error)
          for (const p of failed) p.reject(typed)
          continue
        }
        this.entriesSinceCheckpoint += group.length
        for (const p of group) p.resolve()
      }
    } finally {
      this.isFlushing = false
    }
    this.scheduleCheckpoint()
  }

  private revert(p: Pending): void {
    for (const t of [...p.touched].reverse())
      this.put(t.collection, t.id, t.hadBefore ? (t.before as AnyRecord) : undefined)
    if (p.settingsBefore) this.settingsValue = p.settingsBefore
  }

  private scheduleCheckpoint(): void {
    if (this.isReadOnly || this.isClosed || !this.isLoaded) return
    if (this.entriesSinceCheckpoint >= this.options.checkpointEntries) {
      void this.checkpoint().catch((error: unknown) => logger.error('store.checkpoint_failed', error))
      return
    }
    clearTimeout(this.idleTimer)
    this.idleTimer = setTimeout(() => {
      if (this.dirty.size > 0)
        void this.checkpoint().catch((error: unknown) => logger.error('store.checkpoint_failed', error))
    }, this.options.checkpointIdleMs)
    this.idleTimer.unref()
  }

  /**
   * The durable state of every dirty shard at this instant: memory minus commits not yet synced
   * (those go to the new segment, and a failed one must not reach a snapshot).
   */
  private capture(): Map<string, ShardContent> {
    const overrides = new Map<string, Map<string, AnyRecord | undefined>>()
    let settings = this.settingsValue
    let hasSettingsOverride = false
    const again = new Set<string>()
    for (const p of this.pending) {
      if (p.settingsBefore && !hasSettingsOverride) {
        settings = p.settingsBefore
        hasSettingsOverride = true
        again.add(globalShard)
      }
      for (const t of p.touched) {
        let byId = overrides.get(t.collection)
        if (!byId) overrides.set(t.collection, (byId = new Map()))
        if (!byId.has(t.id)) byId.set(t.id, t.hadBefore ? (t.before as AnyRecord) : undefined)
        const now = this.records.get(t.collection)?.get(t.id)
        if (now) again.add(shardOf(t.collection, now))
        if (t.before) again.add(shardOf(t.collection, t.before as AnyRecord))
      }
    }
    const shards = new Set(this.dirty)
    for (const shard of again) shards.add(shard)
    this.dirty.clear()
    for (const shard of again) this.dirty.add(shard)
    const durable = (collection: string, id: string): AnyRecord | undefined => {
      const byId = overrides.get(collection)
      return byId?.has(id) ? byId.get(id) : this.records.get(collection)!.get(id)
    }
    const out = new Map<string, ShardContent>()
    for (const shard of shards) {
      const content: ShardContent = { schemaVersion: currentSchemaVersion, shard, ...this.extras.get(shard) }
      if (shard === globalShard) {
        content.settings = settings
        for (const kind of globalKinds) {
          const list: AnyRecord[] = []
          for (const id of this.records.get(kind)!.keys()) {
            const value = durable(kind, id)
            if (value) list.push(value)
          }
          for (const [id, value] of overrides.get(kind) ?? [])
            if (value && !this.records.get(kind)!.has(id)) list.push(value)
          content[kind] = list
        }
      } else {
        for (const kind of monthKinds) {
          const list: AnyRecord[] = []
          const ids = this.membersOf(shard, kind)
          for (const id of ids) {
            const value = durable(kind, id)
            if (value && shardOf(kind, value) === shard) list.push(value)
          }
          for (const [id, value] of overrides.get(kind) ?? []) {
            if (value && !ids.has(id) && shardOf(kind, value) === shard) list.push(value)
          }
          content[kind] = list
        }
      }
      out.set(shard, content)
    }
    return out
  }

  /**
   * Rewrites the dirty shards (tmp → fsync → rename → fsync dir), then the manifest, then drops
   * the journal segments they cover. On failure the shards stay dirty and the journal stays.
   */
  checkpoint(): Promise<void> {
    if (this.isReadOnly || !this.isLoaded) return Promise.resolve()
    if (this.runningCheckpoint) return this.runningCheckpoint
    clearTimeout(this.idleTimer)
    const run = (async () => {
      this.entriesSinceCheckpoint = 0
      const captured = await new Promise<Map<string, ShardContent>>((resolve, reject) => {
        this.rotateRequests.push({ resolve, reject })
        this.kick()
      })
      const journalFrom = this.journal.segment
      try {
        await this.writeShards(join(this.dir, dataDirName), captured, journalFrom, this.manifest)
      } catch (error) {
        for (const shard of captured.keys()) this.dirty.add(shard)
        throw storageError(this.dir, error)
      }
      // The shards already hold these segments' changes: a segment left behind is replayed again
      // (idempotently) and deleted by the next checkpoint, so this failure is logged, not thrown.
      await deleteSegmentsBefore(join(this.dir, journalDirName), journalFrom).catch((error: unknown) =>
        logger.warn('store.journal_cleanup_failed', error),
      )
    })()
    this.runningCheckpoint = run.finally(() => {
      this.runningCheckpoint = undefined
    })
    return this.runningCheckpoint
  }

  /** Writes shards one by one, yielding between them, then the manifest that lists them. */
  private async writeShards(
    dataDir: string,
    shards: Map<string, ShardContent>,
    journalFrom: number,
    base: Manifest,
  ): Promise<void> {
    await mkdir(join(dataDir, monthsDirName), { recursive: true, mode: 0o700 })
    const manifest: Manifest = {
      schemaVersion: currentSchemaVersion,
      schemaFingerprint,
      journalFrom,
      shards: { ...base.shards },
    }
    for (const [shard, content] of shards) {
      const path = shardPath(dataDir, shard)
      const isEmpty = shard !== globalShard && monthKinds.every((k) => (content[k] as unknown[]).length === 0)
      if (isEmpty && !this.extras.has(shard)) {
        await rm(path, { force: true })
        delete manifest.shards[shard]
        continue
      }
      const adapter = new DurableJSONFile<ShardContent>(path)
      const db = new Low<ShardContent>(adapter, content)
      await db.write()
      const { mtimeMs } = await stat(path)
      const counts: Record<string, number> = {}
      for (const kind of shard === globalShard ? globalKinds : monthKinds)
        counts[kind] = (content[kind] as unknown[]).length
      manifest.shards[shard] = { sha1: adapter.lastHash, bytes: adapter.lastBytes, mtimeMs, counts }
      await new Promise((resolve) => setImmediate(resolve))
    }
    await new Low<Manifest>(new DurableJSONFile(join(dataDir, manifestName)), manifest).write()
    if (dataDir === join(this.dir, dataDirName)) this.manifest = manifest
  }

  /** Every record as of now, each kind sorted by id. */
  snapshot(): DataFile {
    const lists = Object.fromEntries(
      names.map((name) => [name, [...this.records.get(name)!.values()].sort((a, b) => compare(a.id, b.id))]),
    )
    return { schemaVersion: currentSchemaVersion, settings: this.settingsValue, ...lists } as DataFile
  }

  /** The logical data set, for export and backups. */
  dataSet(): DataSet {
    const snapshot = this.snapshot() as unknown as Record<string, AnyRecord[]>
    return {
      schemaVersion: currentSchemaVersion,
      settings: this.settingsValue,
      collections: Object.fromEntries(names.map((name) => [name, snapshot[name]!])),
    }
  }

  /**
   * Replaces every record with a validated data set (restore, import). The new shards are
   * staged in a side folder and swapped in with one rename; the manifest there ignores every
   * older journal segment, so a crash at any point leaves either the old or the new data.
   */
  async replaceAll(input: unknown): Promise<void> {
    if (this.isReadOnly)
      throw new AppError('read_only', 'This data folder was opened read-only', { reason: 'store.read_only' })
    await this.fullyLoaded
    const data = parseDataSet(input, 'the data set')
    if (this.isReplacing) throw new AppError('conflict', 'A restore is already running', { reason: 'store.busy' })
    this.isReplacing = true
    try {
      await this.replaceAllNow(data)
    } finally {
      this.isReplacing = false
    }
  }

  private async replaceAllNow(data: DataSet): Promise<void> {
    await this.idle()
    // A failed checkpoint was logged where it ran; the restore writes every shard afresh anyway.
    await this.runningCheckpoint?.catch(() => undefined)
    const previous = {
      settings: this.settingsValue,
      records: new Map([...this.records].map(([k, v]) => [k, new Map(v)])),
    }
    const dataDir = join(this.dir, dataDirName)
    const staging = join(this.dir, `${dataDirName}.staging`)
    const old = join(this.dir, `${dataDirName}.old`)
    try {
      this.settingsValue = data.settings
      for (const map of this.records.values()) map.clear()
      this.members.clear()
      this.extras.clear()
      for (const [kind, list] of Object.entries(data.collections)) for (const r of list) this.put(kind, r.id, r, false)
      this.dirty.clear()
      this.dirty.add(globalShard)
      for (const month of this.members.keys()) this.dirty.add(month)
      await rm(staging, { recursive: true, force: true })
      const captured = await new Promise<Map<string, ShardContent>>((resolve, reject) => {
        this.rotateRequests.push({ resolve, reject })
        this.kick()
      })
      const journalFrom = this.journal.segment
      await this.writeShards(staging, captured, journalFrom, { ...this.manifest, shards: {} })
      await rm(old, { recursive: true, force: true })
      await rename(dataDir, old).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error
      })
      await rename(staging, dataDir)
      await fsyncDir(this.dir)
      this.manifest = Manifest.parse(JSON.parse(await readFile(join(dataDir, manifestName), 'utf8')))
    } catch (error) {
      this.settingsValue = previous.settings
      this.members.clear()
      for (const [kind, map] of previous.records) {
        this.records.get(kind)!.clear()
        for (const [id, r] of map) this.put(kind, id, r, false)
      }
      // The old shards and journal are intact on disk; everything is rewritten at the next checkpoint.
      this.dirty.add(globalShard)
      for (const month of this.members.keys()) this.dirty.add(month)
      // Tidying after a failed restore: the restore's own error is thrown; these are logged. If
      // data/ cannot be put back, the next open finishes or undoes the swap (finishInterruptedSwap).
      await rm(staging, { recursive: true, force: true }).catch((e: unknown) =>
        logger.error('store.restore_cleanup_failed', e),
      )
      if (!(await exists(dataDir)) && (await exists(old)))
        await rename(old, dataDir).catch((e: unknown) => logger.error('store.restore_undo_failed', e))
      throw storageError(this.dir, error)
    }
    // What was found damaged no longer describes the data: every open problem is dealt with
    // (the files stay, in quarantine/dealt-with/).
    this.found.length = 0
    this.damaged.clear()
    await this.refreshProblems()
    await this.moveToDealtWith(this.onDisk.flatMap((p) => (p.id ? [p.id] : [])))
    await this.refreshProblems()
    await rm(old, { recursive: true, force: true }).catch((e: unknown) =>
      logger.warn('store.restore_cleanup_failed', e),
    )
    await deleteSegmentsBefore(join(this.dir, journalDirName), this.manifest.journalFrom).catch((e: unknown) =>
      logger.warn('store.journal_cleanup_failed', e),
    )
  }

  /** Resolves when every commit made so far has been synced (or has failed). */
  async idle(): Promise<void> {
    while (this.isFlushing || this.pending.length > 0) await this.flushDone
  }

  async close(): Promise<void> {
    if (this.isClosed) return
    // A failed background load was logged and made `fatal`; closing must still release the lock.
    await this.fullyLoaded.catch(() => undefined)
    await this.idle()
    clearTimeout(this.idleTimer)
    // Logged where it ran (scheduleCheckpoint); the final checkpoint below tries again.
    await this.runningCheckpoint?.catch(() => undefined)
    // A final checkpoint makes the next start-up read shards only, with no journal to replay. The
    // journal keeps every acknowledged write if it fails, so closing goes on after logging it.
    if (!this.isReadOnly && this.dirty.size > 0 && !this.fatal)
      await this.checkpoint().catch((error: unknown) => logger.error('store.checkpoint_failed', error))
    this.isClosed = true
    await this.journal.close()
    await this.releaseLock()
  }

  // ---- loading ----

  private async load(isLazy: boolean): Promise<void> {
    const legacyPath = join(this.dir, dataFileName)
    const dataDir = await this.finishInterruptedSwap(join(this.dir, dataDirName))
    this.onDisk = await readQuarantine(join(this.dir, quarantineDirName))
    const manifestPath = join(dataDir, manifestName)
    const hasShards = await exists(manifestPath)
    if (!hasShards && (await exists(legacyPath))) {
      await this.loadLegacy(legacyPath)
      return
    }
    if (hasShards && !this.isReadOnly && (await exists(legacyPath))) {
      // A migration finished but was cut off before it moved the old file away.
      await this.moveToBackups(legacyPath, 'after-migration')
    }
    await this.readManifest(manifestPath)
    const trust = this.manifest.schemaFingerprint === schemaFingerprint
    await this.loadShard(globalShard, shardPath(dataDir, globalShard), trust)
    const months = await listMonths(join(dataDir, monthsDirName))
    const first = months.slice(0, 2)
    const rest = months.slice(2)
    for (const month of first) await this.loadShard(month, shardPath(dataDir, month), trust)
    const replay = await readJournal(join(this.dir, journalDirName), {
      isReadOnly: this.isReadOnly,
      from: this.manifest.journalFrom,
      quarantine: (path, reason) => this.quarantine(path, reason),
      check: (change) => this.checkChange(change),
    })
    for (const p of replay.problems) this.found.push(p.quarantinedAs ? { ...p, id: basename(p.quarantinedAs) } : p)
    let replayed = 0
    for (const entry of replay.entries) {
      this.seq = Math.max(this.seq, entry.seq)
      replayed++
      this.applyJournalEntry(entry)
    }
    const lastSegment = replay.segments.at(-1) ?? 0
    if (!this.isReadOnly) await this.journal.openSegment(Math.max(lastSegment, this.manifest.journalFrom, 1))
    this.entriesSinceCheckpoint = replayed
    const finish = async () => {
      for (const month of rest) {
        await this.loadShard(month, shardPath(dataDir, month), trust)
        if (isLazy) await new Promise((resolve) => setImmediate(resolve))
      }
      this.isLoaded = true
      this.readBuffer = Buffer.alloc(0)
      await this.recoverDamaged()
      if (!trust && !this.isReadOnly) {
        this.dirty.add(globalShard)
        for (const month of this.members.keys()) this.dirty.add(month)
      }
      if (!this.isReadOnly) this.onDisk = await readQuarantine(join(this.dir, quarantineDirName))
      if (!this.isReadOnly && (this.found.length > 0 || !trust || replayed >= this.options.checkpointEntries)) {
        // Memory holds everything and the journal every acknowledged write: a failed checkpoint
        // here leaves the next start to replay again, so the open goes on after logging it.
        await this.checkpoint().catch((error: unknown) => logger.error('store.checkpoint_failed', error))
      }
    }
    if (isLazy) {
      this.fullyLoaded = finish().catch((error: unknown) => {
        this.fatal = error instanceof AppError ? error : storageError(this.dir, error)
        throw this.fatal
      })
      // Kept as `fatal` and thrown to whoever awaits whenFullyLoaded(); logged here for the rest.
      this.fullyLoaded.catch((error: unknown) => logger.error('store.load_failed', error))
    } else await finish()
  }

  /** A journal change as this build reads it: a known kind (own property) with a valid record. */
  private checkChange(change: { collection: string; value: unknown }): ChangeCheck {
    if (change.collection === 'settings') {
      const parsed = Settings.safeParse(change.value)
      if (parsed.success) return { value: parsed.data }
      return { issue: `settings not valid (${issueText(parsed.error.issues[0])})` }
    }
    const kind = kindOf(change.collection)
    if (!kind) return { issue: `unknown record kind ${JSON.stringify(change.collection.slice(0, 40))}` }
    const parsed = kind.schema.safeParse(change.value)
    if (parsed.success) return { value: parsed.data }
    return { issue: `a ${change.collection} record that is not valid (${issueText(parsed.error.issues[0])})` }
  }

  /** Every change was checked by checkChange while the journal was read. */
  private applyJournalEntry(entry: { seq: number; changes: { collection: string; value: unknown }[] }): void {
    if (entry.seq === 0) return
    for (const change of entry.changes) {
      if (change.collection === 'settings') {
        this.settingsValue = change.value as Settings
        this.dirty.add(globalShard)
        continue
      }
      const value = change.value as AnyRecord
      this.put(change.collection, value.id, value)
    }
  }

  private async readManifest(path: string): Promise<void> {
    if (!(await exists(path))) return
    let raw: unknown
    try {
      raw = JSON.parse(await readFile(path, 'utf8'))
    } catch (error) {
      await this.reportAndQuarantine(path, `it is not valid JSON (${(error as Error).message})`)
      return
    }
    if (versionOf(raw) > currentSchemaVersion) throw newerVersionError(path, versionOf(raw))
    const parsed = Manifest.safeParse(raw)
    if (!parsed.success) {
      await this.reportAndQuarantine(path, 'it is not a MakeGood manifest')
      return
    }
    this.manifest = parsed.data
  }

  /**
   * Loads one shard. A shard whose bytes match the hash the manifest recorded when MakeGood
   * wrote it is trusted; any other is validated record by record. Records already in memory
   * came from the journal (newer) and win.
   */
  private async loadShard(shard: string, path: string, trust: boolean): Promise<void> {
    let bytes: Buffer
    let mtimeMs: number
    try {
      const handle = await openFile(path, 'r')
      try {
        const info = await handle.stat()
        mtimeMs = info.mtimeMs
        // Read into one reused buffer and decode it in one go: readFile('utf8') decodes chunk by
        // chunk and joins them, and a fresh 20 MB Buffer per month makes the GC run more often.
        if (this.readBuffer.length < info.size) this.readBuffer = Buffer.allocUnsafeSlow(info.size)
        let filled = 0
        while (filled < info.size) {
          const { bytesRead } = await handle.read(this.readBuffer, filled, info.size - filled, filled)
          if (bytesRead === 0) break
          filled += bytesRead
        }
        bytes = this.readBuffer.subarray(0, filled)
      } finally {
        await handle.close()
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
      throw storageError(this.dir, error)
    }
    let raw: Record<string, unknown>
    let damage: string | undefined
    try {
      const parsed: unknown = JSON.parse(bytes.toString('utf8'))
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object')
      raw = parsed as Record<string, unknown>
    } catch (error) {
      // Cut short or overwritten: every line that still holds a record is read (one record per line).
      damage = `it is not valid JSON (${(error as Error).message})`
      raw = salvageShard(bytes.toString('utf8'))
    }
    const version = versionOf(raw)
    if (version > currentSchemaVersion) throw newerVersionError(path, version)
    const known = own(this.manifest.shards, shard)
    // Same size and modification time as when MakeGood wrote it (or, for an older manifest, the
    // same hash): trusted, so start-up skips validating a million records it validated on commit.
    const isTrusted =
      damage === undefined &&
      trust &&
      known !== undefined &&
      known.bytes === bytes.length &&
      (known.mtimeMs !== undefined ? known.mtimeMs === mtimeMs : known.sha1 === sha1(bytes))
    const kinds = shard === globalShard ? globalKinds : monthKinds
    const extra: Record<string, unknown> = Object.create(null)
    for (const [key, value] of Object.entries(raw)) {
      if (key !== 'schemaVersion' && key !== 'shard' && key !== 'settings' && !kinds.includes(key)) extra[key] = value
    }
    if (Object.keys(extra).length > 0) this.extras.set(shard, extra)
    const issues: string[] = []
    if (shard === globalShard) {
      const settings = Settings.safeParse(raw.settings ?? {})
      if (settings.success) this.settingsValue = settings.data
      else issues.push(`settings: ${settings.error.issues[0]?.message ?? 'not valid'}`)
    }
    let invalid = 0
    for (const kind of kinds) {
      const list = raw[kind]
      if (list === undefined) continue
      if (!Array.isArray(list)) {
        issues.push(`${kind} is not a list`)
        continue
      }
      const map = this.records.get(kind)!
      if (isTrusted && shard !== globalShard) {
        // Written here by MakeGood, so every record belongs here: the hot path of start-up.
        // Records already in memory came from the journal (newer) and win; this file must then
        // be rewritten before that journal goes, or the stale copy would come back next start.
        for (const record of list as AnyRecord[]) {
          if (map.has(record.id)) this.dirty.add(shard)
          else map.set(record.id, record)
        }
        this.revisions.set(kind, (this.revisions.get(kind) ?? 0) + 1)
        const byKind = this.members.get(shard)
        if (byKind?.has(kind)) for (const record of list as AnyRecord[]) this.membersOf(shard, kind).add(record.id)
        else if (byKind) byKind.set(kind, list as AnyRecord[])
        else this.members.set(shard, new Map([[kind, list as AnyRecord[]]]))
        continue
      }
      for (const [index, item] of list.entries()) {
        let record = item as AnyRecord
        if (!isTrusted) {
          const parsed = kindOf(kind)!.schema.safeParse(item)
          if (!parsed.success) {
            invalid++
            if (issues.length < 5) {
              const issue = parsed.error.issues[0]
              issues.push(`${kind}[${index}]${issue?.path.length ? `.${issue.path.join('.')}` : ''}: ${issue?.message}`)
            }
            continue
          }
          record = parsed.data
        }
        if (map.has(record.id)) {
          // The journal holds a newer copy, maybe in another month: this file must be rewritten
          // before that journal goes, or the stale copy would come back on the next start.
          this.dirty.add(shard)
          continue
        }
        const belongs = shardOf(kind, record)
        this.put(kind, record.id, record, false)
        if (belongs !== shard) this.dirty.add(shard)
      }
    }
    if (damage !== undefined || issues.length > 0) {
      const what = damage ?? (invalid > 0 ? `${invalid} record(s) are not valid` : 'it is not valid')
      const detail = damage === undefined ? `: ${issues.join('; ')}` : ''
      const problem = await this.reportAndQuarantine(path, `${what}${detail}`)
      let read = -invalid
      for (const kind of kinds) read += Array.isArray(raw[kind]) ? (raw[kind] as unknown[]).length : 0
      this.damaged.set(shard, { problem, read: Math.max(0, read), hasSettings: raw.settings !== undefined })
      this.dirty.add(shard)
    }
  }

  /**
   * A damaged shard is completed once everything is loaded: the journal's records are already
   * in; what is still missing is taken from the newest backup; the problem then says how many
   * records were read, recovered and lost (against the counts the manifest recorded).
   */
  private async recoverDamaged(): Promise<void> {
    if (this.damaged.size === 0) return
    const backup = await this.newestBackup()
    for (const [shard, { problem, read, hasSettings }] of this.damaged) {
      const kinds = shard === globalShard ? globalKinds : monthKinds
      let recovered = 0
      if (backup) {
        if (shard === globalShard && !hasSettings) {
          const settings = Settings.safeParse(backup.data.settings)
          if (settings.success) this.settingsValue = settings.data
        }
        for (const kind of kinds) {
          const map = this.records.get(kind)!
          const list = own(backup.data.collections, kind)
          for (const item of Array.isArray(list) ? list : []) {
            const parsed = kindOf(kind)!.schema.safeParse(item)
            if (!parsed.success || map.has(parsed.data.id) || shardOf(kind, parsed.data) !== shard) continue
            this.put(kind, parsed.data.id, parsed.data)
            recovered++
          }
        }
      }
      let present = 0
      for (const kind of kinds) {
        if (shard === globalShard) present += this.records.get(kind)!.size
        else present += this.membersOf(shard, kind).size
      }
      const counts = own(this.manifest.shards, shard)?.counts
      const expected = counts ? kinds.reduce((sum, kind) => sum + (own(counts, kind) ?? 0), 0) : undefined
      const missing = expected === undefined ? undefined : Math.max(0, expected - present)
      const parts = [`${read} record(s) were read from it`]
      if (present - read - recovered > 0) parts.push(`${present - read - recovered} came from the journal`)
      if (backup) parts.push(`${recovered} were recovered from the backup ${backup.name}`)
      else parts.push('no backup was found to recover the rest from')
      parts.push(
        missing === undefined
          ? 'how many are missing is not known (the manifest kept no count)'
          : `${missing} are missing`,
      )
      problem.message = `${problem.message}. ${parts.join(', ')}.`
      problem.recovered = recovered
      if (missing !== undefined) problem.missing = missing
      if (problem.quarantinedAs) await writeWhy(problem.quarantinedAs, problem)
    }
  }

  /** The newest backup in backups/ that can be read, leniently: records are checked one by one. */
  private async newestBackup(): Promise<{ name: string; data: DataSet } | undefined> {
    const dir = join(this.dir, 'backups')
    const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => backupNamePattern.test(n))
    const found = await Promise.all(
      names.map(async (name) => ({ name, mtimeMs: (await stat(join(dir, name))).mtimeMs })),
    )
    // Newest first; two backups in the same millisecond (a fixed clock) are told apart by the disk.
    found.sort((a, b) => backupStamp(b.name).localeCompare(backupStamp(a.name)) || b.mtimeMs - a.mtimeMs)
    for (const { name } of found) {
      try {
        const raw: unknown = JSON.parse(await readFile(join(dir, name), 'utf8'))
        const data = migrate(raw, name) as Partial<DataSet>
        if (typeof data !== 'object' || data === null || typeof data.collections !== 'object') continue
        return {
          name,
          data: { schemaVersion: currentSchemaVersion, settings: data.settings!, collections: data.collections },
        }
      } catch (error) {
        logger.warn('store.backup_unreadable', error)
      }
    }
    return undefined
  }

  private async reportAndQuarantine(path: string, message: string): Promise<StorageProblem> {
    const problem: StorageProblem = { file: path, message }
    if (!this.isReadOnly) {
      problem.quarantinedAs = await this.quarantine(path, message)
      problem.id = basename(problem.quarantinedAs)
    }
    this.found.push(problem)
    return problem
  }

  /** Moves a damaged file into quarantine/ (never overwriting anything there), with a note why. */
  private async quarantine(path: string, reason: string): Promise<string> {
    const dir = join(this.dir, quarantineDirName)
    await mkdir(dir, { recursive: true, mode: 0o700 })
    const stamp = new Date().toISOString().replace(/[:.]/g, '-')
    let target = join(dir, `${stamp}-${basename(path)}`)
    for (let n = 2; await exists(target); n++) target = join(dir, `${stamp}-${n}-${basename(path)}`)
    await rename(path, target)
    // The damaged file may have come from anywhere; it still holds customer data.
    await chmodOwnerOnly(target)
    await writeWhy(target, { file: path, message: reason })
    await fsyncDir(join(path, '..'))
    return target
  }

  /** Version 1: the single `makegood.json`. Migrated to shards after a backup copy is taken. */
  private async loadLegacy(path: string): Promise<void> {
    let raw: unknown
    try {
      raw = JSON.parse(await readFile(path, 'utf8'))
    } catch (error) {
      throw invalidFile(path, [{ path: '', message: (error as Error).message }])
    }
    const data = parseDataSet(migrate(raw, path), path)
    this.settingsValue = data.settings
    for (const [kind, list] of Object.entries(data.collections)) for (const r of list) this.put(kind, r.id, r, false)
    this.isLoaded = true
    if (this.isReadOnly) return
    await this.copyToBackups(path, `before-migration-v${versionOf(raw) || 1}-to-v${currentSchemaVersion}`)
    this.dirty.add(globalShard)
    for (const month of this.members.keys()) this.dirty.add(month)
    await this.journal.openSegment(1)
    await this.checkpoint()
    await this.moveToBackups(path, 'migrated')
  }

  private async copyToBackups(path: string, label: string): Promise<string> {
    const dir = join(this.dir, 'backups', `${new Date().toISOString().replace(/[:.]/g, '-')}-${label}`)
    await mkdir(dir, { recursive: true, mode: 0o700 })
    const target = join(dir, basename(path))
    await copyFile(path, target)
    await chmodOwnerOnly(target)
    const handle = await openFile(target, 'r+')
    await handle.sync()
    await handle.close()
    await fsyncDir(dir)
    return target
  }

  private async moveToBackups(path: string, label: string): Promise<void> {
    await this.copyToBackups(path, label)
    await rm(path, { force: true })
    await fsyncDir(this.dir)
  }

  /**
   * A restore cut off between its two renames: a writer finishes it (the staged manifest is
   * written last, so a staging folder that has one is complete). A read-only open cannot rename:
   * it reads the staged data where it is. Returns the folder to read the shards from.
   */
  private async finishInterruptedSwap(dataDir: string): Promise<string> {
    const staging = join(this.dir, `${dataDirName}.staging`)
    const old = join(this.dir, `${dataDirName}.old`)
    const isCutBetweenRenames = !(await exists(dataDir)) && (await exists(join(staging, manifestName)))
    if (this.isReadOnly) return isCutBetweenRenames ? staging : dataDir
    if (isCutBetweenRenames) {
      await rename(staging, dataDir)
      await fsyncDir(this.dir)
    }
    await rm(staging, { recursive: true, force: true })
    if (await exists(dataDir)) await rm(old, { recursive: true, force: true })
    return dataDir
  }
}

function shardPath(dataDir: string, shard: string): string {
  return shard === globalShard ? join(dataDir, 'global.json') : join(dataDir, monthsDirName, `${shard}.json`)
}

/** Month shards, newest first: the months a user works in are loaded first. */
async function listMonths(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[])
  return names
    .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
    .map((n) => n.slice(0, -5))
    .sort()
    .reverse()
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  )
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Files MakeGood writes hold customer data: owner only (POSIX; Windows ignores the mode). */
async function chmodOwnerOnly(path: string): Promise<void> {
  if (process.platform !== 'win32') await chmod(path, 0o600)
}

function issueText(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'not valid'
  return `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`
}

const backupStamp = (name: string) => backupNamePattern.exec(name)?.[2] ?? ''

/**
 * What can still be read from a shard that is not valid JSON. Shards are written one record per
 * line (durable.ts, stringifyReadable): a `"kind": [` line opens a list, each following line is
 * one record, `"key": value` lines are single values. A line cut in half is skipped.
 */
export function salvageShard(text: string): Record<string, unknown> {
  // No prototype: a key read from a damaged file is data, never Object.prototype.
  const raw: Record<string, unknown> = Object.create(null)
  let current: unknown[] | undefined
  for (const line of text.split('\n')) {
    const trimmed = line.trim()
    if (trimmed === '' || trimmed === '{' || trimmed === '}') continue
    if (trimmed === ']' || trimmed === '],') {
      current = undefined
      continue
    }
    const opens = /^"([^"\\]+)":\s*\[$/.exec(trimmed)
    if (opens) {
      current = []
      raw[opens[1]!] = current
      continue
    }
    try {
      if (current && trimmed.startsWith('{')) {
        current.push(JSON.parse(trimmed.replace(/,$/, '')))
        continue
      }
      const single = /^"([^"\\]+)":\s*(.*?),?$/.exec(trimmed)
      if (single) {
        current = undefined
        raw[single[1]!] = JSON.parse(single[2]!)
      }
    } catch {
      // Torn or overwritten: this line is lost; the records around it are still read.
    }
  }
  return raw
}

/** The problem note beside a quarantined file: the original path, then what was wrong. */
async function writeWhy(target: string, problem: StorageProblem): Promise<void> {
  const lines = [problem.file, problem.message.replace(/\n/g, ' ')]
  if (problem.recovered !== undefined) lines.push(`recovered: ${problem.recovered}`)
  if (problem.missing !== undefined) lines.push(`missing: ${problem.missing}`)
  await writeFileDurable(`${target}${whySuffix}`, `${lines.join('\n')}\n`)
}

/** The open problems: every `*.why.txt` directly in quarantine/ (dealt-with/ holds the closed ones). */
export async function readQuarantine(dir: string): Promise<StorageProblem[]> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[]
    throw error
  })
  const out: StorageProblem[] = []
  for (const name of names.filter((n) => n.endsWith(whySuffix)).sort()) {
    const path = join(dir, name)
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)])
    const [file = '', message = '', ...rest] = text.split('\n')
    const id = name.slice(0, -whySuffix.length)
    const problem: StorageProblem = {
      id,
      file,
      message,
      quarantinedAs: join(dir, id),
      foundAt: info.mtime.toISOString(),
    }
    for (const line of rest) {
      const [key, value] = line.split(': ')
      if ((key === 'recovered' || key === 'missing') && /^\d+$/.test(value ?? '')) problem[key] = Number(value)
    }
    out.push(problem)
  }
  return out
}

/** Validates a data set of the current version: settings and every known kind, unknown kinds refused. */
export function parseDataSet(input: unknown, path: string): DataSet {
  if (typeof input !== 'object' || input === null) throw invalidFile(path, [{ path: '', message: 'not an object' }])
  const raw = input as Record<string, unknown>
  const version = versionOf(raw)
  if (version > currentSchemaVersion) throw newerVersionError(path, version)
  const details: { path: string; message: string }[] = []
  const settings = Settings.safeParse(raw.settings ?? {})
  if (!settings.success) {
    for (const i of settings.error.issues.slice(0, 10))
      details.push({ path: ['settings', ...i.path].join('.'), message: i.message })
  }
  const given = (raw.collections ?? {}) as Record<string, unknown>
  const out: Record<string, AnyRecord[]> = Object.fromEntries(names.map((n) => [n, []]))
  for (const [kind, list] of Object.entries(given)) {
    const schema = kindOf(kind)?.schema
    if (!schema) {
      details.push({ path: `collections.${kind}`, message: 'Unknown record kind' })
      continue
    }
    if (!Array.isArray(list)) {
      details.push({ path: `collections.${kind}`, message: 'Expected a list' })
      continue
    }
    const seen = new Set<string>()
    for (const [index, item] of list.entries()) {
      const parsed = schema.safeParse(item)
      if (!parsed.success) {
        if (details.length < 20) {
          const i = parsed.error.issues[0]
          details.push({ path: [kind, index, ...(i?.path ?? [])].join('.'), message: i?.message ?? 'Not valid' })
        }
        continue
      }
      if (seen.has(parsed.data.id)) details.push({ path: `${kind}.${index}.id`, message: 'Duplicate id' })
      seen.add(parsed.data.id)
      out[kind]!.push(parsed.data)
    }
  }
  if (details.length > 0) throw invalidFile(path, details)
  return { schemaVersion: currentSchemaVersion, settings: settings.data!, collections: out }
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
