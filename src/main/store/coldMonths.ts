import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs'
import { AppError } from '../../shared/core/errors'
import { type CopiedLines, copied } from './durable'
import { type AnyRecord, shardOf } from './kinds'

/**
 * The kinds whose records of older months stay on disk in both engines (a data folder's shards, a
 * team desk's files), and whose newest months are read once the open has answered. Grumbles are
 * the most numerous records (8 per case) and churn signals the largest (a baseline, a value at
 * risk and a timeline each); past the last months their readers need little of them: the
 * services keep a summary of each such month (services/iceberg/oldGrumbles.ts, oldSignals.ts),
 * and the pattern sweep and the iceberg read only the months of grumbles they count. See
 * docs/storage-load.md.
 */
export const coldKinds: readonly string[] = ['grumbles', 'signals']

/**
 * What both engines leave on disk of their older months: the cold kinds, and promises (three per
 * case: ~90 MB of JSON at 100k cases). Unlike grumbles, the newest months' promises are read
 * before the open answers: Today shows them. The services keep the old ones' facts, and the open
 * ones whole (services/promises/oldPromises.ts).
 */
export const kindsLeftOnDisk: readonly string[] = [...coldKinds, 'promises']

/**
 * How many of the newest months keep their grumbles, churn signals and promises in memory: those the recent-history readers go through record by record, each from
 * the month before the first one it counts (`recordsSince`): the pattern sweep (its default
 * windows reach ~two months back: up to five months) and the Escalations screen's failures by
 * department (six months: seven). Readers of older months use the services' summaries (the
 * report's year-ago month, the iceberg's trend, a customer's history, search, the ledger).
 * Thirteen before: ~75 MB more to parse at 100k cases and ~50 MB more of resident memory.
 */
export const monthsInMemory = 7

/**
 * How a shard is written (durable.ts, readablePieces): each top-level key on a line of its own,
 * two spaces in (nothing else in the file starts a line with two spaces and a quote: records are
 * four spaces in and never hold a raw newline), and a list of records one record per line between
 * its key's line and a line of its own closing it.
 */
const keyLine = Buffer.from('\n  "')
const listOpen = Buffer.from(': [\n')
const sectionClose = Buffer.from('\n  ]')
const idPrefix = Buffer.from('    {"id":"')
const quote = 0x22
const backslash = 0x5c
const newline = 0x0a
const comma = 0x2c

/** Where a kind's records lie in a shard's bytes: [start, end) spans the record lines. */
export type Section = { start: number; end: number; replaceFrom: number; replaceTo: number }

/**
 * Every list of records in a shard MakeGood wrote, by key, found in one pass over its bytes: a key
 * whose list is empty (`[]`) or holds no records has none.
 */
export function listSections(bytes: Buffer): Map<string, Section> {
  const sections = new Map<string, Section>()
  let at = bytes.indexOf(keyLine)
  while (at >= 0) {
    const keyStart = at + keyLine.length
    const keyEnd = bytes.indexOf(quote, keyStart)
    if (keyEnd < 0) break
    let next = keyEnd + 1
    if (bytes.subarray(keyEnd + 1, keyEnd + 1 + listOpen.length).equals(listOpen)) {
      const start = keyEnd + 1 + listOpen.length
      const end = bytes.indexOf(sectionClose, start - 1)
      if (end < start) break
      // Replaced by an empty list: from the key's line to its closing bracket.
      sections.set(bytes.toString('latin1', keyStart, keyEnd), {
        start,
        end,
        replaceFrom: at + 1,
        replaceTo: end + sectionClose.length,
      })
      next = end + sectionClose.length
    }
    at = bytes.indexOf(keyLine, next)
  }
  return sections
}

/**
 * A section's list parsed from its own bytes: a record per line, as MakeGood writes it (see
 * parseLines); any other layout of valid JSON, such as a list edited by hand, as one string,
 * brackets included (`[` ends the key's line and `]` the closing one).
 */
export function parseList(
  bytes: Buffer,
  section: Pick<Section, 'start' | 'end'>,
  offset = 0,
  share?: (value: unknown) => void,
): unknown {
  const span = listSpan(section)
  const from = span.from - offset
  const to = span.to - offset
  if (bytes[from] !== 0x5b || bytes[to - 1] !== 0x5d) throw new Error('not a list MakeGood wrote')
  const lines = parseLines(bytes, section.start - offset, section.end - offset, share)
  if (lines) return lines
  const whole: unknown = JSON.parse(bytes.toString('utf8', from, to))
  share?.(whole)
  return whole
}

/**
 * The list between `start` and `end` when each line holds one value followed by a comma, the last
 * without one; otherwise undefined. A short string decoded and parsed per line stays in the young
 * generation and is one byte per character when its line is ASCII: the whole list as one string is
 * two bytes per character as soon as one line is not, made in fresh pages (at 100k cases, ~1 s more
 * of a full read than line by line). A record written across lines fails on its first line (an open
 * brace alone is not JSON), so a list that parses line by line parses to the same values whole.
 * `share` is given each value as soon as it is parsed: the copies of its repeated strings then go
 * while they are young, and the records are not walked a second time once the list is read.
 */
function parseLines(
  bytes: Buffer,
  start: number,
  end: number,
  share?: (value: unknown) => void,
): unknown[] | undefined {
  const values: unknown[] = []
  let line = start
  while (line < end) {
    let next = bytes.indexOf(newline, line)
    if (next < 0 || next > end) next = end
    const isLast = next === end
    const hasComma = bytes[next - 1] === comma
    if (hasComma === isLast) return undefined
    let value: unknown
    try {
      value = JSON.parse(bytes.toString('utf8', line, hasComma ? next - 1 : next))
    } catch {
      return undefined
    }
    share?.(value)
    values.push(value)
    line = next + 1
  }
  return values
}

/** Where a section's list lies with its brackets: `[` two bytes before its first line, `]` ending its closing line. */
function listSpan(section: Pick<Section, 'start' | 'end'>): { from: number; to: number } {
  return { from: section.start - 2, to: section.end + sectionClose.length }
}

/** FNV-1a over the UTF-16 code units of an id (for an ASCII id, its bytes). */
export function hashOfId(id: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193)
  return hash >>> 0
}

/**
 * Where each record of a section lies (`starts`), and its id as a 32-bit hash, sorted (`ids`),
 * with the line each sorted hash belongs to (`lines`): see recordLinesOf.
 */
export type RecordLines = { ids: Uint32Array; lines: Uint32Array; starts: Uint32Array }

/** A hash and its line packed in one number, so one numeric sort orders both (lines < 2^21). */
const lineBits = 2 ** 21

/**
 * The records of a section without parsing them: each record's line (`starts` holds one more
 * offset, where the last line ends) and its id's hash, sorted. Every line starts with the
 * record's id (records are stored as validated, id first); a line that does not is parsed.
 * 4 bytes per record instead of a string in a map: a rare collision only reads a month in that
 * was not needed.
 */
export function recordLinesOf(bytes: Buffer, section: Section): RecordLines {
  const hashes: number[] = []
  const starts: number[] = []
  const { end } = section
  let line = section.start
  while (line < end) {
    let next = bytes.indexOf(newline, line)
    if (next < 0 || next > end) next = end
    // Read byte by byte in one loop: a native call per line for the prefix and for the quote
    // cost more than the bytes themselves.
    let hash = -1
    let isIdFirst = next - line > idPrefix.length
    for (let i = 0; isIdFirst && i < idPrefix.length; i++) isIdFirst = bytes[line + i] === idPrefix[i]
    if (isIdFirst) {
      let h = 0x811c9dc5
      for (let i = line + idPrefix.length; i < next; i++) {
        const byte = bytes[i]!
        if (byte === quote) {
          if (i > line + idPrefix.length) hash = h >>> 0
          break
        }
        if (byte >= 0x80 || byte === backslash) break
        h = Math.imul(h ^ byte, 0x01000193)
      }
    }
    if (hash < 0) hash = hashOfId(parseLine(bytes, line, next).id)
    hashes.push(hash)
    starts.push(line)
    line = next + 1
  }
  starts.push(end + 1)
  return sortedRecordLines(hashes, starts)
}

/**
 * Record lines from each line's id hash and start (`starts` holding one more: where the last line
 * ends, plus one), the hashes sorted with the line each belongs to.
 */
export function sortedRecordLines(
  hashes: Uint32Array | readonly number[],
  starts: Uint32Array | readonly number[],
): RecordLines {
  const count = hashes.length
  const ids = new Uint32Array(count)
  const lines = new Uint32Array(count)
  if (count < lineBits) {
    const packed = new Float64Array(count)
    for (let i = 0; i < count; i++) packed[i] = hashes[i]! * lineBits + i
    packed.sort()
    for (let i = 0; i < count; i++) {
      const value = packed[i]!
      lines[i] = value % lineBits
      ids[i] = Math.floor(value / lineBits)
    }
  } else {
    const order = Uint32Array.from(hashes.keys()).sort((a, b) => hashes[a]! - hashes[b]!)
    lines.set(order)
    ids.set(Uint32Array.from(order, (line) => hashes[line]!))
  }
  return { ids, lines, starts: Uint32Array.from(starts) }
}

/** One record line as written: four spaces of indent, the record, a comma unless it is the last. */
function parseLine(bytes: Buffer, from: number, to: number): AnyRecord {
  const record = JSON.parse(bytes.toString('utf8', from, to).trim().replace(/,$/, '')) as AnyRecord
  if (typeof record.id !== 'string') throw new Error('a record without an id')
  return record
}

/** The first place in the sorted hashes holding `hash` or a larger one. */
function firstAtOrAfter(hashes: Uint32Array, hash: number): number {
  let low = 0
  let high = hashes.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (hashes[middle]! < hash) low = middle + 1
    else high = middle
  }
  return low
}

function hasHash(hashes: Uint32Array, hash: number): boolean {
  return hashes[firstAtOrAfter(hashes, hash)] === hash
}

/**
 * A cold month's list of one kind: where it is and the file as it was when it was left on disk.
 * While a checkpoint puts a new file of its month in place, `moving` says what that file is and
 * how far its lines moved in it (keptOnDisk).
 */
export type ColdList = RecordLines & {
  kind: string
  month: string
  path: string
  bytes: number
  mtimeMs: number
  moving?: FileMove
  /** A team desk's list: the stored version of each line, in line order (4 bytes a row instead of a map entry). */
  versions?: Uint32Array
}

/** The file that takes a shard's place (its size and time), and how far a list's lines moved in it. */
type FileMove = { bytes: number; mtimeMs: number; shift: number }

/** Bytes read from a cold list's file at a time when it is copied into its month's new file. */
const bytesPerCopy = 1 << 20

/**
 * A month's list left on disk, as its shard is rewritten (a case or a promise of that month
 * changed): its lines are copied from the file being replaced instead of coming back into memory
 * (~280 ms and a month's grumbles and churn signals held again, at 100k cases, for each old month a
 * save touched). Once the new file is in place the list reads its lines there (`moved`); a reader
 * in between finds either file, and each says where the lines are (readBytes).
 */
export function keptOnDisk(list: ColdList): CopiedLines {
  const count = list.starts.length - 1
  let shift = 0
  return {
    [copied]: true,
    count,
    *lines() {
      // From the first line's start to the last line's end: the lines and the ",\n" between them.
      const to = list.starts[count]! - 1
      for (let at = list.starts[0]!; at < to; at += bytesPerCopy)
        yield readBytes(list, at, Math.min(to, at + bytesPerCopy))
    },
    placedAt(offset) {
      shift = offset - list.starts[0]!
    },
    moving(written) {
      list.moving = { ...written, shift }
    },
    moved() {
      // The file as it now is: a file system that does not keep the time through a rename is
      // then still read (only the moment between rename and now relied on it).
      const info = statSync(list.path)
      for (let i = 0; i < list.starts.length; i++) list.starts[i] = list.starts[i]! + shift
      list.bytes = info.size
      list.mtimeMs = info.mtimeMs
      list.moving = undefined
    },
  }
}

/**
 * The records of older months left on disk, per kind. Readers of many records read a list again
 * each time and keep nothing (readColdList, readColdRecord). A record is taken back into memory
 * only to be looked up by id or changed: `take` reads its month's list synchronously (so
 * `store.get()` keeps its synchronous answer) and hands it to `insert`; so is a list a record is
 * added to. A month whose shard is written again for its other kinds keeps its lists here: the
 * checkpoint copies their lines (keptOnDisk).
 */
export class ColdMonths {
  /** kind → month → the list left on disk. */
  private readonly lists = new Map<string, Map<string, ColdList>>()

  constructor(private readonly insert: (month: string, kind: string, records: AnyRecord[], list: ColdList) => void) {}

  leave(list: ColdList): void {
    let byMonth = this.lists.get(list.kind)
    if (!byMonth) this.lists.set(list.kind, (byMonth = new Map()))
    byMonth.set(list.month, list)
  }

  /** The lists of a kind still on disk, newest month first: read with readColdList / readColdRecord. */
  listsOf(kind: string): ColdList[] {
    return [...(this.lists.get(kind)?.values() ?? [])].sort((a, b) => (a.month < b.month ? 1 : -1))
  }

  /** How many records of a kind are on disk only. */
  countOf(kind: string): number {
    let count = 0
    for (const list of this.lists.get(kind)?.values() ?? []) count += list.starts.length - 1
    return count
  }

  hasAny(kind: string): boolean {
    return (this.lists.get(kind)?.size ?? 0) > 0
  }

  /** Every cold kind of a month comes in (the journal changed one of its records before it was read). */
  takeMonth(month: string): void {
    for (const kind of this.lists.keys()) this.take(kind, month)
  }

  /** A month's list of a kind, if it is on disk. */
  listOf(kind: string, month: string): ColdList | undefined {
    return this.lists.get(kind)?.get(month)
  }

  /** Whether a month's list left on disk may hold this record (a hash collision says yes too). */
  isLeft(kind: string, month: string, id: string): boolean {
    const list = this.lists.get(kind)?.get(month)
    return list !== undefined && hasHash(list.ids, hashOfId(id))
  }

  /**
   * The record with this id read from its line, if a month on disk holds it; nothing comes into
   * memory (a record shown, not changed: a signal cited as evidence, a signal opened to look at).
   */
  peek(kind: string, id: string): AnyRecord | undefined {
    return this.locate(kind, id)?.record
  }

  /** The list on disk holding this record, its line there and the record read from it. */
  locate(kind: string, id: string): { list: ColdList; line: number; record: AnyRecord } | undefined {
    for (const list of this.lists.get(kind)?.values() ?? []) {
      const found = lineOf(list, id)
      if (found) return { list, ...found }
    }
    return undefined
  }

  /** The month holding this record, if it is on disk, comes in (the id's hash says which). */
  takeId(kind: string, id: string): void {
    const byMonth = this.lists.get(kind)
    if (!byMonth || byMonth.size === 0) return
    const hash = hashOfId(id)
    const months: string[] = []
    for (const [month, list] of byMonth) if (hasHash(list.ids, hash)) months.push(month)
    for (const month of months) this.take(kind, month)
  }

  /** Everything comes in (a restore replaces the shards these lists would be read from). */
  takeAll(): void {
    for (const [kind, byMonth] of this.lists) for (const month of [...byMonth.keys()]) this.take(kind, month)
  }

  /**
   * A record by id as a store's `get` answers it: from memory (`records`, the kind's map), else
   * its month on disk comes in first. The hot path (the sweep reads records by id in loops) is
   * one lookup when the record is in memory.
   */
  get(records: ReadonlyMap<string, AnyRecord> | undefined, kind: string, id: string): AnyRecord | undefined {
    const found = records?.get(id)
    if (found !== undefined || !this.hasAny(kind)) return found
    this.takeId(kind, id)
    return records?.get(id)
  }

  /** As `get`, but a record on disk is read from its line and its month stays there (a record only shown). */
  peekPast(records: ReadonlyMap<string, AnyRecord> | undefined, kind: string, id: string): AnyRecord | undefined {
    const found = records?.get(id)
    if (found !== undefined || !this.hasAny(kind)) return found
    return this.peek(kind, id)
  }

  /**
   * Every record of a kind: those in memory, then those of the months on disk, read but not kept.
   * Listed after the records in memory: a month read in meanwhile was yielded from there.
   */
  *allOf(records: ReadonlyMap<string, AnyRecord>, kind: string): Generator<AnyRecord> {
    yield* records.values()
    for (const list of this.listsOf(kind)) yield* readColdList(list)
  }

  /**
   * The records of a kind whose month is `from` or later, and those of no month. Months on disk
   * from `from` on are read and not kept; older ones are not read at all.
   */
  *allFrom(records: ReadonlyMap<string, AnyRecord>, kind: string, from: string): Generator<AnyRecord> {
    for (const record of records.values()) if (shardOf(kind, record) >= from) yield record
    for (const list of this.listsOf(kind)) if (list.month >= from) yield* readColdList(list)
  }

  /** Every list dropped unread (a team desk about to read everything again from the database). */
  forget(): void {
    this.lists.clear()
  }

  /** A month's list of a kind comes in, if it is on disk (a record of that kind is added to that month). */
  take(kind: string, month: string): void {
    const byMonth = this.lists.get(kind)
    const list = byMonth?.get(month)
    if (!byMonth || !list) return
    // Marked taken first: inserting may mark the month dirty, which asks for it again.
    byMonth.delete(month)
    this.insert(month, kind, readColdList(list), list)
  }
}

/** A shard as MakeGood last read it: a later read checks it is still that file. */
export type WrittenShard = { path: string; bytes: number; mtimeMs: number }

/**
 * Bytes of a shard MakeGood wrote and still holds as it was (same size and time), or of the file a
 * checkpoint is putting in its place, where a list's lines moved by `moving.shift`.
 */
function readBytes(list: WrittenShard & { moving?: FileMove }, from: number, to: number): Buffer {
  const bytes = Buffer.allocUnsafe(to - from)
  const fd = openSync(list.path, 'r')
  try {
    const info = fstatSync(fd)
    let shift = 0
    if (info.size !== list.bytes || info.mtimeMs !== list.mtimeMs) {
      const { moving } = list
      if (moving === undefined || info.size !== moving.bytes || info.mtimeMs !== moving.mtimeMs)
        throw changedError(list.path)
      shift = moving.shift
    }
    fill(fd, bytes, from + shift, list.path)
  } finally {
    closeSync(fd)
  }
  return bytes
}

/** `bytes` filled from the open file at `position`; a file that ends first was cut short under MakeGood. */
export function fill(fd: number, bytes: Buffer, position: number, path: string): void {
  let filled = 0
  while (filled < bytes.length) {
    const read = readSync(fd, bytes, filled, bytes.length - filled, position + filled)
    if (read === 0) throw changedError(path)
    filled += read
  }
}

/** Every record of a list left on disk, in the order of its lines, read again from the shard. */
export function readColdList(list: ColdList): AnyRecord[] {
  const count = list.starts.length - 1
  if (count === 0) return []
  // The first line starts the section, and the last ends where its closing line begins.
  return readRecordLines(list, { start: list.starts[0]!, end: list.starts[count]! - 1 }, count)
}

/** The `count` records of a section of a shard MakeGood wrote, read again (each handed to `share`, if given). */
export function readRecordLines(
  file: WrittenShard,
  section: Pick<Section, 'start' | 'end'>,
  count: number,
  share?: (value: unknown) => void,
): AnyRecord[] {
  const { from, to } = listSpan(section)
  const bytes = readBytes(file, from, to)
  let records: unknown
  try {
    records = parseList(bytes, section, from, share)
  } catch {
    throw changedError(file.path)
  }
  if (!Array.isArray(records) || records.length !== count) throw changedError(file.path)
  return records as AnyRecord[]
}

/** The line of a list on disk holding this record, and the record read from it. */
export function lineOf(list: ColdList, id: string): { line: number; record: AnyRecord } | undefined {
  const hash = hashOfId(id)
  // Every line with the same hash (a collision is rare), until the id is the one asked for.
  for (let i = firstAtOrAfter(list.ids, hash); list.ids[i] === hash; i++) {
    const line = list.lines[i]!
    const record = readColdRecord(list, line)
    if (record.id === id) return { line, record }
  }
  return undefined
}

/** Where a line starts with its record's id as plain text (a shard's line, or a team row's as the database writes it). */
const leadingId = /^\s*\{"id":\s?"([\x20\x21\x23-\x5b\x5d-\x7e]+)"/

/**
 * The id of each record of a list left on disk, in the order of its lines, read in one go: the
 * id leads each line, so only a line that starts otherwise is parsed.
 */
export function idsOfColdList(list: ColdList): string[] {
  const count = list.starts.length - 1
  if (count === 0) return []
  const first = list.starts[0]!
  const bytes = readBytes(list, first, list.starts[count]! - 1)
  const ids: string[] = []
  for (let index = 0; index < count; index++)
    ids.push(idOfLine(bytes, list.starts[index]! - first, list.starts[index + 1]! - 1 - first))
  return ids
}

/** The id of the record on a line (`from` to `to` in `bytes`): read where it leads the line, else parsed. */
export function idOfLine(bytes: Buffer, from: number, to: number): string {
  // Ids are short: the first 200 bytes of a line hold one that leads it.
  const found = leadingId.exec(bytes.toString('latin1', from, Math.min(to, from + 200)))?.[1]
  return found ?? parseLine(bytes, from, to).id
}

/**
 * Each line's value of a top-level text field (`caseId`) of a list left on disk, in one go and
 * without parsing the lines: a quote inside a text value is escaped, so `"key":"` is found only as
 * the key. A value that is not plain printable ASCII, or a line the key's search cannot tell, is
 * parsed. A record without the field has none.
 */
export function textFieldOfColdLines(list: ColdList, key: string): (string | undefined)[] {
  const count = list.starts.length - 1
  if (count === 0) return []
  const first = list.starts[0]!
  const bytes = readBytes(list, first, list.starts[count]! - 1)
  // As a shard writes it, or as the database does (a space after the colon).
  const field = new RegExp(`"${key}":\\s?"([\\x20\\x21\\x23-\\x5b\\x5d-\\x7e]*)(.)`)
  const values: (string | undefined)[] = []
  for (let index = 0; index < count; index++) {
    const from = list.starts[index]! - first
    const to = list.starts[index + 1]! - 1 - first
    const found = field.exec(bytes.toString('latin1', from, to))
    if (!found) values.push(undefined)
    else if (found[2] === '"') values.push(found[1])
    else values.push((parseLine(bytes, from, to) as Record<string, unknown>)[key] as string | undefined)
  }
  return values
}

/** The record on line `index` of a list left on disk (a search hit, a customer's grumble). */
export function readColdRecord(list: ColdList, index: number): AnyRecord {
  const from = list.starts[index]!
  const to = list.starts[index + 1]! - 1
  try {
    return parseLine(readBytes(list, from, to), 0, to - from)
  } catch (error) {
    if (error instanceof AppError) throw error
    throw changedError(list.path)
  }
}

/** A file MakeGood wrote and holds open is not as it left it (changed or cut short by something else). */
export function changedError(path: string): AppError {
  return new AppError('storage', `${path} changed on disk while MakeGood had it open`, {
    reason: 'store.write_failed',
  })
}
