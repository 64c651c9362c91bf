import { describe, expect, it } from 'vitest'
import {
  type CsvMapping,
  distinctValues,
  guessDateFormat,
  mapCsvRow,
  parseCsvDate,
  rowMessage,
  rowReasons,
} from '../../src/shared/imports/csvImport'
import { rowErrorText } from '../../src/shared/imports/csvImportText'
import { createI18n } from '../../src/shared/core/i18n/i18n'
import { builtInCategoryIds, locales } from '../../src/shared/schemas'

const categories = new Set<string>(builtInCategoryIds)
const mapping = (extra: Partial<CsvMapping> = {}): CsvMapping => ({
  columns: { receivedAt: 'When', summary: 'What', category: 'Type', severity: 'Sev' },
  defaults: {},
  values: {},
  ...extra,
})

describe('mapCsvRow', () => {
  it('gives every problem a stable reason, its parameters and the English message', () => {
    const { value, errors } = mapCsvRow(
      { When: '13/45/2025', What: '', Type: 'Spaceship', Sev: 'Huge' },
      7,
      mapping({ dateFormat: 'MM/dd/yyyy' }),
      categories,
    )
    expect(value).toBeUndefined()
    expect(errors).toEqual([
      {
        row: 7,
        column: 'When',
        field: 'receivedAt',
        reason: 'not_a_date_in_format',
        params: { value: '13/45/2025', format: 'MM/dd/yyyy' },
        message: '"13/45/2025" is not a date in MM/dd/yyyy',
      },
      { row: 7, column: 'What', field: 'summary', reason: 'required', params: {}, message: 'required' },
      {
        row: 7,
        column: 'Type',
        field: 'category',
        reason: 'unknown_category',
        params: { value: 'Spaceship' },
        message: '"Spaceship" is not a known category',
      },
      {
        row: 7,
        column: 'Sev',
        field: 'severity',
        reason: 'not_one_of',
        params: { value: 'Huge', allowed: 'near-miss, minor, major' },
        message: '"Huge" is not one of near-miss, minor, major',
      },
    ])
  })

  it('fills empty and unmapped fields from defaults, and maps the file values to ours', () => {
    const { value, errors } = mapCsvRow(
      { When: '2026-11-20', What: 'Cold soup', Type: 'Wait', Sev: '' },
      2,
      mapping({
        defaults: { severity: 'major', channel: 'grumble', department: 'Kitchen' },
        values: { category: { Wait: 'long-wait' }, severity: { Hoch: 'major' } },
      }),
      categories,
    )
    expect(errors).toEqual([])
    expect(value).toMatchObject({
      category: 'long-wait',
      severity: 'major',
      channel: 'grumble',
      department: 'Kitchen',
      receivedAt: '2026-11-20T00:00:00.000Z',
    })
  })
})

describe('row problems in four languages', () => {
  const samples = {
    required: {},
    too_long: { max: 200 },
    not_a_date: { value: 'never' },
    not_a_date_in_format: { value: 'never', format: 'dd.MM.yyyy' },
    not_one_of: { value: 'Huge', allowed: 'near-miss, minor, major' },
    unknown_category: { value: 'Spaceship' },
  } as const

  it('English says exactly what the message for scripts says', async () => {
    const i18n = await createI18n('en')
    for (const reason of rowReasons) {
      const text = rowErrorText(i18n.t.bind(i18n), { field: 'summary', reason, params: samples[reason] })
      expect(text).toBe(rowMessage(reason, samples[reason]))
    }
  })

  it.each(locales.filter((l) => l !== 'en'))('%s translates every reason and keeps the file value', async (locale) => {
    const i18n = await createI18n(locale)
    const english = await createI18n('en')
    for (const reason of rowReasons) {
      const problem = { field: 'summary' as const, reason, params: samples[reason] }
      const text = rowErrorText(i18n.t.bind(i18n), problem)
      expect(text).not.toBe(rowErrorText(english.t.bind(english), problem))
      for (const param of Object.values(samples[reason])) expect(text).toContain(String(param))
    }
  })
})

describe('what the mapping screen reads from a file', () => {
  it('lists distinct values, most frequent first, ignoring blanks and spaces around', () => {
    const records = [{ T: 'Wait' }, { T: 'Rude ' }, { T: '' }, { T: 'Rude' }, { T: 'Wait' }, { T: 'Rude' }]
    expect(distinctValues(records, 'T')).toEqual([
      { value: 'Rude', count: 3 },
      { value: 'Wait', count: 2 },
    ])
  })

  it('guesses the date format from samples, despite a bad row, and tells day-first from month-first', () => {
    expect(guessDateFormat(['21.11.2026', '22.11.2026', 'yesterday'])).toBe('dd.MM.yyyy')
    expect(guessDateFormat(['03/04/2025', '03/14/2025'])).toBe('MM/dd/yyyy')
    expect(guessDateFormat(['03/04/2025', '14/03/2025'])).toBe('dd/MM/yyyy')
    expect(guessDateFormat(['2026年11月3日', '2026年1月23日'])).toBe('yyyy年M月d日')
    expect(guessDateFormat(['2026.11.03.', '2026.01.23.'])).toBe('yyyy.MM.dd.')
    expect(guessDateFormat(['21.11.2026 14:30'])).toBe('dd.MM.yyyy HH:mm')
    // ISO needs no format; nothing readable, no guess.
    expect(guessDateFormat(['2026-11-20', '2026-11-21T10:00:00Z'])).toBeUndefined()
    expect(guessDateFormat(['soon', 'later'])).toBeUndefined()
  })
})

describe('dates in a CSV with a format', () => {
  it('read the same whatever zone the machine is in, even a local midnight a DST change skips', () => {
    const machineZone = process.env.TZ
    const read = () => [
      // São Paulo moved its clocks from 00:00 to 01:00 on 4 November 2018; Budapest skips 02:00–03:00.
      parseCsvDate('04.11.2018', 'dd.MM.yyyy'),
      parseCsvDate('2027-03-28 02:30', 'yyyy-MM-dd HH:mm'),
    ]
    try {
      for (const zone of ['UTC', 'America/Sao_Paulo', 'Europe/Budapest', 'Asia/Shanghai']) {
        process.env.TZ = zone
        expect(read(), zone).toEqual(['2018-11-04T00:00:00.000Z', '2027-03-28T02:30:00.000Z'])
      }
    } finally {
      if (machineZone === undefined) delete process.env.TZ
      else process.env.TZ = machineZone
    }
  })
})
