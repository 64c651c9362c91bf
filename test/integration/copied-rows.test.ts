import { type Client } from 'pg'
import { to as copyTo } from 'pg-copy-streams'
import { describe, expect, it } from 'vitest'
import {
  BinaryCopyReader,
  type CopiedRow,
  type Staging,
  copyRows,
  textOf,
} from '../../src/main/store/postgres/copiedRows'
import { AppError } from '../../src/shared/core/errors'
import { asSuperuser } from '../helpers/pg'

const stamp = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'

/** Three rows as a stored table gives them: a month and none, stamped and not, text in two scripts. */
const rowsSql = `select * from (values
  ('case-1', 1, '2025-01', '{"id": "case-1", "text": "Cold soup"}'::jsonb, '${stamp}', 7::bigint),
  ('grumble-冷', 12, null, '{"id": "grumble-冷", "text": "汤是冷的", "n": [1, 2.5, null]}'::jsonb, null, 4294967295::bigint),
  ('x', 3, 'Spring', '{}'::jsonb, 'another stamp', 0::bigint)
) as t(id, version, month, record, checked, xid)`

/** The rows as plain query rows, to compare with what COPY sends. */
const expected = [
  { id: 'case-1', version: 1, month: '2025-01', text: '{"id": "case-1", "text": "Cold soup"}', checked: stamp, xid: 7 },
  {
    id: 'grumble-冷',
    version: 12,
    month: null,
    text: '{"n": [1, 2.5, null], "id": "grumble-冷", "text": "汤是冷的"}',
    checked: null,
    xid: 4294967295,
  },
  { id: 'x', version: 3, month: 'Spring', text: '{}', checked: 'another stamp', xid: 0 },
]

const plain = (rows: CopiedRow[]) =>
  rows.map((row) => ({
    id: row.id,
    version: row.version,
    month: row.month,
    text: textOf(row),
    checked: row.checked,
    xid: row.xid,
  }))

/** The bytes PostgreSQL sends for `select` copied in binary. */
function copiedBytes(client: Client, select: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const stream = client.query(copyTo(`copy (${select}) to stdout (format binary)`))
    stream.on('data', (chunk: Buffer) => chunks.push(chunk))
    stream.on('error', reject)
    stream.on('end', () => resolve(Buffer.concat(chunks)))
  })
}

/** The stream read into `staging` in chunks of 64 KB, as a socket hands them on. */
function readInto(staging: Staging, bytes: Buffer): BinaryCopyReader {
  const reader = new BinaryCopyReader(stamp, staging)
  for (let at = 0; at < bytes.length; at += 65_536) reader.push(bytes.subarray(at, at + 65_536))
  expect(reader.isComplete).toBe(true)
  return reader
}

function readAll(pieces: Buffer[]): BinaryCopyReader {
  const reader = new BinaryCopyReader(stamp)
  for (const piece of pieces) reader.push(piece)
  return reader
}

describe('rows read from PostgreSQL with a binary COPY', () => {
  it('are the rows a query gives, the record as its JSON text, however the bytes are cut into chunks', async () => {
    const bytes = await asSuperuser((client) => copiedBytes(client, rowsSql))
    const whole = readAll([bytes])
    expect(whole.isComplete).toBe(true)
    expect(plain(whole.rows)).toEqual(expected)
    // The JSON text is jsonb's own, as `record::text` gives it.
    const asText = await asSuperuser((client) =>
      client.query<{ text: string }>(`select record::text as text from (${rowsSql}) as r`),
    )
    expect(plain(whole.rows).map((row) => row.text)).toEqual(asText.rows.map((row) => row.text))
    // Cut at every byte: each tuple, field and length cut short waits for the next chunk.
    for (let cut = 1; cut < bytes.length; cut++) {
      const reader = readAll([bytes.subarray(0, cut), bytes.subarray(cut)])
      expect(reader.isComplete).toBe(true)
      expect(plain(reader.rows)).toEqual(expected)
    }
    const byteByByte = readAll([...bytes].map((byte) => Buffer.from([byte])))
    expect(plain(byteByByte.rows)).toEqual(expected)
  })

  it('through a desk connection: the stamp read as the very string it is checked against, months shared', async () => {
    const rows = await asSuperuser((client) => copyRows(client, `${rowsSql} union all ${rowsSql}`, stamp))
    expect(plain(rows)).toEqual([...expected, ...expected])
    expect(rows.map((row) => row.checked === stamp)).toEqual([true, false, false, true, false, false])
  })

  it('reads into a buffer the next read reuses, grown as a read needs it, the rows read before it grew kept whole', async () => {
    // 5,000 rows of ~560 bytes: more than the least a buffer grows to (1 MB), so it grows mid-read.
    const many = `select 'row-' || n, n, '2025-01', jsonb_build_object('id', 'row-' || n, 'text', repeat('冷', n % 7) || repeat('x', 500)),
      null::text, n::bigint from generate_series(1, 5000) as n`
    const bytes = await asSuperuser((client) => copiedBytes(client, many))
    const staging = { buffer: Buffer.alloc(0) }
    const first = readInto(staging, bytes)
    expect(first.rows).toHaveLength(5000)
    // It grew past its first megabyte, the rows before in the buffer they were read into.
    expect(staging.buffer.length).toBeGreaterThan(1024 * 1024)
    expect(new Set(first.rows.map((row) => row.bytes)).size).toBeGreaterThan(1)
    const firstTexts = first.rows.map((row) => JSON.parse(textOf(row)) as { id: string; text: string })
    expect(firstTexts.map((record) => record.id)).toEqual(first.rows.map((row) => row.id))
    expect(firstTexts.every((record, i) => record.text === '冷'.repeat((i + 1) % 7) + 'x'.repeat(500))).toBe(true)
    // The next read is copied into the same buffer, nothing new allocated.
    const kept = staging.buffer
    const small = await asSuperuser((client) => copiedBytes(client, rowsSql))
    const second = readInto(staging, small)
    expect(staging.buffer).toBe(kept)
    expect(plain(second.rows)).toEqual(expected)
  })

  it('refuses a stream that is not a binary COPY, is cut short, goes on after its end, or holds a record in another format', async () => {
    const bytes = await asSuperuser((client) => copiedBytes(client, rowsSql))
    const refusal = (pieces: Buffer[]) => {
      try {
        readAll(pieces)
      } catch (error) {
        return error instanceof AppError ? error.message : String(error)
      }
      return 'read'
    }
    const notCopy = Buffer.from(bytes)
    notCopy.write('PGCOPZ', 0, 'latin1')
    expect(refusal([notCopy])).toMatch(/cannot read: not a binary COPY stream/)
    expect(refusal([bytes, Buffer.from([0xff, 0xff])])).toMatch(/bytes after the trailer/)
    // The first record's jsonb format byte (after the header, the field count, id, version and month).
    const otherFormat = Buffer.from(bytes)
    const formatAt = bytes.indexOf(Buffer.from('{"id": "case-1"')) - 1
    expect(otherFormat[formatAt]).toBe(1)
    otherFormat[formatAt] = 2
    expect(refusal([otherFormat])).toMatch(/a record in jsonb format 2/)
    // The first field's length (after the header's 19 bytes and the field count) made negative.
    const negative = Buffer.from(bytes)
    negative.writeInt32BE(-7, 19 + 2)
    expect(refusal([negative])).toMatch(/a field of length -7/)
    const cutShort = readAll([bytes.subarray(0, bytes.length - 2)])
    expect(cutShort.isComplete).toBe(false)
    expect(plain(cutShort.rows)).toEqual(expected)
    // copyRows refuses what a select of other columns sends, and the connection answers the next query.
    const next = await asSuperuser(async (client) => {
      await expect(copyRows(client, 'select 1, 2 from generate_series(1, 3000)', stamp)).rejects.toThrow(
        /a row of 2 fields, not 6/,
      )
      return client.query<{ answer: number }>('select 42 as answer').then((found) => found.rows)
    })
    expect(next).toEqual([{ answer: 42 }])
  })
})
