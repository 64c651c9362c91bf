import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { listSections, parseList } from '../../src/main/store/coldMonths'
import { DurableJSONFile, readablePieces, writePiecesDurable } from '../../src/main/store/durable'
import { tempDir } from '../helpers/temp'

const sha1Of = (bytes: Buffer) => createHash('sha1').update(bytes).digest('hex')

describe('a shard written a record at a time', () => {
  it('keeps the readable layout: top-level keys on their lines, one record a line', async () => {
    const file = new DurableJSONFile<Record<string, unknown>>(join(await tempDir(), 'shard.json'))
    await file.write({
      schemaVersion: 2,
      shard: '2026-11',
      cases: [
        { id: 'a', summary: '汤是凉的' },
        { id: 'b', nested: { list: [1, 2] } },
      ],
      grumbles: [],
      skipped: undefined,
    })
    const bytes = await readFile(file.path)
    expect(bytes.toString('utf8')).toBe(
      [
        '{',
        '  "schemaVersion": 2,',
        '  "shard": "2026-11",',
        '  "cases": [',
        '    {"id":"a","summary":"汤是凉的"},',
        '    {"id":"b","nested":{"list":[1,2]}}',
        '  ],',
        '  "grumbles": []',
        '}',
        '',
      ].join('\n'),
    )
    expect(file.lastBytes).toBe(bytes.length)
    expect(file.lastHash).toBe(sha1Of(bytes))
  })

  it('writes, counts and hashes a shard longer than one write of its buffer', async () => {
    // ~3 MB: several 1 MiB writes, of lines holding two- and three-byte characters.
    const records = Array.from({ length: 20_000 }, (_, i) => ({
      id: `r-${i}`,
      text: i % 3 === 0 ? `Zsófia ${'é'.repeat(i % 97)}` : `退款 ${'汤'.repeat(i % 89)}`,
    }))
    const data = { schemaVersion: 2, shard: '2026-10', cases: records, promises: [] }
    const file = new DurableJSONFile<typeof data>(join(await tempDir(), 'shard.json'))
    await file.write(data)
    const bytes = await readFile(file.path)
    expect(bytes.length).toBeGreaterThan(3 * (1 << 20))
    // The layout, line by line, made here independently of the writer.
    const expected = [
      '{',
      '  "schemaVersion": 2,',
      '  "shard": "2026-10",',
      '  "cases": [',
      ...records.map((r, i) => `    ${JSON.stringify(r)}${i < records.length - 1 ? ',' : ''}`),
      '  ],',
      '  "promises": []',
      '}',
      '',
    ].join('\n')
    expect(bytes.equals(Buffer.from(expected, 'utf8'))).toBe(true)
    expect(file.lastBytes).toBe(bytes.length)
    expect(file.lastHash).toBe(sha1Of(bytes))
    expect(await file.read()).toEqual(data)
  })
})

describe('a text written piece by piece', () => {
  // Pieces are encoded straight into a 1 MiB buffer; one that may not fit goes after a write, and
  // one longer than the buffer goes on its own. Lengths around a third of it cross both edges.
  const third = Math.floor((1 << 20) / 3)
  const piece = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc
      .constantFrom('汤', '😀', '\uD800', 'é', 'a')
      .chain((unit) =>
        fc
          .integer({ min: third - 3, max: third + 3 })
          .map((n) => unit.repeat(Math.max(1, Math.floor(n / unit.length)))),
      ),
    fc.integer({ min: 1, max: 400_000 }).map((n) => 'x'.repeat(n)),
  )

  it('writes exactly the bytes of the joined text, whatever the sizes and characters (lone surrogates too)', async () => {
    const dir = await tempDir()
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { maxLength: 12 }), async (pieces) => {
        const path = join(dir, 'text.json')
        const chunks: Buffer[] = []
        let turns = 0
        const bytes = await writePiecesDurable(path, pieces, {
          onChunk: (chunk) => chunks.push(Buffer.from(chunk)),
          giveWay: async () => {
            turns++
          },
        })
        const expected = Buffer.from(pieces.join(''), 'utf8')
        const written = await readFile(path)
        expect(written.equals(expected)).toBe(true)
        expect(bytes).toBe(expected.length)
        expect(Buffer.concat(chunks).equals(expected)).toBe(true)
        // No empty writes.
        for (const chunk of chunks) expect(chunk.length).toBeGreaterThan(0)
        if (expected.length > 1 << 20) expect(turns).toBeGreaterThan(0)
      }),
      { numRuns: 60 },
    )
  })
})

describe('the lists of a shard, found where they were written', () => {
  // Any text in the records: quotes, backslashes, newlines (written escaped), `"cases": [` and
  // `  ]` inside values, characters of two to four bytes.
  const text = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.constantFrom('\n  "cases": [\n', '\n  ]', '"],\n  "x": [', '汤是凉的', '😀'),
  )
  const record = fc.record({ id: fc.string({ minLength: 1, maxLength: 8 }), text, n: fc.integer() })
  const value = fc.oneof(
    fc.array(record, { maxLength: 6 }),
    fc.dictionary(fc.string({ maxLength: 5 }), text, { maxKeys: 3 }),
    text,
    fc.integer(),
  )
  // Keys as the stores write them, and one that JSON writes escaped (its list is read with the shard).
  const key = fc.constantFrom('cases', 'grumbles', 'promises', 'settings', 'extra', 'a"b')

  it('finds each list of records in one pass and reads it back from its own bytes', () => {
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 6 }), (data) => {
        const shard = { schemaVersion: 2, shard: '2026-11', ...data }
        const bytes = Buffer.from([...readablePieces(shard)].join(''), 'utf8')
        const sections = listSections(bytes)
        const lists = Object.entries(shard).filter(
          ([name, list]) => Array.isArray(list) && list.length > 0 && !name.includes('"'),
        )
        expect([...sections.keys()].sort()).toEqual(lists.map(([name]) => name).sort())
        for (const [name, list] of lists) {
          // Each record handed on as it is read, the very objects the list holds, in order.
          const handed: unknown[] = []
          const read = parseList(bytes, sections.get(name)!, 0, (value) => handed.push(value))
          expect(read).toEqual(list)
          expect(handed).toHaveLength((read as unknown[]).length)
          handed.forEach((value, i) => expect(value).toBe((read as unknown[])[i]))
        }
      }),
      { numRuns: 300 },
    )
  })

  it('reads a list laid out by hand as its JSON says, and refuses one that is not JSON', () => {
    const records = [
      { id: 'grumble-1', text: 'Soup, cold', tags: ['a', { b: [1, 2] }] },
      { id: 'grumble-2', text: '汤是凉的' },
      { id: 'grumble-3', text: '},' },
    ]
    const shardOf = (list: string) => Buffer.from(`{\n  "schemaVersion": 2,\n  "grumbles": [\n${list}\n  ]\n}\n`)
    const readBack = (list: string) => {
      const bytes = shardOf(list)
      return parseList(bytes, listSections(bytes).get('grumbles')!)
    }
    const lines = records.map((record) => `    ${JSON.stringify(record)}`)
    // Across lines (pretty-printed), two on one line, spaces around the commas.
    expect(readBack(JSON.stringify(records, null, 2).slice(2, -2))).toEqual(records)
    // Read whole, the list is handed on whole, once.
    const pretty = shardOf(JSON.stringify(records, null, 2).slice(2, -2))
    const handed: unknown[] = []
    const read = parseList(pretty, listSections(pretty).get('grumbles')!, 0, (value) => handed.push(value))
    expect(handed).toEqual([records])
    expect(handed[0]).toBe(read)
    expect(readBack(`${lines[0]}, ${JSON.stringify(records[1])},\n${lines[2]}`)).toEqual(records)
    expect(readBack(`${lines[0]} ,\n${lines[1]},  \n${lines[2]}  `)).toEqual(records)
    // A comma missing between records, or one after the last, is not JSON: the whole list is refused.
    expect(() => readBack(`${lines[0]}\n${lines[1]},\n${lines[2]}`)).toThrow(SyntaxError)
    expect(() => readBack(`${lines[0]},\n${lines[1]},\n${lines[2]},`)).toThrow(SyntaxError)
  })
})
