import {
  appendFileSync,
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AppError } from '../../../shared/core/errors'
import { type ColdList, changedError, fill, hashOfId, idOfLine, sortedRecordLines } from '../coldMonths'
import { type AnyRecord } from '../kinds'
import { isProcessAlive } from '../lock'

/** A desk's folder is named after its process, so the next desk can tell one left by a desk that is gone. */
const folderPrefix = 'makegood-team-months-'
/** Only a folder named exactly so is ever removed for a gone process: `mkdtemp` adds six characters. */
const folderName = /^makegood-team-months-(\d+)-[A-Za-z0-9]{6}$/

/** Where a list's first line starts: after its opening `[` line, as in a shard. */
const listOpen = '[\n'
/** Closes a list, as in a shard: the readers find `]` on a line of its own, two spaces in. */
const listClose = '\n  ]'
/** Between two rows of a list: `,\n`. */
const rowSeparator = [0x2c, 0x0a]
/** What a list being written first sets aside for the rows of one read (it grows as needed). */
const firstWaitingBytes = 64 * 1024

/** A row's JSON text as bytes: `bytes[start, end)`. */
export type TextBytes = { bytes: Buffer; start: number; end: number }

/** A month's list while its rows arrive: the file so far, and each row's id hash, version and line start. */
type ListBeingWritten = {
  kind: string
  month: string
  path: string
  bytes: number
  /** The bytes added since the last flush: `waiting[0, waitingLength)`. */
  waiting: Buffer
  waitingLength: number
  hashes: Uint32List
  versions: Uint32List
  starts: Uint32List
}

/**
 * Numbers appended one at a time, held as a typed array: a row's hash, version and line cost 4
 * bytes each outside the heap, instead of an element of a growing list (and a boxed number for
 * each hash above 2³¹) that the collector moves and then leaves as holes once the load is over.
 */
class Uint32List {
  private values = new Uint32Array(1024)
  length = 0

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Uint32Array(this.values.length * 2)
      grown.set(this.values)
      this.values = grown
    }
    this.values[this.length++] = value
  }

  at(index: number): number {
    return this.values[index]!
  }

  /** The numbers pushed, with one more after them (not kept). */
  with(last: number): Uint32Array {
    const all = new Uint32Array(this.length + 1)
    all.set(this.view())
    all[this.length] = last
    return all
  }

  view(): Uint32Array {
    return this.values.subarray(0, this.length)
  }
}

/**
 * A team desk's copy of the old months' grumbles and churn signals: a file per kind and month,
 * laid out as a data folder's shard lays out a list (a record per line), so the readers of the
 * months a data folder leaves on disk read these the same way (coldMonths.ts). At 100k cases they
 * are ~800k rows, ~200 MB of a desk's memory when held as records. The folder is made in the
 * desk's own data folder (the desktop app, `serve`; the system's temporary folder otherwise),
 * open to this user only, and removed when the desk closes; one left by a desk whose process is
 * gone (a crash) is removed by the next desk that opens there.
 *
 * While the rows arrive, nothing is kept of a row in the heap: its version is found by its id's
 * hash and the id on its line (`versionOf`). A row changed or removed meanwhile (another desk's
 * notice, this desk's save) is marked `touched`: its line is no longer what is stored.
 */
export class DeskMonths {
  private readonly writing = new Map<string, ListBeingWritten>()
  /** Per kind, the ids of the rows changed or removed since their line was written (or perhaps written: marked either way). */
  private touched = new Map<string, Set<string>>()
  /** Set once a file being written could not be read back: the desk drops them all and reads their rows again. */
  unreadable: AppError | undefined

  private constructor(readonly folder: string) {}

  /** A new folder in `parent` (the system's temporary folder if not said). */
  static create(parent = tmpdir()): DeskMonths {
    mkdirSync(parent, { recursive: true })
    removeAbandoned(parent)
    return new DeskMonths(mkdtempSync(join(parent, `${folderPrefix}${process.pid}-`)))
  }

  /**
   * A stored row's JSON text, `bytes[start, end)` (one line: the database's JSON never holds a
   * raw newline), added to its month's list.
   */
  add(kind: string, month: string, id: string, version: number, text: TextBytes): void {
    const key = `${kind}/${month}`
    let list = this.writing.get(key)
    if (!list) {
      const path = join(this.folder, `${kind}-${month}.json`)
      writeFileSync(path, listOpen, { mode: 0o600 })
      list = {
        kind,
        month,
        path,
        bytes: listOpen.length,
        waiting: Buffer.allocUnsafe(firstWaitingBytes),
        waitingLength: 0,
        hashes: new Uint32List(),
        versions: new Uint32List(),
        starts: new Uint32List(),
      }
      this.writing.set(key, list)
    }
    const separator = list.hashes.length > 0 ? rowSeparator : []
    const length = text.end - text.start
    list.starts.push(list.bytes + separator.length)
    list.bytes += separator.length + length
    const needed = list.waitingLength + separator.length + length
    if (needed > list.waiting.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, list.waiting.length * 2))
      list.waiting.copy(grown, 0, 0, list.waitingLength)
      list.waiting = grown
    }
    for (const byte of separator) list.waiting[list.waitingLength++] = byte
    list.waitingLength += text.bytes.copy(list.waiting, list.waitingLength, text.start, text.end)
    list.hashes.push(hashOfId(id))
    list.versions.push(version)
  }

  /** Writes the rows added since the last call (after each read from the database). */
  flush(): void {
    for (const list of this.writing.values()) {
      if (list.waitingLength === 0) continue
      appendFileSync(list.path, list.waiting.subarray(0, list.waitingLength))
      list.waitingLength = 0
    }
  }

  /** Whether rows are being written (a row changed elsewhere may then have a stale line here). */
  get isWriting(): boolean {
    return this.writing.size > 0
  }

  /** A row changed or removed elsewhere than in these files: its line, if it has one, is stale. */
  touch(kind: string, id: string): void {
    const ids = this.touched.get(kind)
    if (ids) ids.add(id)
    else this.touched.set(kind, new Set([id]))
  }

  /** The stored version of a row written here and not touched since (rare: a save or a notice during the load). */
  versionOf(kind: string, id: string): number | undefined {
    const found = this.lineOf(kind, id)
    return found && found.list.versions.at(found.line)
  }

  /** The record of a row written here and not touched since, read from its line (the copy a failed save puts back). */
  recordOf(kind: string, id: string): AnyRecord | undefined {
    const found = this.lineOf(kind, id)
    return found && (JSON.parse(found.text.toString('utf8')) as AnyRecord)
  }

  private lineOf(kind: string, id: string): { list: ListBeingWritten; line: number; text: Buffer } | undefined {
    if (this.touched.get(kind)?.has(id)) return undefined
    this.flush()
    const hash = hashOfId(id)
    for (const list of this.writing.values()) {
      if (list.kind !== kind) continue
      const hashes = list.hashes.view()
      // Every line with the same hash (a collision is rare), until the id is the one asked for.
      for (let line = hashes.indexOf(hash); line >= 0; line = hashes.indexOf(hash, line + 1)) {
        const [from, to] = lineSpan(list, line)
        const text = this.read(list.path, from, to)
        if (idOfLine(text, 0, to - from) === id) return { list, line, text }
      }
    }
    return undefined
  }

  /** Bytes of a file being written; a failure is kept (`unreadable`) before it is thrown. */
  private read(path: string, from: number, to: number): Buffer {
    try {
      return readFrom(path, from, to)
    } catch (error) {
      this.unreadable ??= error instanceof AppError ? error : changedError(path)
      throw this.unreadable
    }
  }

  /** The stored version of every row of a kind written here and not touched since (a catch-up during the load). */
  versionsOf(kind: string): Map<string, number> {
    this.flush()
    const found = new Map<string, number>()
    for (const list of this.writing.values()) {
      if (list.kind !== kind || list.hashes.length === 0) continue
      const first = list.starts.at(0)
      const bytes = this.read(list.path, first, list.bytes)
      for (let line = 0; line < list.hashes.length; line++) {
        const [from, to] = lineSpan(list, line)
        const id = idOfLine(bytes, from - first, to - first)
        if (!this.touched.get(kind)?.has(id)) found.set(id, list.versions.at(line))
      }
    }
    return found
  }

  /**
   * Every list closed and handed over, as a data folder's store leaves a month on disk, with the
   * ids touched while the rows arrived (by kind), to be looked for in them.
   */
  finish(): { lists: ColdList[]; touched: Map<string, Set<string>> } {
    this.flush()
    const lists: ColdList[] = []
    for (const written of this.writing.values()) {
      appendFileSync(written.path, listClose)
      const { size, mtimeMs } = statSync(written.path)
      lists.push({
        kind: written.kind,
        month: written.month,
        path: written.path,
        bytes: size,
        mtimeMs,
        ...sortedRecordLines(written.hashes.view(), written.starts.with(written.bytes + 1)),
        versions: written.versions.view().slice(),
      })
    }
    const { touched } = this
    this.writing.clear()
    this.touched = new Map()
    return { lists, touched }
  }

  /** The folder and every list in it (the desk closes). */
  remove(): void {
    this.writing.clear()
    this.touched.clear()
    rmSync(this.folder, { recursive: true, force: true })
  }
}

/** Where a line of a list being written starts and ends (before its comma, if it has one). */
function lineSpan(list: ListBeingWritten, line: number): [number, number] {
  const to = line + 1 < list.hashes.length ? list.starts.at(line + 1) - 2 : list.bytes
  return [list.starts.at(line), to]
}

/** Bytes of a file this desk is writing (its size still grows: no check that it is as it was left). */
function readFrom(path: string, from: number, to: number): Buffer {
  const bytes = Buffer.alloc(to - from)
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch {
    throw changedError(path)
  }
  try {
    fill(fd, bytes, from, path)
  } finally {
    closeSync(fd)
  }
  return bytes
}

/** Folders of desks whose process is gone. */
function removeAbandoned(parent: string): void {
  for (const name of readdirSync(parent)) {
    const pid = Number(folderName.exec(name)?.[1])
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || isProcessAlive(pid)) continue
    try {
      rmSync(join(parent, name), { recursive: true, force: true })
    } catch {
      // Left for a later desk (a file held open elsewhere): this desk's own folder is what matters.
    }
  }
}
