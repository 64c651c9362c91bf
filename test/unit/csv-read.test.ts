import { describe, expect, it } from 'vitest'
import { readCsv, recordOf } from '../../src/shared/core/csv'
import { csvColumns, parseActivityCsv } from '../../src/shared/iceberg/activityImport'

describe('readCsv: the one CSV reader behind both importers', () => {
  it('drops the BOM, reads CRLF, keeps a quoted field over two lines, trims header names, skips blank lines', () => {
    const table = readCsv('\uFEFF Name ,Note\r\n王芳,"line one\r\nline two"\r\n\r\n李娜,ok\r\n')
    expect(table).toEqual({
      header: ['Name', 'Note'],
      rows: [
        ['王芳', 'line one\r\nline two'],
        ['李娜', 'ok'],
      ],
      errors: [],
    })
    expect(recordOf(table.header, ['only'])).toEqual({ Name: 'only', Note: '' })
  })

  it('reports an unterminated quote at its spreadsheet row (header = row 1)', () => {
    const text = 'customer,date\nA,2026-01-05\nB,"2026-01-06\n'
    expect(readCsv(text).errors).toEqual([{ row: 3, message: expect.any(String) }])
    expect(parseActivityCsv(text, { customer: 'customer', date: 'date', decimal: '.' }).errors).toEqual([
      { row: 3, path: '', message: expect.any(String) },
    ])
  })

  it('offers only the header row when asked', () => {
    expect(readCsv('a,b\n1,2\n', { isHeaderOnly: true })).toEqual({ header: ['a', 'b'], rows: [], errors: [] })
    expect(csvColumns('\uFEFFa, b\r\n1,2\r\n')).toEqual(['a', 'b'])
  })
})
