import { readFile, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { constants } from 'node:buffer'
import { describe, expect, it } from 'vitest'
import { type AppError } from '../../src/shared/core/errors'
import { type DataSet } from '../../src/main/store/dataSet'
import { writePiecesDurable } from '../../src/main/store/durable'
import { exportPieces, exportText, parseExport, rawExportOf } from '../../src/main/store/exchange'
import { tempDir } from '../helpers/temp'

/** A data set of any kinds: the file's layout does not depend on what the records are. */
const dataSet = (collections: Record<string, Record<string, unknown>[]>): DataSet =>
  ({ schemaVersion: 3, settings: { businessName: 'Kő & Co', currency: 'HUF' }, collections }) as unknown as DataSet

describe('the export file', () => {
  it('is laid out one record per line, kinds and keys sorted, records by id', () => {
    const text = exportText(
      dataSet({
        trash: [],
        cases: [
          { summary: '等了四十分钟', id: 'b', n: 2 },
          { id: 'a', summary: 'Cold soup', nested: { z: 1, a: [{ y: 2, b: 1 }] } },
        ],
      }),
    )
    expect(text).toBe(
      [
        '{',
        '  "format": "makegood-export",',
        '  "schemaVersion": 3,',
        '  "settings": {"businessName":"Kő & Co","currency":"HUF"},',
        '  "collections": {',
        '    "cases": [',
        '    {"id":"a","nested":{"a":[{"b":1,"y":2}],"z":1},"summary":"Cold soup"},',
        '    {"id":"b","n":2,"summary":"等了四十分钟"}',
        '    ],',
        '    "trash": []',
        '  }',
        '}',
        '',
      ].join('\n'),
    )
    expect(exportText(dataSet({}))).toBe(
      '{\n  "format": "makegood-export",\n  "schemaVersion": 3,\n  "settings": {"businessName":"Kő & Co","currency":"HUF"},\n  "collections": {}\n}\n',
    )
  })

  it('reads back as JSON.parse reads it, in its own layout, re-indented, or with a byte-order mark', () => {
    const data = dataSet({ cases: [{ id: 'a', text: 'line "one",\n    ]' }], grumbles: [], trash: [{ id: 'x' }] })
    const text = exportText(data)
    const expected: unknown = JSON.parse(text)
    expect(rawExportOf(Buffer.from(text), 'own.json')).toEqual(expected)
    expect(rawExportOf(Buffer.from(`\uFEFF${text}`), 'bom.json')).toEqual(expected)
    expect(rawExportOf(Buffer.from(JSON.stringify(expected, null, 2)), 'indented.json')).toEqual(expected)
    expect(rawExportOf(Buffer.from(text.trimEnd()), 'no-newline.json')).toEqual(expected)
  })

  it('a torn or foreign file is refused with a clear error, whichever layout it has', () => {
    const text = exportText(dataSet({ cases: [{ id: 'a' }, { id: 'b' }] }))
    const torn = text.replace('{"id":"b"}', '{"id":"b"')
    const refusal = (input: string) => {
      try {
        parseExport(input, 'torn.json')
      } catch (error) {
        return error as AppError
      }
      throw new Error('expected a refusal')
    }
    expect(refusal(torn)).toMatchObject({ code: 'invalid_input', reason: 'import.not_json' })
    expect(refusal(torn).message).toContain('torn.json is not valid JSON')
    expect(refusal('{"something": "else"}')).toMatchObject({ reason: 'import.not_export' })
  })

  it('is written and read back whole when it is longer than the longest string JavaScript holds', async () => {
    // 5,600 records of 100,000 characters: ~560 MB, beyond the ~536 M characters a string can have.
    const long = 'x'.repeat(100_000)
    const records = Array.from({ length: 5_600 }, (_, i) => ({ id: `n${String(i).padStart(5, '0')}`, text: long }))
    const file = join(await tempDir(), 'large.json')
    const bytes = await writePiecesDurable(file, exportPieces(dataSet({ notes: records })))
    expect(bytes).toBe((await stat(file)).size)
    expect(bytes).toBeGreaterThan(constants.MAX_STRING_LENGTH)
    const read = await readFile(file)
    expect(() => read.toString('utf8')).toThrow()
    const raw = rawExportOf(read, file) as { collections: { notes: { id: string; text: string }[] } }
    expect(raw.collections.notes).toHaveLength(5_600)
    expect(raw.collections.notes[5_599]).toEqual({ id: 'n05599', text: long })
  })

  it('written piece by piece, it holds exactly the pieces, however they fall across writes', async () => {
    const pieces = Array.from({ length: 3_000 }, (_, i) => `${i}:${'退款'.repeat(i % 500)}é\n`)
    const file = join(await tempDir(), 'pieces.txt')
    const bytes = await writePiecesDurable(file, pieces)
    const written = await readFile(file)
    expect(written.toString('utf8')).toBe(pieces.join(''))
    expect(bytes).toBe(written.length)
  })
})
