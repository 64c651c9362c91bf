import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { AppError, parseUnknown } from '../../shared/core/errors'
import { Settings, id } from '../../shared/schemas'
import { logger } from '../log/logger'
import { type CollectionName, type Collections } from './collections'
import { Checkpoints, writeShards } from './checkpoints'
import { CommitQueue, type QueuedChange } from './commitQueue'
import { type Change, type DataFile, type DataSet, parseDataSet } from './dataSet'
import { JournalWriter, deleteSegmentsBefore, firstFive, journalLine, readJournal } from './journal'
import { type ColdList, coldKinds, kindsLeftOnDisk, monthsInMemory } from './coldMonths'
import { type AnyRecord, kindOf, parseRecordOf, schemaFingerprint } from './kinds'
import { type BlobStore, FolderBlobs } from './blobs'
import {
  dataFileName,
  exists,
  globalShard,
  journalDirName,
  listMonths,
  manifestName,
  monthsDirName,
  shardPath,
} from './layout'
import { acquireLock } from './lock'
import { readManifest, readWrittenManifest } from './manifest'
import { Memory, type AwaitingGrowth, type LeftOutGrowth, type RecordWatcher } from './memory'
import { finishCutMigration, migrateV1 } from './migrateV1'
import { Problems, type StorageProblem } from './quarantine'
import { recoverDamaged } from './salvage'
import { ShardLoader, applyJournalEntry, checkChange } from './shardLoading'
import { finishInterruptedSwap, removeOldData, swapInStaged, undoFailedSwap } from './stagingSwap'
import { readOnlyError, storageError } from './storeErrors'
import { nextTurn } from '../eventLoop'

export { type CollectionName, type Collections, collectionNames } from './collections'
export { type Change, DataFile, type DataSet, parseDataSet } from './dataSet'
export { dataFileName } from './layout'
export { type StorageProblem, readQuarantine } from './quarantine'
export { salvageShard } from './salvage'
export { storageError } from './storeErrors'
export { type RecordWatcher } from './memory'

/** Replayed changes to one record that could not be put back into it, and why. */
type LeftOut = { collection: string; left: AwaitingGrowth[]; why: string }

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
  /** How long a commit that may wait holds its sync back for the next commit (default 250 ms). */
  heldSyncMs?: number
  /**
   * The newest months whose records are all read at start-up (default `monthsInMemory`). Older
   * months leave their grumbles and churn signals on disk (coldMonths.ts).
   */
  warmMonths?: number
}

/**
 * The only code that touches the data folder. Services read through it and hand it whole
 * records to commit. A commit is applied in memory, appended to the write-ahead journal and
 * fdatasync'ed before it resolves (commits arriving together share one sync); month shards are
 * rewritten by checkpoints, only the dirty ones, and journal segments go only after that.
 * The parts, one module each: memory.ts, commitQueue.ts, checkpoints.ts, manifest.ts,
 * shardLoading.ts, quarantine.ts, salvage.ts, migrateV1.ts, stagingSwap.ts, backupFiles.ts.
 */
export class Store {
  readonly dir: string
  readonly isReadOnly: boolean
  /** Attachment bytes, content-addressed, beside the records: `attachments/` in the data folder. */
  readonly blobs: BlobStore
  private readonly memory = new Memory()
  private readonly problemList: Problems
  private readonly releaseLock: () => Promise<void>
  private readonly journal: JournalWriter
  private readonly queue: CommitQueue
  private readonly checkpoints: Checkpoints
  private fullyLoaded: Promise<void> = Promise.resolve()
  private isLoaded = false
  private isClosed = false
  private fatal: AppError | undefined
  private isReplacing = false

  private constructor(dir: string, isReadOnly: boolean, releaseLock: () => Promise<void>, options: OpenOptions) {
    this.dir = dir
    this.isReadOnly = isReadOnly
    this.blobs = new FolderBlobs(dir)
    this.releaseLock = releaseLock
    this.problemList = new Problems(dir, isReadOnly)
    this.journal = new JournalWriter(join(dir, journalDirName))
    this.queue = new CommitQueue(
      dir,
      this.memory,
      this.journal,
      {
        onSynced: (entries) => {
          this.checkpoints.entriesSince += entries
        },
        onDrained: () => this.checkpoints.schedule(),
      },
      options.heldSyncMs ?? 250,
    )
    this.checkpoints = new Checkpoints(
      dir,
      this.memory,
      this.queue,
      this.journal,
      { entries: options.checkpointEntries ?? 4000, idleMs: options.checkpointIdleMs ?? 2000 },
      { canRun: () => !this.isReadOnly && this.isLoaded, isClosed: () => this.isClosed },
    )
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
      await store.load(options.isLazy ?? false, options.warmMonths ?? monthsInMemory)
      return store
    } catch (error) {
      // The open error is what the caller must see; a failed close of the journal is only logged.
      await store.journal.close().catch((closeError: unknown) => logger.error('store.journal_close_failed', closeError))
      await releaseLock()
      throw error
    }
  }

  get settings(): Settings {
    return this.memory.settings
  }

  get<K extends CollectionName>(collection: K, id: string): Collections[K] | undefined {
    return this.memory.cold.get(this.memory.records.get(collection), collection, id) as Collections[K] | undefined
  }

  /**
   * The record, read from its line if its month is on disk, without bringing the month back into
   * memory (unlike `get`): for a record only shown. Changing it still goes through `get`.
   */
  peek<K extends CollectionName>(collection: K, id: string): Collections[K] | undefined {
    return this.memory.cold.peekPast(this.memory.records.get(collection), collection, id) as Collections[K] | undefined
  }

  /**
   * Every record of a kind. Months left on disk (coldMonths.ts) are read from it again, and not
   * kept: a reader of the whole history does not bring it all back into memory.
   */
  all<K extends CollectionName>(collection: K): IterableIterator<Collections[K]> {
    return this.memory.allOf(collection) as IterableIterator<Collections[K]>
  }

  /** The records of a kind held in memory: all of them but those of months left on disk. */
  /** The record if it is in memory: a month left on disk is not read for it (unlike `get`). */
  getInMemory<K extends CollectionName>(collection: K, id: string): Collections[K] | undefined {
    return this.memory.records.get(collection)?.get(id) as Collections[K] | undefined
  }

  allInMemory<K extends CollectionName>(collection: K): IterableIterator<Collections[K]> {
    return (this.memory.records.get(collection) as Map<string, Collections[K]>).values()
  }

  /**
   * The records of a kind whose month (see collections.ts) is `from` or later, and those of no
   * month. Months left on disk from `from` on are read again and not kept; older ones are not
   * read at all, so a reader of the last months (the pattern sweep, an iceberg) leaves them alone.
   */
  allFrom<K extends CollectionName>(collection: K, from: string): Generator<Collections[K]> {
    return this.memory.cold.allFrom(this.memory.records.get(collection)!, collection, from) as Generator<Collections[K]>
  }

  /** The months whose records of this kind are still on disk only (newest first). */
  monthsOnDisk(collection: CollectionName): string[] {
    return this.memory.cold.listsOf(collection).map((list) => list.month)
  }

  /** The lists of a kind left on disk, newest month first, to read with readColdList / readColdRecord. */
  listsOnDisk(collection: CollectionName): readonly ColdList[] {
    return this.memory.cold.listsOf(collection)
  }

  count(collection: CollectionName): number {
    return (this.memory.records.get(collection)?.size ?? 0) + this.memory.cold.countOf(collection)
  }

  /** Changes whenever a record of this kind is added, replaced or removed (loading included): lets a service keep a derived index until it is stale. */
  revision(collection: CollectionName): number {
    return this.memory.revisions.get(collection) ?? 0
  }

  /**
   * Follows every record change in memory from now on (commits, loading, a failed commit put
   * back, a restore), so a service can keep an index up to date without rescanning the data.
   * Returns the function that stops it. A watcher must be quick and must not throw.
   */
  watch(watcher: RecordWatcher): () => void {
    this.memory.watchers.add(watcher)
    return () => this.memory.watchers.delete(watcher)
  }

  /** Every open problem: those set aside in quarantine/ and those found now but not set aside. */
  get problems(): readonly StorageProblem[] {
    return this.problemList.all
  }

  /** What this open found that was not known before: a CLI command then exits with code 3. */
  get newProblems(): readonly StorageProblem[] {
    return this.problemList.found
  }

  /** Reads quarantine/ again: another process may have found or dismissed a problem. */
  refreshProblems(): Promise<readonly StorageProblem[]> {
    return this.problemList.refresh()
  }

  /** "I have dealt with it": the file and its note move to quarantine/dealt-with/, kept. */
  dismissProblem(id: string): Promise<void> {
    return this.problemList.dismiss(id)
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
   * is put back as it was, so a failed operation leaves the stored data exactly as it was. One
   * that `mayWait` shares the next commit's sync (commitQueue.ts); the team database writes at once.
   */
  commit(changes: Change[], options: { mayWait?: boolean } = {}): Promise<void> {
    try {
      if (this.isReadOnly) throw readOnlyError()
      if (this.isClosed) throw new AppError('storage', 'The store is closed', { reason: 'store.closed' })
      if (this.fatal) throw this.fatal
      if (this.isReplacing) {
        throw new AppError('conflict', 'The data is being restored; try again in a moment', { reason: 'store.busy' })
      }
      const values = changes.map((change): QueuedChange => {
        if ('removed' in change) {
          this.requireKind(change.collection)
          return { collection: change.collection, removed: parseUnknown(id, change.removed) }
        }
        return change.collection === 'settings'
          ? { collection: 'settings', value: parseUnknown(Settings, change.value) as unknown as AnyRecord }
          : { collection: change.collection as string, value: this.parseRecord(change.collection, change.value) }
      })
      return this.queue.commit(values, options)
    } catch (error) {
      return Promise.reject(error)
    }
  }

  private parseRecord(collection: string, value: unknown): AnyRecord {
    return parseRecordOf(this.requireKind(collection), value)
  }

  private requireKind(collection: string): NonNullable<ReturnType<typeof kindOf>> {
    const kind = kindOf(collection)
    if (!kind)
      throw new AppError('invalid_input', `Unknown record kind ${collection}`, { reason: 'store.unknown_kind' })
    return kind
  }

  /**
   * Rewrites the dirty shards (tmp → fsync → rename → fsync dir), then the manifest, then drops
   * the journal segments they cover. On failure the shards stay dirty and the journal stays.
   */
  checkpoint(): Promise<void> {
    return this.checkpoints.run()
  }

  /** Every record as of now, each kind sorted by id. */
  snapshot(): DataFile {
    return this.memory.snapshot()
  }

  /** The logical data set, for export and backups. */
  dataSet(): DataSet {
    return this.memory.dataSet()
  }

  /**
   * Replaces every record with a validated data set (restore, import). The new shards are
   * staged in a side folder and swapped in with one rename; the manifest there ignores every
   * older journal segment, so a crash at any point leaves either the old or the new data.
   */
  async replaceAll(input: unknown): Promise<void> {
    if (this.isReadOnly) throw readOnlyError()
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
    await this.checkpoints.settled()
    const previous = this.memory.save()
    try {
      this.memory.replaceWith(data)
      const dataDir = await swapInStaged(this.dir, async (staging) => {
        const captured = await this.queue.rotate()
        const journalFrom = this.journal.segment
        const base = { ...this.checkpoints.manifest, shards: {} }
        await writeShards(staging, captured, journalFrom, base, this.memory.extras)
      })
      this.checkpoints.manifest = await readWrittenManifest(dataDir)
    } catch (error) {
      // The old shards and journal are intact on disk; everything is rewritten at the next checkpoint.
      this.memory.restore(previous)
      await undoFailedSwap(this.dir)
      throw storageError(this.dir, error)
    }
    // What was found damaged no longer describes the data: every open problem is dealt with
    // (the files stay, in quarantine/dealt-with/).
    await this.problemList.dealWithAll()
    await removeOldData(this.dir)
    await deleteSegmentsBefore(join(this.dir, journalDirName), this.checkpoints.manifest.journalFrom).catch(
      (e: unknown) => logger.warn('store.journal_cleanup_failed', e),
    )
  }

  /** Resolves when every commit made so far has been synced (or has failed). */
  idle(): Promise<void> {
    return this.queue.idle()
  }

  async close(): Promise<void> {
    if (this.isClosed) return
    // A failed background load was logged and made `fatal`; closing must still release the lock.
    await this.fullyLoaded.catch(() => undefined)
    await this.idle()
    this.checkpoints.stopTimer()
    // Logged where it ran (Checkpoints.schedule); the final checkpoint below tries again.
    await this.checkpoints.settled()
    // A final checkpoint makes the next start-up read shards only, with no journal to replay. The
    // journal keeps every acknowledged write if it fails, so closing goes on after logging it.
    if (!this.isReadOnly && this.memory.dirty.size > 0 && !this.fatal)
      await this.checkpoint().catch((error: unknown) => logger.error('store.checkpoint_failed', error))
    this.isClosed = true
    await this.journal.close()
    await this.releaseLock()
  }

  /**
   * Replayed changes that added to a record's lists but could not be put back (the record was lost
   * with a damaged month, or is not the one they were made on): one problem, the changes kept.
   */
  private async reportLeftOut(leftOut: LeftOut[]): Promise<void> {
    const lines = leftOut.flatMap(({ collection, left }) =>
      left.map(({ seq, value, grown }) => journalLine(seq, [{ collection, value, grown }])),
    )
    const records = leftOut.map(({ collection, left, why }) => `${collection} ${left[0]!.value.id} (${why})`)
    const message = `journal: what ${lines.length} change(s) added to these records was left out: ${firstFive(records)}`
    await this.problemList.reportLeftOut(
      join(this.dir, journalDirName),
      'journal-left-out.jsonl',
      lines.join(''),
      message,
    )
  }

  /**
   * Start-up: manifest → global shard → the two newest months → journal replay (the journal
   * wins over shards) → older months (in the background with `isLazy`) → damaged shards
   * completed from a backup → a checkpoint if anything needs writing back.
   */
  private async load(isLazy: boolean, warmMonths: number): Promise<void> {
    const legacyPath = join(this.dir, dataFileName)
    const dataDir = await finishInterruptedSwap(this.dir, this.isReadOnly)
    await this.problemList.refresh()
    const manifestPath = join(dataDir, manifestName)
    const hasShards = await exists(manifestPath)
    if (!hasShards && (await exists(legacyPath))) {
      await migrateV1(legacyPath, {
        dir: this.dir,
        isReadOnly: this.isReadOnly,
        memory: this.memory,
        journal: this.journal,
        markLoaded: () => {
          this.isLoaded = true
        },
        checkpoint: () => this.checkpoint(),
      })
      return
    }
    if (hasShards && !this.isReadOnly && (await exists(legacyPath))) await finishCutMigration(this.dir, legacyPath)
    const read = await readManifest(manifestPath)
    if (read && 'damage' in read) await this.problemList.report(manifestPath, read.damage)
    else if (read) this.checkpoints.manifest = read.manifest
    const trust = this.checkpoints.manifest.schemaFingerprint === schemaFingerprint
    const loader = new ShardLoader(this.dir, this.memory, isLazy)
    this.memory.changedWhileLoading = new Map()
    const loadShard = async (
      shard: string,
      { leaveOnDisk = [] as readonly string[], readLater = [] as readonly string[], isTrusted = trust } = {},
    ) => {
      const path = shardPath(dataDir, shard)
      const damage = await loader.load(shard, path, this.checkpoints.manifest, isTrusted, leaveOnDisk, readLater)
      if (!damage) return
      const problem = await this.problemList.report(path, damage.message)
      this.problemList.damaged.set(shard, { problem, read: damage.read, hasSettings: damage.hasSettings })
    }
    await loadShard(globalShard)
    const months = await listMonths(join(dataDir, monthsDirName))
    const first = months.slice(0, 2)
    const rest = months.slice(2)
    // Months are newest first ("undated" sorts before them and is always read in). A read-only
    // open reads every month: the process holding the folder may rewrite a shard under it.
    const dated = months.filter((month) => month !== 'undated')
    const isOld = new Set(this.isReadOnly ? [] : dated.slice(Math.max(2, warmMonths)))
    // Today and the first pages need the newest months' cases and promises; their grumbles and
    // churn signals, ~60 % of a month's bytes, are read once the open has answered. Not read-only:
    // the writer may rewrite the shard in between, and a month must be read as one file.
    const readLater = isLazy && !this.isReadOnly ? coldKinds : []
    for (const month of first) await loadShard(month, { readLater })
    // A list that does not read as written is read again with its whole shard, every record checked.
    const readDeferred = async () => {
      for (const shard of loader.readDeferred()) await loadShard(shard, { isTrusted: false })
    }
    const replay = await readJournal(join(this.dir, journalDirName), {
      isReadOnly: this.isReadOnly,
      from: this.checkpoints.manifest.journalFrom,
      quarantine: (path, reason) => this.problemList.quarantine(path, reason),
      check: checkChange,
    })
    // A journal to replay (after a crash): those lists are read first, so that records keep the
    // order a full read gives them (the journal's new records after the month's).
    if (replay.entries.length > 0) await readDeferred()
    this.problemList.addFromJournal(replay.problems)
    let replayed = 0
    const leftOut: LeftOut[] = []
    const onLeftOut: LeftOutGrowth = (collection, left, why) => leftOut.push({ collection, left, why })
    for (const entry of replay.entries) {
      this.queue.sawSeq(entry.seq)
      replayed++
      applyJournalEntry(this.memory, entry, onLeftOut)
    }
    const lastSegment = replay.segments.at(-1) ?? 0
    if (!this.isReadOnly)
      await this.journal.openSegment(Math.max(lastSegment, this.checkpoints.manifest.journalFrom, 1))
    this.checkpoints.entriesSince = replayed
    const finish = async () => {
      if (isLazy) await nextTurn()
      await loader.shareWaiting()
      await readDeferred()
      for (const month of rest) {
        await loadShard(month, { leaveOnDisk: isOld.has(month) ? kindsLeftOnDisk : [] })
        if (isLazy) await nextTurn()
      }
      this.isLoaded = true
      this.memory.changedWhileLoading = undefined
      loader.release()
      await recoverDamaged(this.dir, this.memory, this.problemList.damaged, this.checkpoints.manifest)
      this.memory.applyAwaitingGrowth(onLeftOut)
      if (leftOut.length > 0) await this.reportLeftOut(leftOut)
      if (!trust && !this.isReadOnly) this.memory.markAllDirty()
      if (!this.isReadOnly) await this.problemList.refresh()
      const found = this.problemList.found.length
      if (!this.isReadOnly && (found > 0 || !trust || replayed >= this.checkpoints.options.entries)) {
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
}
