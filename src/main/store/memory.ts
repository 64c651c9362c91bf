import { type Settings, defaultSettings } from '../../shared/schemas'
import { type DataFile, type DataSet } from './dataSet'
import { type AnyRecord, kindNames, monthKinds, shardOf } from './kinds'
import { globalShard } from './layout'
import { currentSchemaVersion } from './migrations'

/** One shard file's content: schemaVersion, shard, settings (global only) and a list per kind. */
export type ShardContent = Record<string, unknown>

/**
 * Follows every change to the records in memory: a set or removal one at a time (`before` and
 * `after`, either absent), or `onReset` when everything was replaced at once (a restore).
 */
export type RecordWatcher = {
  onPut: (collection: string, before: AnyRecord | undefined, after: AnyRecord | undefined) => void
  onReset: () => void
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

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
  readonly dirty = new Set<string>()
  readonly revisions = new Map<string, number>()
  /** Keys in a shard this build does not know (a kind added by a newer build): kept as they were. */
  readonly extras = new Map<string, Record<string, unknown>>()
  /** Told about every record set or removed, and about wholesale replacements (see Store.watch). */
  readonly watchers = new Set<RecordWatcher>()

  /** Sets (or, with `undefined`, removes) a record and marks the shards it leaves and enters. */
  put(collection: string, id: string, value: AnyRecord | undefined, isDirty = true): void {
    const map = this.records.get(collection)!
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
        this.membersOf(to, collection).add(id)
        if (isDirty) this.dirty.add(to)
      }
    } else if (isDirty) this.dirty.add(globalShard)
    if (value) map.set(id, value)
    else map.delete(id)
    for (const watcher of this.watchers) watcher.onPut(collection, old, value)
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

  /** Every record as of now, each kind sorted by id. */
  snapshot(): DataFile {
    const lists = Object.fromEntries(
      kindNames.map((name) => [name, [...this.records.get(name)!.values()].sort((a, b) => compare(a.id, b.id))]),
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
    return { settings: this.settings, records: new Map([...this.records].map(([k, v]) => [k, new Map(v)])) }
  }

  /** Replaces everything with a validated data set; every shard becomes dirty. */
  replaceWith(data: DataSet): void {
    this.settings = data.settings
    for (const map of this.records.values()) map.clear()
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
    for (const [kind, map] of saved.records) {
      this.records.get(kind)!.clear()
      for (const [id, r] of map) this.put(kind, id, r, false)
    }
    this.markAllDirty()
    this.resetWatchers()
  }
}
