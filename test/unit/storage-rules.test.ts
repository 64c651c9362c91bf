import { describe, expect, it } from 'vitest'
import { CsvMapping, mapCsvRow, parseCsvDate } from '../../src/shared/imports/csvImport'
import { backupTime, backupsToPrune, isDailyBackupDue } from '../../src/shared/storage/storage'

describe('CSV dates', () => {
  it('accepts ISO always and the mapping format otherwise, as UTC', () => {
    expect(parseCsvDate('2025-03-14T09:30:00+02:00', undefined)).toBe('2025-03-14T07:30:00.000Z')
    expect(parseCsvDate('2025-03-14', 'dd.MM.yyyy')).toBe('2025-03-14T00:00:00.000Z')
    expect(parseCsvDate('14.03.2025', 'dd.MM.yyyy')).toBe('2025-03-14T00:00:00.000Z')
    expect(parseCsvDate('03/14/2025 17:05', 'MM/dd/yyyy HH:mm')).toBe('2025-03-14T17:05:00.000Z')
    expect(parseCsvDate('31/02/2025', 'dd/MM/yyyy')).toBeUndefined()
    expect(parseCsvDate('yesterday', undefined)).toBeUndefined()
  })
})

describe('CSV rows', () => {
  const mapping = CsvMapping.parse({
    columns: { receivedAt: 'When', summary: 'What', severity: 'Sev' },
    defaults: { channel: 'grumble' },
    values: { severity: { Big: 'major' } },
  })
  const categories = new Set(['other'])

  it('maps values, fills defaults, and reports every problem with its column', () => {
    expect(mapCsvRow({ When: '2025-01-02', What: ' Rude ', Sev: 'Big' }, 2, mapping, categories).value).toMatchObject({
      summary: 'Rude',
      severity: 'major',
      channel: 'grumble',
      category: 'other',
    })
    expect(mapCsvRow({ When: 'nope', What: '', Sev: 'Tiny' }, 7, mapping, categories).errors).toMatchObject([
      { row: 7, column: 'When', reason: 'not_a_date', message: '"nope" is not a date' },
      { row: 7, column: 'What', reason: 'required', message: 'required' },
      { row: 7, column: 'Sev', reason: 'not_one_of', message: '"Tiny" is not one of near-miss, minor, major' },
    ])
  })

  it('requires receivedAt and summary in the mapping', () => {
    expect(CsvMapping.safeParse({ columns: { summary: 'x' } }).success).toBe(false)
  })
})

describe('backup rules', () => {
  const at = (iso: string, name = 'auto') => ({
    name: `makegood-${name}-${iso.replace(/[:.]/g, '-')}.json`,
    createdAt: iso,
    bytes: 1,
    isAutomatic: name === 'auto',
  })

  it('reads the time back from a backup name', () => {
    expect(backupTime('makegood-auto-2026-11-23T10-00-00-000Z.json')).toBe('2026-11-23T10:00:00.000Z')
    expect(backupTime('../../etc/passwd')).toBeUndefined()
  })

  it('is due when there is none or the latest automatic one is a day old', () => {
    const now = new Date('2026-11-23T10:00:00.000Z')
    expect(isDailyBackupDue([], now)).toBe(true)
    expect(isDailyBackupDue([at('2026-11-22T12:00:00.000Z')], now)).toBe(false)
    expect(isDailyBackupDue([at('2026-11-22T10:00:00.000Z')], now)).toBe(true)
    expect(isDailyBackupDue([at('2026-11-23T09:00:00.000Z', 'manual')], now)).toBe(true)
  })

  it('prunes the oldest beyond the number to keep, never the copies taken before a restore', () => {
    const list = [
      at('2026-11-20T10:00:00.000Z'),
      at('2026-11-21T10:00:00.000Z', 'before-restore'),
      at('2026-11-22T10:00:00.000Z'),
      at('2026-11-23T10:00:00.000Z', 'manual'),
    ]
    expect(backupsToPrune(list, 2).map((b) => b.createdAt)).toEqual(['2026-11-20T10:00:00.000Z'])
  })
})
