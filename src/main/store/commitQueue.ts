import { type Settings } from '../../shared/schemas'
import { keptOnDisk } from './coldMonths'
import { growthSince } from './growth'
import { type JournalWriter, journalLine } from './journal'
import { type AnyRecord, globalKinds, monthKinds, shardOf } from './kinds'
import { globalShard } from './layout'
import { type Memory, type ShardContent } from './memory'
import { currentSchemaVersion } from './migrations'
import { storageError } from './storeErrors'
import { nextTurn } from '../eventLoop'

/** A validated change as the journal keeps it: a whole record, or the id of a record removed. */
export type QueuedChange = { collection: string; value: AnyRecord } | { collection: string; removed: string }

type Touched = { collection: string; id: string; hadBefore: boolean; before: unknown }
type Pending = {
  line: string
  touched: Touched[]
  settingsBefore: Settings | undefined
  resolve: () => void
  reject: (error: unknown) => void
}
type RotateRequest = { resolve: (v: Map<string, ShardContent>) => void; reject: (e: unknown) => void }

/**
 * How long a background writer waits before its next stretch of work, in ms (0: go on now): until
 * `quietMs` after the last commit came or synced, never past `giveUpAt`; a sync under way is busy.
 */
export function waitForQuiet(
  now: number,
  lastBusyAt: number,
  isFlushing: boolean,
  quietMs: number,
  giveUpAt: number,
): number {
  if (now >= giveUpAt) return 0
  const quietAt = isFlushing ? now + 1 : lastBusyAt + quietMs
  return quietAt <= now ? 0 : Math.max(1, Math.min(quietAt, giveUpAt) - now)
}

/**
 * The only writer of the journal. A commit is applied in memory at once and resolves once its
 * line is fdatasync'ed; commits arriving while a sync runs share the next one. A checkpoint or a
 * restore asks for a rotation here, so the shards it writes match the journal segment boundary.
 */
export class CommitQueue {
  private seq = 0
  private pending: Pending[] = []
  private isFlushing = false
  private flushDone: Promise<void> = Promise.resolve()
  private rotateRequests: RotateRequest[] = []
  /** When a commit last came in or last synced (performance.now()). */
  private lastBusyAt = -Infinity
  /** The sync held back for a commit that may wait (see `commit`), if one is. */
  private heldSync: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly dir: string,
    private readonly memory: Memory,
    private readonly journal: JournalWriter,
    private readonly events: { onSynced: (entries: number) => void; onDrained: () => void },
    /**
     * How long a commit that may wait holds its sync back for the next commit: past a person's
     * quickest next save, short enough that what it holds is on disk before anyone looks for it.
     */
    private readonly heldSyncMs: number,
  ) {}

  /** A replayed journal entry: later commits get higher numbers. */
  sawSeq(seq: number): void {
    this.seq = Math.max(this.seq, seq)
  }

  /**
   * Applies validated records (or removals) in memory and resolves once they are in the journal on
   * disk. A commit that `mayWait` (one nobody waits for: the escalations a save's sweep raised) is
   * synced with the next commit, or after `heldSyncMs` at the latest: a person saving again at once
   * then waits for one sync, not for the sweep's and then their own.
   */
  commit(values: QueuedChange[], { mayWait = false } = {}): Promise<void> {
    this.lastBusyAt = performance.now()
    const seq = ++this.seq
    const journalled: unknown[] = []
    const touched: Touched[] = []
    let settingsBefore: Settings | undefined
    for (const change of values) {
      const { collection } = change
      if ('removed' in change) {
        // A record of a month still on disk comes in first: `before` must be what was stored.
        this.memory.bringIn(collection, change.removed)
        const map = this.memory.records.get(collection)!
        touched.push({
          collection,
          id: change.removed,
          hadBefore: map.has(change.removed),
          before: map.get(change.removed),
        })
        this.memory.put(collection, change.removed, undefined)
        journalled.push(change)
        continue
      }
      const { value } = change
      if (collection === 'settings') {
        settingsBefore ??= this.memory.settings
        this.memory.settings = value as unknown as Settings
        this.memory.dirty.add(globalShard)
        journalled.push(change)
        continue
      }
      this.memory.bringIn(collection, value.id)
      const map = this.memory.records.get(collection)!
      const before = map.get(value.id)
      touched.push({ collection, id: value.id, hadBefore: map.has(value.id), before })
      this.memory.put(collection, value.id, value)
      const growth = growthSince(collection, before, value)
      journalled.push(growth ? { collection, ...growth } : change)
    }
    let line: string
    try {
      line = journalLine(seq, journalled)
    } catch (error) {
      // Nothing reached the journal: memory goes back as it was.
      this.revert({ touched, settingsBefore })
      return Promise.reject(storageError(this.dir, error))
    }
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ line, touched, settingsBefore, resolve, reject })
      if (!mayWait || this.isFlushing) this.kick()
      else this.heldSync ??= setTimeout(() => this.kick(), this.heldSyncMs)
    })
  }

  /**
   * Starts a new journal segment and answers the durable content of every dirty shard at that
   * instant; the dirty set is cleared (a failed rotation marks those shards dirty again).
   */
  rotate(): Promise<Map<string, ShardContent>> {
    return new Promise<Map<string, ShardContent>>((resolve, reject) => {
      this.rotateRequests.push({ resolve, reject })
      this.kick()
    })
  }

  /**
   * Resolves once no commit has come or synced for `quietMs`, and after `atMostMs` at the latest:
   * a checkpoint waits here between stretches of its work, so that a save (a few commits with the
   * rules run between them) does not share the processor and the disk with it, while a steady
   * stream of writes still lets it on.
   */
  async quiet(quietMs: number, atMostMs: number): Promise<void> {
    const giveUpAt = performance.now() + atMostMs
    for (;;) {
      const wait = waitForQuiet(performance.now(), this.lastBusyAt, this.isFlushing, quietMs, giveUpAt)
      if (wait === 0) break
      await new Promise((resolve) => setTimeout(resolve, wait))
    }
    await nextTurn()
  }

  /** Resolves when every commit made so far has been synced (or has failed). */
  async idle(): Promise<void> {
    while (this.isFlushing || this.pending.length > 0) {
      if (!this.isFlushing) this.kick()
      await this.flushDone
    }
  }

  private kick(): void {
    clearTimeout(this.heldSync)
    this.heldSync = undefined
    if (!this.isFlushing) this.flushDone = this.flushLoop()
  }

  /** Groups whatever is pending into one append + one sync. */
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
              for (const shard of captured.keys()) this.memory.dirty.add(shard)
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
        this.lastBusyAt = performance.now()
        this.events.onSynced(group.length)
        for (const p of group) p.resolve()
      }
    } finally {
      this.isFlushing = false
    }
    this.events.onDrained()
  }

  private revert(p: Pick<Pending, 'touched' | 'settingsBefore'>): void {
    for (const t of [...p.touched].reverse())
      this.memory.put(t.collection, t.id, t.hadBefore ? (t.before as AnyRecord) : undefined)
    if (p.settingsBefore) this.memory.settings = p.settingsBefore
  }

  /**
   * The durable state of every dirty shard at this instant: memory minus commits not yet synced
   * (those go to the new segment, and a failed one must not reach a snapshot).
   */
  private capture(): Map<string, ShardContent> {
    const { memory } = this
    const overrides = new Map<string, Map<string, AnyRecord | undefined>>()
    let settings = memory.settings
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
        const now = memory.records.get(t.collection)?.get(t.id)
        if (now) again.add(shardOf(t.collection, now))
        if (t.before) again.add(shardOf(t.collection, t.before as AnyRecord))
      }
    }
    const shards = new Set(memory.dirty)
    for (const shard of again) shards.add(shard)
    memory.dirty.clear()
    for (const shard of again) memory.dirty.add(shard)
    const durable = (collection: string, id: string): AnyRecord | undefined => {
      const byId = overrides.get(collection)
      return byId?.has(id) ? byId.get(id) : memory.records.get(collection)!.get(id)
    }
    const out = new Map<string, ShardContent>()
    for (const shard of shards) {
      const content: ShardContent = { schemaVersion: currentSchemaVersion, shard, ...memory.extras.get(shard) }
      if (shard === globalShard) {
        content.settings = settings
        for (const kind of globalKinds) {
          const list: AnyRecord[] = []
          for (const id of memory.records.get(kind)!.keys()) {
            const value = durable(kind, id)
            if (value) list.push(value)
          }
          for (const [id, value] of overrides.get(kind) ?? [])
            if (value && !memory.records.get(kind)!.has(id)) list.push(value)
          content[kind] = list
        }
      } else {
        for (const kind of monthKinds) {
          // A list left on disk holds every record of its kind and month (Memory.put): copied as it is.
          const onDisk = memory.cold.listOf(kind, shard)
          if (onDisk) {
            content[kind] = keptOnDisk(onDisk)
            continue
          }
          const list: AnyRecord[] = []
          const ids = memory.membersOf(shard, kind)
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
}
