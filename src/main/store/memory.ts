import { type Settings, defaultSettings } from '../../shared/schemas'
import { byCodeUnits } from '../../shared/core/order'
import { type DataFile, type DataSet } from './dataSet'
import { ColdMonths } from './coldMonths'
import { type AnyRecord, kindNames, monthKinds, shardOf } from './kinds'
import { globalShard } from './layout'
import { currentSchemaVersion } from './migrations'
import { type Grown, withGrowth } from './growth'

/** A replayed journal change that adds to a record's lists (growth.ts), with the entry it came in. */
export type AwaitingGrowth = { seq: number; value: AnyRecord; grown: Grown }
/** Told of replayed changes that could not be put back into their record, and why. */
export type LeftOutGrowth = (collection: string, left: AwaitingGrowth[], why: string) => void

/** One shard file's content: schemaVersion, shard, settings (global only) and a list per kind. */
export type ShardContent = Record<string, unknown>

/**
 * Follows every change to the records in memory: a set or removal one at a time (`before` and
 * `after`, either absent), or `onReset` when everything was replaced at once (a restore).
 * `isElsewhere`: the change was made at another desk of the team database (read from it, not
 * committed here).
 */
export type RecordWatcher = {
  onPut: (
    collection: string,
    before: AnyRecord | undefined,
    after: AnyRecord | undefined,
    isElsewhere?: boolean,
  ) => void
  onReset: () => void
}

/**
 * Every record in memory, and which shards (the global one, one per month) hold them and must
 * be rewritten by the next checkpoint.
 */
export class Memory {
  settings: Settings = defaultSettings()
  readonly records = new Map<string, Map<string, AnyRecord>>(kindNames.map((n) => [n, new Map()]))
  /**
   * month → kind → ids: which records a month shard holds. A trusted shard's loaded list stands
   * in for its Set until a write or checkpoint touches that month: most months never need one.
   */
  readonly members = new Map<string, Map<string, Set<string> | AnyRecord[]>>()
  /**
   * The shards to write at the next checkpoint. A month's lists left on disk stay there: the
   * checkpoint copies their lines from the file it replaces (keptOnDisk).
   */
  readonly dirty = new Set<string>()
  /** Records of older months still on disk (coldMonths.ts): read again by readers, taken in to be changed. */
  readonly cold = new ColdMonths((month, kind, records) =>
    this.placeShardList(month, kind, records, { tellWatchers: true }),
  )
  readonly revisions = new Map<string, number>()
  /** Keys in a shard this build does not know (a kind added by a newer build): kept as they were. */
  readonly extras = new Map<string, Record<string, unknown>>()
  /**
   * While the store loads: the records replayed from the journal or committed, per kind. A month
   * loaded later that holds one of them is read in whole (its copy is older and must be rewritten),
   * and its copy of one since removed stays out.
   */
  changedWhileLoading: Map<string, Set<string>> | undefined
  /**
   * Replayed changes that add to the lists of a record whose month is read later, per kind and
   * id, in journal order (growth.ts): applied once every month is in (`applyAwaitingGrowth`).
   */
  private readonly awaitingGrowth = new Map<string, Map<string, AwaitingGrowth[]>>()
  /** Told about every record set or removed, and about wholesale replacements (see Store.watch). */
  readonly watchers = new Set<RecordWatcher>()

  /** Sets (or, with `undefined`, removes) a record and marks the shards it leaves and enters. */
  put(collection: string, id: string, value: AnyRecord | undefined, isDirty = true): void {
    // The copy on disk (if any) comes in first: it is `before`, and its month must be rewritten.
    this.bringIn(collection, id)
    const map = this.records.get(collection)!
    if (isDirty && this.changedWhileLoading) {
      const ids = this.changedWhileLoading.get(collection)
      if (ids) ids.add(id)
      else this.changedWhileLoading.set(collection, new Set([id]))
      // A newer whole record (or its removal): what earlier changes added is in it, or gone with it.
      this.awaitingGrowth.get(collection)?.delete(id)
    }
    this.bumpRevision(collection)
    const old = map.get(id)
    if (monthKinds.includes(collection)) {
      const from = old ? shardOf(collection, old) : undefined
      const to = value ? shardOf(collection, value) : undefined
      if (from !== undefined && from !== to) {
        this.membersOf(from, collection).delete(id)
        if (isDirty) this.dirty.add(from)
      }
      if (to !== undefined) {
        // A month's list of a kind is on disk or in memory, never partly both: a record added to
        // one on disk (heard in an old month) brings it in.
        this.cold.take(collection, to)
        this.membersOf(to, collection).add(id)
        if (isDirty) this.dirty.add(to)
      }
    } else if (isDirty) this.dirty.add(globalShard)
    if (value) map.set(id, value)
    else map.delete(id)
    for (const watcher of this.watchers) watcher.onPut(collection, old, value)
  }

  /**
   * Whether memory's word on a record of this kind beats a shard's copy being read in: it holds
   * the record, or the journal or a commit removed it while the store was loading (the shard's
   * copy is older). The maps are looked up once: it is asked for every record a load reads.
   */
  newerInMemory(collection: string): (id: string) => boolean {
    const map = this.records.get(collection)!
    const changed = this.changedWhileLoading?.get(collection)
    return changed ? (id) => map.has(id) || changed.has(id) : (id) => map.has(id)
  }

  /** A replayed change adding to the lists of a record not in memory yet (see `awaitingGrowth`). */
  awaitGrowth(collection: string, change: AwaitingGrowth): void {
    let byId = this.awaitingGrowth.get(collection)
    if (!byId) this.awaitingGrowth.set(collection, (byId = new Map()))
    const waiting = byId.get(change.value.id)
    if (waiting) waiting.push(change)
    else byId.set(change.value.id, [change])
  }

  /**
   * Once every month is in: each waiting change put back into its record, in journal order. A
   * record still missing, or a change that does not fit it, is handed to `onLeftOut` with the
   * changes after it (each builds on the one before).
   */
  applyAwaitingGrowth(onLeftOut: LeftOutGrowth): void {
    for (const [collection, byId] of this.awaitingGrowth) {
      for (const [id, waiting] of byId) {
        let record = this.records.get(collection)!.get(id)
        if (!record) {
          onLeftOut(collection, waiting, 'the record it adds to was not found')
          continue
        }
        for (const [index, change] of waiting.entries()) {
          const grown = withGrowth(record, change.value, change.grown)
          if (typeof grown === 'string') {
            onLeftOut(collection, waiting.slice(index), grown)
            break
          }
          record = grown
        }
        if (record !== this.records.get(collection)!.get(id)) this.put(collection, id, record)
      }
    }
    this.awaitingGrowth.clear()
  }

  /** A record not in memory may be in a month still on disk (coldMonths.ts): that month comes in. */
  bringIn(collection: string, id: string): void {
    const map = this.records.get(collection)
    if (map && !map.has(id)) this.cold.takeId(collection, id)
  }

  /**
   * A list of a shard MakeGood wrote (a trusted shard at start-up, a month on disk read back), so
   * every record belongs there. A copy memory holds, or a record removed while loading, is newer
   * and wins, and the shard is then rewritten, or the stale copy would come back. Watchers hear of
   * each record only when asked: a load tells them once it is over (the revision moves on).
   */
  placeShardList(shard: string, kind: string, records: AnyRecord[], { tellWatchers = false } = {}): void {
    const map = this.records.get(kind)!
    this.bumpRevision(kind)
    // The global shard's kinds are found by id alone: only months keep who their members are.
    if (shard !== globalShard) {
      const byKind = this.members.get(shard)
      if (byKind?.has(kind)) for (const record of records) this.membersOf(shard, kind).add(record.id)
      else if (byKind) byKind.set(kind, records)
      else this.members.set(shard, new Map([[kind, records]]))
    }
    const isNewer = this.newerInMemory(kind)
    for (const record of records) {
      if (isNewer(record.id)) {
        this.dirty.add(shard)
        continue
      }
      map.set(record.id, record)
      if (tellWatchers) for (const watcher of this.watchers) watcher.onPut(kind, undefined, record)
    }
  }

  /**
   * Every kind emptied, and every kind's revision moved on: what was worked out from a kind is
   * stale even when the data put back holds none of it (nothing else would move its revision).
   */
  private clearRecords(): void {
    for (const [kind, map] of this.records) {
      map.clear()
      this.bumpRevision(kind)
    }
  }

  private resetWatchers(): void {
    for (const watcher of this.watchers) watcher.onReset()
  }

  bumpRevision(collection: string): void {
    this.revisions.set(collection, (this.revisions.get(collection) ?? 0) + 1)
  }

  membersOf(month: string, collection: string): Set<string> {
    let byKind = this.members.get(month)
    if (!byKind) this.members.set(month, (byKind = new Map()))
    const ids = byKind.get(collection)
    if (ids instanceof Set) return ids
    // A loaded list may name a record the journal has since moved to another month: capture()
    // (CommitQueue) keeps only records whose month is this one, so a stale id here is harmless.
    const set = new Set(ids?.map((record) => record.id))
    byKind.set(collection, set)
    return set
  }

  /** Every shard must be written again (a migration, a restore, a schema this build changed). */
  markAllDirty(): void {
    this.dirty.add(globalShard)
    for (const month of this.members.keys()) this.dirty.add(month)
  }

  /** Adds a data set's records without marking anything dirty (loading, restoring). */
  putAll(data: DataSet): void {
    for (const [kind, list] of Object.entries(data.collections)) for (const r of list) this.put(kind, r.id, r, false)
  }

  /** Every record of a kind: those in memory, then those of months left on disk, read but not kept. */
  allOf(kind: string): Generator<AnyRecord> {
    return this.cold.allOf(this.records.get(kind)!, kind)
  }

  /** Every record as of now, each kind sorted by id (months left on disk are read, not kept). */
  snapshot(): DataFile {
    const lists = Object.fromEntries(
      kindNames.map((name) => [name, [...this.allOf(name)].sort((a, b) => byCodeUnits(a.id, b.id))]),
    )
    return { schemaVersion: currentSchemaVersion, settings: this.settings, ...lists } as DataFile
  }

  /** The logical data set, for export and backups. */
  dataSet(): DataSet {
    const snapshot = this.snapshot() as unknown as Record<string, AnyRecord[]>
    return {
      schemaVersion: currentSchemaVersion,
      settings: this.settings,
      collections: Object.fromEntries(kindNames.map((name) => [name, snapshot[name]!])),
    }
  }

  /** What a restore puts back if it fails: the settings and a copy of every record map. */
  save(): { settings: Settings; records: Map<string, Map<string, AnyRecord>> } {
    this.cold.takeAll()
    return { settings: this.settings, records: new Map([...this.records].map(([k, v]) => [k, new Map(v)])) }
  }

  /** Replaces everything with a validated data set; every shard becomes dirty. */
  replaceWith(data: DataSet): void {
    // The shards on disk are about to be replaced: nothing may be read back from them later.
    this.cold.takeAll()
    this.settings = data.settings
    this.clearRecords()
    this.members.clear()
    this.extras.clear()
    this.putAll(data)
    this.dirty.clear()
    this.markAllDirty()
    this.resetWatchers()
  }

  /** Puts back what `save()` kept; every shard becomes dirty (the next checkpoint rewrites them). */
  restore(saved: ReturnType<Memory['save']>): void {
    this.settings = saved.settings
    this.members.clear()
    this.clearRecords()
    for (const [kind, map] of saved.records) for (const [id, r] of map) this.put(kind, id, r, false)
    this.markAllDirty()
    this.resetWatchers()
  }
}
