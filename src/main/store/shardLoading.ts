import { open as openFile } from 'node:fs/promises'
import { own } from '../../shared/core/own'
import { Settings } from '../../shared/schemas'
import { sha1 } from './durable'
import { type Grown, grownIssue, withGrowth } from './growth'
import { type ChangeCheck, type JournalChange, type JournalEntry } from './journal'
import { type AnyRecord, issueText, kindOf, kindsOf, shardOf } from './kinds'
import { globalShard } from './layout'
import { type Manifest } from './manifest'
import { type LeftOutGrowth, type Memory } from './memory'
import { currentSchemaVersion, newerVersionError, versionOf } from './migrations'
import {
  type RecordLines,
  type Section,
  type WrittenShard,
  listSections,
  parseList,
  readRecordLines,
  recordLinesOf,
} from './coldMonths'
import { salvageShard } from './salvage'
import { SharedStrings } from './sharedStrings'
import { storageError } from './storeErrors'
import { nextTurn } from '../eventLoop'

/** What was wrong with a shard, and how much of it could still be read. */
export type ShardDamage = { message: string; read: number; hasSettings: boolean }

/** A kind's list of a trusted shard, read later from where its record lines lie in the file. */
type DeferredList = {
  shard: string
  kind: string
  file: WrittenShard
  section: Section
  count: number
}

/** Reads shard files into memory, reusing one buffer while the store loads. */
export class ShardLoader {
  private readBuffer = Buffer.alloc(0)
  private readonly strings = new SharedStrings()
  private readonly share = (value: unknown) => this.strings.share(value)
  private deferred: DeferredList[] = []
  private waitingToShare: unknown[] = []
  /** Work on records read that must come after their strings are shared (it freezes objects). */
  private afterSharing: (() => void)[] = []

  /**
   * @param isSharingLater What is read keeps its strings until `shareWaiting`: a lazy open answers
   * first (sharing the global data and the newest months' strings took ~45 ms of the ~500 before Today).
   */
  constructor(
    private readonly dir: string,
    private readonly memory: Memory,
    private isSharingLater = false,
  ) {}

  /** Everything is loaded: the buffer (as large as the largest month) and the string table are let go. */
  release(): void {
    this.readBuffer = Buffer.alloc(0)
    this.strings.clear()
  }

  /** Shares the strings of what was read while `isSharingLater` was set, a shard per turn. */
  async shareWaiting(): Promise<void> {
    this.isSharingLater = false
    for (const value of this.waitingToShare.splice(0)) {
      this.strings.share(value)
      await nextTurn()
    }
    for (const work of this.afterSharing.splice(0)) work()
  }

  private whenShared(work: () => void): void {
    if (this.isSharingLater) this.afterSharing.push(work)
    else work()
  }

  /**
   * Reads the lists `load` was asked to read later, in the order their shards came. A list that
   * does not parse, or holds another number of records than the manifest counted, answers its
   * shard: to be read again whole, checked record by record, its damage reported from there.
   */
  readDeferred(): string[] {
    const broken: string[] = []
    for (const { shard, kind, file, section, count } of this.deferred.splice(0)) {
      let list: AnyRecord[]
      try {
        list = readRecordLines(file, section, count, this.share)
      } catch {
        if (!broken.includes(shard)) broken.push(shard)
        continue
      }
      this.memory.placeShardList(shard, kind, list)
    }
    return broken
  }

  /**
   * Loads one shard. A shard whose bytes match the hash the manifest recorded when MakeGood
   * wrote it is trusted; any other is validated record by record. Records already in memory
   * came from the journal (newer) and win. A damaged shard is read as far as it can be, marked
   * dirty, and described in the answer.
   */
  async load(
    shard: string,
    path: string,
    manifest: Manifest,
    trust: boolean,
    leaveOnDisk: readonly string[] = [],
    readLater: readonly string[] = [],
  ): Promise<ShardDamage | undefined> {
    const memory = this.memory
    let bytes: Buffer
    let mtimeMs: number
    try {
      const handle = await openFile(path, 'r')
      try {
        const info = await handle.stat()
        mtimeMs = info.mtimeMs
        // Read into one reused buffer and decode it in one go: readFile('utf8') decodes chunk by
        // chunk and joins them, and a fresh 20 MB Buffer per month makes the GC run more often.
        // Made once, as large as the largest shard the manifest knows: the first pass over fresh
        // memory costs ~1.5 ms a megabyte here, and months of growing size made it anew 4-5 times.
        if (this.readBuffer.length < info.size) {
          let largest = info.size
          for (const known of Object.values(manifest.shards)) largest = Math.max(largest, known.bytes)
          this.readBuffer = Buffer.allocUnsafeSlow(largest)
        }
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
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      throw storageError(this.dir, error)
    }
    const known = own(manifest.shards, shard)
    // Same size and modification time as when MakeGood wrote it (or, for an older manifest, the
    // same hash): trusted, so start-up skips validating a million records it validated on commit.
    const isTrustedFile =
      trust &&
      known !== undefined &&
      known.bytes === bytes.length &&
      (known.mtimeMs !== undefined ? known.mtimeMs === mtimeMs : known.sha1 === sha1(bytes))
    // Written by MakeGood and counted in the manifest: its lists are found where it wrote them.
    const sections = known?.counts !== undefined && isTrustedFile ? listSections(bytes) : undefined
    const canSkip = sections !== undefined && known?.mtimeMs !== undefined && !memory.dirty.has(shard)
    const left = canSkip ? sectionsToLeave(bytes, sections, leaveOnDisk, known.counts) : []
    const later = canSkip ? sectionsOf(sections, readLater, known.counts) : []
    const isSetAside = new Set([...left, ...later].map((section) => section.kind))
    const apart = sections
      ? sectionsOf(
          sections,
          kindsOf(shard).filter((kind) => !isSetAside.has(kind)),
          known?.counts,
        )
      : []
    let raw: Record<string, unknown>
    let damage: string | undefined
    const share = this.isSharingLater ? undefined : this.share
    try {
      raw = parseShard(bytes, [...left, ...later], apart, share)
    } catch (error) {
      left.length = 0
      later.length = 0
      // Cut short or overwritten: every line that still holds a record is read (one record per line).
      damage = `it is not valid JSON (${(error as Error).message})`
      raw = salvageShard(bytes.toString('utf8'))
      share?.(raw)
    }
    if (this.isSharingLater) this.waitingToShare.push(raw)
    const version = versionOf(raw)
    if (version > currentSchemaVersion) throw newerVersionError(path, version)
    const isTrusted = damage === undefined && isTrustedFile
    const kinds = kindsOf(shard)
    const extra: Record<string, unknown> = Object.create(null)
    for (const [key, value] of Object.entries(raw)) {
      if (key !== 'schemaVersion' && key !== 'shard' && key !== 'settings' && !kinds.includes(key)) extra[key] = value
    }
    if (Object.keys(extra).length > 0) memory.extras.set(shard, extra)
    const issues: string[] = []
    if (shard === globalShard) {
      const settings = Settings.safeParse(raw.settings ?? {})
      if (settings.success) memory.settings = settings.data
      else issues.push(`settings: ${settings.error.issues[0]?.message ?? 'not valid'}`)
    }
    let invalid = 0
    const isSkipped = new Set([...left, ...later].map((section) => section.kind))
    for (const { kind, count, ...section } of later) {
      // Read again from the file (the page cache): the read buffer holds the next shard by then.
      const file = { path, bytes: bytes.length, mtimeMs }
      this.deferred.push({ shard, kind, file, section, count })
    }
    for (const kind of kinds) {
      const list = raw[kind]
      if (list === undefined || isSkipped.has(kind)) continue
      if (!Array.isArray(list)) {
        issues.push(`${kind} is not a list`)
        continue
      }
      if (isTrusted) {
        this.memory.placeShardList(shard, kind, list as AnyRecord[])
        const takeTrusted = kindOf(kind)?.takeTrusted
        if (takeTrusted) this.whenShared(() => takeTrusted(list as never[]))
        continue
      }
      const isNewer = memory.newerInMemory(kind)
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
        if (isNewer(record.id)) {
          // The journal holds a newer copy (maybe in another month) or removed it: this file must be
          // rewritten before that journal goes, or the stale copy would come back on the next start.
          memory.dirty.add(shard)
          continue
        }
        const belongs = shardOf(kind, record)
        memory.put(kind, record.id, record, false)
        if (belongs !== shard) {
          // Found in the wrong file: both are rewritten. The month it belongs to, if not read yet,
          // is then read whole rather than left partly on disk (a checkpoint would copy its list
          // from disk without this record).
          memory.dirty.add(shard)
          memory.dirty.add(belongs)
        }
      }
    }
    for (const { kind, ids, lines, starts } of left) {
      memory.cold.leave({ kind, month: shard, path, bytes: bytes.length, mtimeMs, ids, lines, starts })
      // Readable from now on, like records loaded: what was derived from the kind is stale.
      memory.bumpRevision(kind)
      // The journal changed a record of this month: it is rewritten at the next checkpoint, whole.
      const changed = memory.changedWhileLoading?.get(kind) ?? new Set<string>()
      if (memory.dirty.has(shard) || [...changed].some((id) => memory.cold.isLeft(kind, shard, id)))
        memory.cold.takeMonth(shard)
    }
    if (damage === undefined && issues.length === 0) return undefined
    const what = damage ?? (invalid > 0 ? `${invalid} record(s) are not valid` : 'it is not valid')
    const detail = damage === undefined ? `: ${issues.join('; ')}` : ''
    let read = -invalid
    for (const kind of kinds) read += Array.isArray(raw[kind]) ? (raw[kind] as unknown[]).length : 0
    memory.dirty.add(shard)
    return { message: `${what}${detail}`, read: Math.max(0, read), hasSettings: raw.settings !== undefined }
  }
}

type KindSection = Section & { kind: string }
type LeftSection = KindSection & RecordLines

/**
 * The lists of these kinds in a shard MakeGood wrote, where they lie, with the number of records
 * the manifest counted in each (a list it did not count is read with the shard).
 */
function sectionsOf(
  sections: ReadonlyMap<string, Section>,
  kinds: readonly string[],
  counts: Record<string, number> | undefined,
): (KindSection & { count: number })[] {
  const out: (KindSection & { count: number })[] = []
  for (const kind of kinds) {
    const section = sections.get(kind)
    const count = counts?.[kind]
    if (section && count !== undefined) out.push({ ...section, kind, count })
  }
  return out
}

/**
 * The lists of a trusted shard to leave on disk, each with its record ids (read without parsing
 * the records). A list whose ids do not match what the manifest counted is parsed as usual.
 */
function sectionsToLeave(
  bytes: Buffer,
  sections: ReadonlyMap<string, Section>,
  kinds: readonly string[],
  counts: Record<string, number> | undefined,
): LeftSection[] {
  const left: LeftSection[] = []
  for (const kind of kinds) {
    const section = sections.get(kind)
    if (!section) continue
    try {
      const lines = recordLinesOf(bytes, section)
      if (counts?.[kind] === lines.ids.length) left.push({ ...section, ...lines, kind })
    } catch {
      // Not one record per line as MakeGood writes it: the whole shard is parsed instead.
    }
  }
  return left.sort((a, b) => a.replaceFrom - b.replaceFrom)
}

/**
 * A shard as an object, the lists set aside as empty ones, its strings handed to `share` as they
 * are read. Those in `apart` are parsed each from its own bytes, and the rest of the shard (a few
 * lines) on its own; if one does not hold what the manifest counted, the shard is parsed as one
 * text after all, as any other.
 */
function parseShard(
  bytes: Buffer,
  aside: readonly KindSection[],
  apart: readonly (KindSection & { count: number })[],
  share?: (value: unknown) => void,
): Record<string, unknown> {
  if (apart.length > 0) {
    try {
      const shard = parseObject(withoutSections(bytes, [...aside, ...apart]))
      share?.(shard)
      for (const section of apart) {
        const list = parseList(bytes, section, 0, share)
        if (!Array.isArray(list) || list.length !== section.count) throw new Error('not as counted')
        shard[section.kind] = list
      }
      return shard
    } catch {
      // Not laid out as the manifest says: read whole below, where damage is found and reported.
    }
  }
  const shard = parseObject(withoutSections(bytes, aside))
  share?.(shard)
  return shard
}

function parseObject(text: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(text)
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object')
  return parsed as Record<string, unknown>
}

/** The shard's text with each left list written as an empty one: only the rest is decoded and parsed. */
function withoutSections(bytes: Buffer, sections: readonly KindSection[]): string {
  if (sections.length === 0) return bytes.toString('utf8')
  let text = ''
  let from = 0
  for (const section of [...sections].sort((a, b) => a.replaceFrom - b.replaceFrom)) {
    text += `${bytes.toString('utf8', from, section.replaceFrom)}  ${JSON.stringify(section.kind)}: []`
    from = section.replaceTo
  }
  return text + bytes.toString('utf8', from)
}

/** A journal change as this build reads it: a known kind (own property) with a valid record. */
export function checkChange(change: JournalChange): ChangeCheck {
  if (change.removed !== undefined) {
    if (!kindOf(change.collection))
      return { issue: `unknown record kind ${JSON.stringify(change.collection.slice(0, 40))}` }
    if (typeof change.removed !== 'string' || change.removed === '') return { issue: 'a removal without an id' }
    return { removed: change.removed }
  }
  if (change.collection === 'settings') {
    const parsed = Settings.safeParse(change.value)
    if (parsed.success) return { value: parsed.data }
    return { issue: `settings not valid (${issueText(parsed.error.issues[0])})` }
  }
  const kind = kindOf(change.collection)
  if (!kind) return { issue: `unknown record kind ${JSON.stringify(change.collection.slice(0, 40))}` }
  const parsed = kind.schema.safeParse(change.value)
  if (!parsed.success)
    return { issue: `a ${change.collection} record that is not valid (${issueText(parsed.error.issues[0])})` }
  if (change.grown === undefined) return { value: parsed.data }
  const issue = grownIssue(change.collection, parsed.data, change.grown)
  if (issue) return { issue: `a ${change.collection} record ${parsed.data.id}: ${issue}` }
  return { value: parsed.data, grown: change.grown as Grown }
}

/**
 * Replays an entry whose changes checkChange checked. A change adding to the lists of a record not
 * in memory yet (its month is read later) waits for it (Memory.awaitGrowth); one that does not fit
 * the record it adds to is handed to `onLeftOut`.
 */
export function applyJournalEntry(memory: Memory, entry: JournalEntry, onLeftOut: LeftOutGrowth): void {
  if (entry.seq === 0) return
  for (const change of entry.changes) {
    if (change.collection === 'settings') {
      memory.settings = change.value as Settings
      memory.dirty.add(globalShard)
      continue
    }
    if (change.removed !== undefined) {
      memory.put(change.collection, change.removed, undefined)
      continue
    }
    const value = change.value as AnyRecord
    const grown = change.grown as Grown | undefined
    if (!grown) {
      memory.put(change.collection, value.id, value)
      continue
    }
    memory.bringIn(change.collection, value.id)
    const base = memory.records.get(change.collection)!.get(value.id)
    const growth = { seq: entry.seq, value, grown }
    if (!base) {
      memory.awaitGrowth(change.collection, growth)
      continue
    }
    const grownRecord = withGrowth(base, value, grown)
    if (typeof grownRecord === 'string') onLeftOut(change.collection, [growth], grownRecord)
    else memory.put(change.collection, value.id, grownRecord)
  }
}
