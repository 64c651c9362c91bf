import { closeSync, fstatSync, openSync, readSync } from 'node:fs'
import { AppError } from '../../shared/core/errors'
import { type AnyRecord } from './kinds'

/**
 * The kinds whose records of older months stay on disk until a reader asks for them. Grumbles are
 * the most numerous records (8 per case) and, past the last months, only a few readers list them
 * (search, a customer's history, an old month's report, export); the pattern sweep and the iceberg
 * ask only for the months they count. See docs/storage-load.md.
 */
export const coldKinds: readonly string[] = ['grumbles']

/** How a shard writes a kind's list: one record per line between these two lines (stringifyReadable). */
const sectionOpen = (kind: string) => Buffer.from(`\n  ${JSON.stringify(kind)}: [\n`)
const sectionClose = Buffer.from('\n  ]')
const idPrefix = Buffer.from('    {"id":"')
const quote = 0x22
const backslash = 0x5c
const newline = 0x0a

/** Where a kind's records lie in a shard's bytes: [start, end) spans the record lines. */
export type Section = { start: number; end: number; replaceFrom: number; replaceTo: number }

/** Finds a kind's list in a shard MakeGood wrote; `undefined` when the kind has no records there. */
export function findSection(bytes: Buffer, kind: string): Section | undefined {
  const open = sectionOpen(kind)
  const at = bytes.indexOf(open)
  if (at < 0) return undefined
  const start = at + open.length
  const end = bytes.indexOf(sectionClose, start - 1)
  if (end < start) return undefined
  // Replaced by an empty list: from the key's line to its closing bracket.
  return { start, end, replaceFrom: at + 1, replaceTo: end + sectionClose.length }
}

/** FNV-1a over the UTF-16 code units of an id (for an ASCII id, its bytes). */
export function hashOfId(id: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193)
  return hash >>> 0
}

/**
 * The ids of the records in a section as sorted 32-bit hashes, read without parsing the records:
 * every line starts with the record's id (records are stored as validated, id first); a line that
 * does not is parsed. 4 bytes per record instead of a string in a map: a rare collision only
 * reads a month in that was not needed.
 */
export function idHashesOf(bytes: Buffer, section: Section): Uint32Array {
  const hashes: number[] = []
  let line = section.start
  while (line < section.end) {
    let next = bytes.indexOf(newline, line)
    if (next < 0 || next > section.end) next = section.end
    let hash: number | undefined
    if (bytes.compare(idPrefix, 0, idPrefix.length, line, line + idPrefix.length) === 0) {
      const from = line + idPrefix.length
      const to = bytes.indexOf(quote, from)
      if (to > from && to < next) {
        let h = 0x811c9dc5
        for (let i = from; i < to && h !== undefined; i++) {
          const byte = bytes[i]!
          if (byte >= 0x80 || byte === backslash) break
          h = Math.imul(h ^ byte, 0x01000193)
          if (i === to - 1) hash = h >>> 0
        }
      }
    }
    if (hash === undefined) {
      const text = bytes.toString('utf8', line, next).trim().replace(/,$/, '')
      const record = JSON.parse(text) as AnyRecord
      if (typeof record.id !== 'string') throw new Error('a record without an id')
      hash = hashOfId(record.id)
    }
    hashes.push(hash)
    line = next + 1
  }
  return Uint32Array.from(hashes).sort()
}

function hasHash(hashes: Uint32Array, hash: number): boolean {
  let low = 0
  let high = hashes.length - 1
  while (low <= high) {
    const middle = (low + high) >>> 1
    const value = hashes[middle]!
    if (value === hash) return true
    if (value < hash) low = middle + 1
    else high = middle - 1
  }
  return false
}

/** A cold month's list of one kind: where it is and the file as it was when it was left on disk. */
type ColdList = { path: string; bytes: number; mtimeMs: number; ids: Uint32Array }

/**
 * The records of older months left on disk, per kind, and the one way back in: `take` reads a
 * month's list synchronously (so `store.all()` and `store.get()` keep their synchronous answers)
 * and hands it to `insert`. A month whose shard must be written again is taken first, so a
 * checkpoint never writes a month without its cold records.
 */
export class ColdMonths {
  /** kind → month → the list left on disk. */
  private readonly lists = new Map<string, Map<string, ColdList>>()

  constructor(private readonly insert: (month: string, kind: string, records: AnyRecord[]) => void) {}

  leave(month: string, kind: string, list: ColdList): void {
    let byMonth = this.lists.get(kind)
    if (!byMonth) this.lists.set(kind, (byMonth = new Map()))
    byMonth.set(month, list)
  }

  /** The months whose list of this kind is on disk, newest first. */
  monthsOf(kind: string): string[] {
    return [...(this.lists.get(kind)?.keys() ?? [])].sort().reverse()
  }

  hasAny(kind: string): boolean {
    return (this.lists.get(kind)?.size ?? 0) > 0
  }

  /** Every cold kind of a month comes in (its shard is about to change). */
  takeMonth(month: string): void {
    for (const kind of this.lists.keys()) this.take(kind, month)
  }

  /** Every month of a kind at or after `from` (all of them without it) comes in. */
  takeKind(kind: string, from = ''): void {
    const byMonth = this.lists.get(kind)
    if (!byMonth) return
    for (const month of [...byMonth.keys()].sort().reverse()) if (month >= from) this.take(kind, month)
  }

  /** Whether a month's list left on disk may hold this record (a hash collision says yes too). */
  isLeft(kind: string, month: string, id: string): boolean {
    const list = this.lists.get(kind)?.get(month)
    return list !== undefined && hasHash(list.ids, hashOfId(id))
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

  takeAll(): void {
    for (const kind of [...this.lists.keys()]) this.takeKind(kind)
  }

  private take(kind: string, month: string): void {
    const byMonth = this.lists.get(kind)
    const list = byMonth?.get(month)
    if (!byMonth || !list) return
    // Marked taken first: inserting may mark the month dirty, which asks for it again.
    byMonth.delete(month)
    this.insert(month, kind, readList(list, kind))
  }
}

/** Reads a cold list back; the shard must be the one MakeGood wrote (same size and time). */
function readList(list: ColdList, kind: string): AnyRecord[] {
  let bytes: Buffer
  const fd = openSync(list.path, 'r')
  try {
    const info = fstatSync(fd)
    if (info.size !== list.bytes || info.mtimeMs !== list.mtimeMs) throw changedError(list.path)
    bytes = Buffer.allocUnsafe(info.size)
    let filled = 0
    while (filled < info.size) {
      const read = readSync(fd, bytes, filled, info.size - filled, filled)
      if (read === 0) break
      filled += read
    }
  } finally {
    closeSync(fd)
  }
  const section = findSection(bytes, kind)
  if (!section) throw changedError(list.path)
  const records = JSON.parse(`[${bytes.toString('utf8', section.start, section.end)}]`) as AnyRecord[]
  if (records.length !== list.ids.length) throw changedError(list.path)
  return records
}

function changedError(path: string): AppError {
  return new AppError('storage', `${path} changed on disk while MakeGood had it open`, {
    reason: 'store.write_failed',
  })
}
