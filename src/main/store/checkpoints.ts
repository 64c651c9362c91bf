import { mkdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { Low } from 'lowdb'
import { logger } from '../log/logger'
import { type CommitQueue } from './commitQueue'
import { nextTurn } from '../eventLoop'
import { DurableJSONFile, listLength } from './durable'
import { type JournalWriter, deleteSegmentsBefore } from './journal'
import { kindsOf, monthKinds, schemaFingerprint } from './kinds'
import { dataDirName, globalShard, journalDirName, monthsDirName, shardPath } from './layout'
import { type Manifest, emptyManifest, writeManifest } from './manifest'
import { type Memory, type ShardContent } from './memory'
import { currentSchemaVersion } from './migrations'
import { storageError } from './storeErrors'

/**
 * Writes shards one by one, yielding between them, then the manifest that lists them; answers
 * that manifest. A month left with no records loses its file (unless it holds a newer build's kinds).
 */
export async function writeShards(
  dataDir: string,
  shards: Map<string, ShardContent>,
  journalFrom: number,
  base: Manifest,
  extras: Memory['extras'],
  giveWay: () => Promise<void> = nextTurn,
): Promise<Manifest> {
  await mkdir(join(dataDir, monthsDirName), { recursive: true, mode: 0o700 })
  const manifest: Manifest = {
    schemaVersion: currentSchemaVersion,
    schemaFingerprint,
    journalFrom,
    shards: { ...base.shards },
  }
  for (const [shard, content] of shards) {
    const path = shardPath(dataDir, shard)
    const isEmpty = shard !== globalShard && monthKinds.every((k) => listLength(content[k]) === 0)
    if (isEmpty && !extras.has(shard)) {
      await rm(path, { force: true })
      delete manifest.shards[shard]
      continue
    }
    const adapter = new DurableJSONFile<ShardContent>(path, { giveWay })
    const db = new Low<ShardContent>(adapter, content)
    await db.write()
    const { mtimeMs } = await stat(path)
    const counts: Record<string, number> = {}
    for (const kind of kindsOf(shard)) counts[kind] = listLength(content[kind])
    manifest.shards[shard] = { sha1: adapter.lastHash, bytes: adapter.lastBytes, mtimeMs, counts }
    await giveWay()
  }
  await writeManifest(dataDir, manifest)
  return manifest
}

/** A save is a few commits with the rules run between them: this much quiet means it is over. */
const saveQuietMs = 30
/** A checkpoint waits this long at most between stretches of work, however busy the writes. */
const giveWayAtMostMs = 250

/**
 * When and how the dirty shards are written back: after `entries` journal entries, or when no
 * write came for `idleMs`. Holds the manifest of data/ as last read or written.
 */
export class Checkpoints {
  manifest: Manifest = emptyManifest()
  /** Journal entries not yet covered by the shards. */
  entriesSince = 0
  private idleTimer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined

  constructor(
    private readonly dir: string,
    private readonly memory: Memory,
    private readonly queue: CommitQueue,
    private readonly journal: JournalWriter,
    readonly options: { entries: number; idleMs: number },
    /** Read-only opens and opens still loading never checkpoint; a closed store schedules none. */
    private readonly state: { canRun: () => boolean; isClosed: () => boolean },
  ) {}

  /** Called when the commit queue has drained. */
  schedule(): void {
    if (!this.state.canRun() || this.state.isClosed()) return
    if (this.entriesSince >= this.options.entries) {
      void this.run().catch((error: unknown) => logger.error('store.checkpoint_failed', error))
      return
    }
    clearTimeout(this.idleTimer)
    this.idleTimer = setTimeout(() => {
      if (this.memory.dirty.size > 0)
        void this.run().catch((error: unknown) => logger.error('store.checkpoint_failed', error))
    }, this.options.idleMs)
    this.idleTimer.unref()
  }

  stopTimer(): void {
    clearTimeout(this.idleTimer)
  }

  /** Resolves when a running checkpoint ends; its failure was already logged or thrown where it ran. */
  async settled(): Promise<void> {
    await this.running?.catch(() => undefined)
  }

  /**
   * Rewrites the dirty shards (tmp → fsync → rename → fsync dir), then the manifest, then drops
   * the journal segments they cover. On failure the shards stay dirty and the journal stays.
   */
  run(): Promise<void> {
    if (!this.state.canRun()) return Promise.resolve()
    if (this.running) return this.running
    clearTimeout(this.idleTimer)
    const run = (async () => {
      this.entriesSince = 0
      const captured = await this.queue.rotate()
      const journalFrom = this.journal.segment
      try {
        this.manifest = await writeShards(
          join(this.dir, dataDirName),
          captured,
          journalFrom,
          this.manifest,
          this.memory.extras,
          () => this.queue.quiet(saveQuietMs, giveWayAtMostMs),
        )
      } catch (error) {
        for (const shard of captured.keys()) this.memory.dirty.add(shard)
        throw storageError(this.dir, error)
      }
      // The shards already hold these segments' changes: a segment left behind is replayed again
      // (idempotently) and deleted by the next checkpoint, so this failure is logged, not thrown.
      await deleteSegmentsBefore(join(this.dir, journalDirName), journalFrom).catch((error: unknown) =>
        logger.warn('store.journal_cleanup_failed', error),
      )
    })()
    this.running = run.finally(() => {
      this.running = undefined
    })
    return this.running
  }
}
