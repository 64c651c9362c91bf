import type { Client } from 'pg'
import { to as copyTo } from 'pg-copy-streams'
import { AppError } from '../../../shared/core/errors'

/**
 * A stored row as `COPY … TO STDOUT (FORMAT binary)` sends it. The record's JSON is
 * `bytes[start, end)`, exactly what `record::text` gives (jsonb's binary form is a format byte,
 * then that text), to be written to a file as it is or parsed. `xid`: the row version read.
 */
export type CopiedRow = {
  id: string
  version: number
  month: string | null
  bytes: Buffer
  start: number
  end: number
  checked: string | null
  xid: number
}

/** The record of a copied row as text. */
export const textOf = (row: CopiedRow): string => row.bytes.toString('utf8', row.start, row.end)

/** The columns a copied select must give, in this order. */
export const copiedColumns = 'id, version, month, record, checked, xmin::text::bigint'

/**
 * The rows of `select` (which must give `copiedColumns`), read with COPY: PostgreSQL streams
 * them as it makes them, and each field comes as its bytes with its length. Read as query rows,
 * the client decodes every field to a string and builds an object a row: at 100k cases that was
 * ~2 s of a team desk's 16 s load. Parameters cannot be bound in COPY: the caller quotes values
 * with `client.escapeLiteral`.
 */
export function copyRows(client: Client, select: string, stamp: string, staging?: Staging): Promise<CopiedRow[]> {
  return new Promise((resolve, reject) => {
    const reader = new BinaryCopyReader(stamp, staging)
    let failure: unknown
    const stream = client.query(copyTo(`copy (${select}) to stdout (format binary)`))
    // Rows that cannot be read are refused once the stream ends: the connection then reads its
    // next answer where it begins.
    stream.on('data', (chunk: Buffer) => {
      if (failure !== undefined) return
      try {
        reader.push(chunk)
      } catch (error) {
        failure = error
      }
    })
    stream.on('error', reject)
    stream.on('end', () => {
      if (failure !== undefined) reject(failure)
      else if (reader.isComplete) resolve(reader.rows)
      else reject(unreadable('the rows ended before their trailer'))
    })
  })
}

/**
 * A buffer rows are read into, reused by the reads that follow. A buffer a chunk, freed as the
 * load went, left pages with the C allocator that the app did not get back: 25–45 MB more
 * resident memory at 100k cases. Two readers alive at once need two.
 */
export type Staging = { buffer: Buffer }
/** The least a staging buffer grows to (a read of 5,000 rows is ~2–4 MB). */
const minStagingBytes = 1024 * 1024

/** PostgreSQL's binary COPY signature: the first 11 bytes of every stream. */
const signature = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1')
const fieldsARow = 6
/** The only format of jsonb's binary form PostgreSQL has (a text of the JSON follows it). */
const jsonbFormat = 1

function unreadable(why: string): AppError {
  return new AppError('storage', `The team database sent rows MakeGood cannot read: ${why}`, {
    reason: 'db.copy_unreadable',
  })
}

/**
 * Reads a binary COPY stream chunk by chunk: the header (signature, flags, extension), then
 * tuples (a field count, then each field's length, -1 for null, and bytes), then -1. A tuple
 * cut by a chunk's end waits for the next chunk. The few short texts every row repeats (its
 * month, the `stamp` it is checked with) are read without decoding them again: a decode is a
 * call into the runtime whatever its length, and a row's short fields decoded each time were
 * most of ~1.5 s of a load of 1.4 million rows.
 */
export class BinaryCopyReader {
  readonly rows: CopiedRow[] = []
  private readonly stampBytes: Buffer
  /** Months already read, by their bytes as a number (monthAt). */
  private readonly months = new Map<number, string>()
  /** The stream so far is `bytes[0, length)`; the next tuple to read starts at `at`. */
  private bytes: Buffer
  private length = 0
  private at = 0
  private isHeaderRead = false
  private isEnded = false
  /** Where each field of the tuple being read starts and ends (-1: null); reused, one tuple at a time. */
  private readonly starts = new Int32Array(fieldsARow)
  private readonly ends = new Int32Array(fieldsARow)

  /** `staging`: the buffer the stream is copied into, kept there (grown if needed) for the next reader. */
  constructor(
    private readonly stamp: string,
    private readonly staging: Staging = { buffer: Buffer.alloc(0) },
  ) {
    this.stampBytes = Buffer.from(stamp)
    this.bytes = staging.buffer
  }

  get isComplete(): boolean {
    return this.isEnded && this.at === this.length
  }

  push(chunk: Buffer): void {
    if (this.isEnded) throw unreadable('bytes after the trailer')
    this.take(chunk)
    if (!this.isHeaderRead) {
      const end = this.headerEnd()
      if (end < 0) return
      this.at = end
      this.isHeaderRead = true
    }
    while (!this.isEnded) {
      const next = this.readTuple(this.bytes, this.at)
      if (next < 0) break
      this.at = next
    }
    if (this.isEnded && this.at < this.length) throw unreadable('bytes after the trailer')
  }

  /**
   * Copies a chunk after the bytes so far. A buffer too small is replaced by one at least twice
   * its size, which the staging keeps; the rows read so far keep the one they point into.
   */
  private take(chunk: Buffer): void {
    if (this.length + chunk.length > this.bytes.length) {
      const unread = this.length - this.at
      const grown = Buffer.allocUnsafe(Math.max(2 * this.bytes.length, unread + chunk.length, minStagingBytes))
      this.bytes.copy(grown, 0, this.at, this.length)
      this.bytes = this.staging.buffer = grown
      this.length = unread
      this.at = 0
    }
    this.length += chunk.copy(this.bytes, this.length)
  }

  /** Where the header ends, or -1 if it is not all here yet. */
  private headerEnd(): number {
    const { bytes, length } = this
    const fixed = signature.length + 4 + 4
    if (length < fixed) return -1
    if (!bytes.subarray(0, signature.length).equals(signature)) throw unreadable('not a binary COPY stream')
    const end = fixed + bytes.readUInt32BE(signature.length + 4)
    return length < end ? -1 : end
  }

  /** Reads the tuple at `at` into `rows` and answers where the next starts, or -1 if it is cut short. */
  private readTuple(bytes: Buffer, at: number): number {
    if (this.length < at + 2) return -1
    const count = bytes.readInt16BE(at)
    if (count === -1) {
      this.isEnded = true
      return at + 2
    }
    if (count !== fieldsARow) throw unreadable(`a row of ${count} fields, not ${fieldsARow}`)
    const { starts, ends } = this
    let next = at + 2
    for (let field = 0; field < fieldsARow; field++) {
      if (this.length < next + 4) return -1
      const length = bytes.readInt32BE(next)
      if (length < -1) throw unreadable(`a field of length ${length}`)
      next += 4
      starts[field] = next
      if (length === -1) {
        ends[field] = -1
        continue
      }
      next += length
      if (this.length < next) return -1
      ends[field] = next
    }
    const start = (field: number) => starts[field]!
    const end = (field: number) => ends[field]!
    const text = (field: number) => (end(field) === -1 ? null : bytes.toString('utf8', start(field), end(field)))
    if (end(0) === -1 || end(1) - start(1) !== 4 || end(3) === -1 || end(5) - start(5) !== 8) {
      throw unreadable('a row without its id, version, record or row version')
    }
    const format = bytes[start(3)]
    if (format !== jsonbFormat) throw unreadable(`a record in jsonb format ${format}`)
    this.rows.push({
      id: text(0)!,
      version: bytes.readInt32BE(start(1)),
      month: end(2) === -1 ? null : this.monthAt(bytes, start(2), end(2)),
      bytes,
      start: start(3) + 1,
      end: end(3),
      checked: end(4) === -1 ? null : this.isStampAt(bytes, start(4), end(4)) ? this.stamp : text(4),
      // A transaction id is 32 bits: the lower half of the bigint.
      xid: bytes.readUInt32BE(start(5) + 4),
    })
    return next
  }

  /**
   * A month's text (`yyyy-mm`), decoded once per month: known by its bytes but the dash, read as
   * one number (48 bits, exact in a double).
   */
  private monthAt(bytes: Buffer, start: number, end: number): string {
    if (end - start !== 7 || bytes[start + 4] !== 0x2d) return bytes.toString('utf8', start, end)
    const key = bytes.readUInt32BE(start) * 0x10000 + bytes.readUInt16BE(start + 5)
    let month = this.months.get(key)
    if (month === undefined) {
      month = bytes.toString('utf8', start, end)
      this.months.set(key, month)
    }
    return month
  }

  private isStampAt(bytes: Buffer, start: number, end: number): boolean {
    const stamp = this.stampBytes
    if (end - start !== stamp.length) return false
    for (let at = 0; at < stamp.length; at++) if (bytes[start + at] !== stamp[at]) return false
    return true
  }
}
