import { describe, expect, it } from 'vitest'
import { csvColumns, parseActivityCsv, parseActivityDate, parseAmount } from '../../src/shared/iceberg/activityImport'
import {
  type IcebergData,
  hiddenByCategory,
  icebergEstimates,
  icebergFor,
  icebergTrend,
  monthPeriod,
} from '../../src/shared/iceberg/iceberg'
import { monthsEndingWith } from '../../src/shared/core/months'
import { type Channel } from '../../src/shared/schemas'

const c = (
  receivedAt: string,
  channel: Channel,
  category = 'long-wait',
  department = 'Kitchen',
  grumbleId?: string,
) => ({
  receivedAt,
  channel,
  category,
  department,
  ...(grumbleId ? { grumbleId } : {}),
})

describe('iceberg estimates, checked by hand', () => {
  it('scales from 4 formal complaints: 50 total, 11.5 grumbles expected, 34.5 silent expected', () => {
    const e = icebergEstimates({ formal: 4, grumbles: 6, silent: 3, total: 13 })
    expect(e.estimatedTotal).toBeCloseTo(50, 10) // 4 ÷ 0.08
    expect(e.expectedGrumbles).toBeCloseTo(11.5, 10) // 50 × 0.23
    expect(e.grumbleCaptureRate).toBeCloseTo(6 / 11.5, 10) // 52 %
    expect(e.expectedSilent).toBeCloseTo(34.5, 10) // 50 × 0.69
    expect(e.silentDetectionRate).toBeCloseTo(3 / 34.5, 10)
    expect(e.unseen).toBeCloseTo(37, 10) // 50 − 13 recorded
    expect(e.observedShares).toEqual({ formal: 4 / 13, grumbles: 6 / 13, silent: 3 / 13 })
  })

  it('estimates nothing from zero formal complaints (and does not call that good news)', () => {
    const e = icebergEstimates({ formal: 0, grumbles: 5, silent: 0, total: 5 })
    expect(e.estimatedTotal).toBeNull()
    expect(e.grumbleCaptureRate).toBeNull()
    expect(e.observedShares).toEqual({ formal: 0, grumbles: 1, silent: 0 })
    expect(icebergEstimates({ formal: 0, grumbles: 0, silent: 0, total: 0 }).observedShares).toBeNull()
  })
})

describe('icebergFor a period', () => {
  const data: IcebergData = {
    cases: [
      c('2026-05-03T09:00:00.000Z', 'formal'),
      c('2026-05-20T09:00:00.000Z', 'formal', 'hygiene', 'Front of house'),
      c('2026-05-21T09:00:00.000Z', 'grumble', 'hygiene', 'Front of house', 'g1'), // promoted: counted as g1
      c('2026-05-22T09:00:00.000Z', 'grumble', 'hygiene', 'Front of house'), // filed directly as a grumble
      c('2026-06-01T00:00:00.000Z', 'formal'), // next month
      c('2026-04-30T23:59:59.000Z', 'formal'), // month before
    ],
    grumbles: [
      { heardAt: '2026-05-21T09:00:00.000Z', category: 'hygiene', department: 'Front of house' },
      { heardAt: '2026-05-25T09:00:00.000Z', category: 'long-wait', department: 'Kitchen' },
      { heardAt: '2026-05-26T09:00:00.000Z' },
    ],
    signals: [
      { raisedAt: '2026-05-10T00:00:00.000Z' },
      { raisedAt: '2026-05-11T00:00:00.000Z', outcome: 'false-alarm' },
      { raisedAt: '2026-05-12T00:00:00.000Z', category: 'long-wait', outcome: 'lost' },
    ],
  }

  it('counts each layer once, in its month, leaving false alarms out', () => {
    const may = icebergFor(monthPeriod('2026-05'), data)
    expect(may.counts).toEqual({ formal: 2, grumbles: 4, silent: 2, total: 8 })
    expect(may.estimates.estimatedTotal).toBeCloseTo(25, 10)
    expect(may.estimates.grumbleCaptureRate).toBeCloseTo(4 / 5.75, 10)
  })

  it('filters by category and department', () => {
    expect(icebergFor(monthPeriod('2026-05'), data, { category: 'hygiene' }).counts).toEqual({
      formal: 1,
      grumbles: 2,
      silent: 0,
      total: 3,
    })
    expect(icebergFor(monthPeriod('2026-05'), data, { department: 'Kitchen' }).counts).toEqual({
      formal: 1,
      grumbles: 1,
      silent: 0,
      total: 2,
    })
  })

  it('spans several months and builds a 12-month trend', () => {
    expect(monthPeriod('2026-04', '2026-06')).toEqual({
      start: '2026-04-01T00:00:00.000Z',
      end: '2026-07-01T00:00:00.000Z',
    })
    expect(icebergFor(monthPeriod('2026-04', '2026-06'), data).counts.formal).toBe(4)
    expect(monthsEndingWith('2026-02', 3)).toEqual(['2025-12', '2026-01', '2026-02'])
    const trend = icebergTrend('2026-06', data)
    expect(trend).toHaveLength(12)
    expect(trend[0]?.month).toBe('2025-07')
    expect(trend.at(-2)).toEqual({ month: '2026-05', formal: 2, grumbles: 4, silent: 2, total: 8 })
    expect(trend.at(-1)).toMatchObject({ month: '2026-06', formal: 1 })
  })

  it('ranks the categories by the hidden part, largest first', () => {
    const ranked = hiddenByCategory(monthPeriod('2026-05'), data)
    // long-wait: 1 formal → 12.5 estimated, 3 recorded → 9.5 unseen; hygiene: 12.5 − 3 = 9.5
    expect(ranked.map((r) => [r.category, r.estimates.unseen])).toEqual([
      ['hygiene', 9.5],
      ['long-wait', 9.5],
    ])
  })
})

describe('reading activity files', () => {
  it('reads dates in ISO, Chinese and mapped formats as calendar days in UTC, and refuses impossible ones', () => {
    expect(parseActivityDate('2026-03-05')).toBe('2026-03-05T00:00:00.000Z')
    expect(parseActivityDate('2026/3/5 18:30')).toBe('2026-03-05T18:30:00.000Z')
    expect(parseActivityDate('2026年3月5日')).toBe('2026-03-05T00:00:00.000Z')
    expect(parseActivityDate('2026-03-05T18:30:00+08:00')).toBe('2026-03-05T10:30:00.000Z')
    expect(parseActivityDate('05/03/2026', 'dd/MM/yyyy')).toBe('2026-03-05T00:00:00.000Z')
    expect(parseActivityDate('2026.03.05', 'yyyy.MM.dd')).toBe('2026-03-05T00:00:00.000Z')
    expect(parseActivityDate('2026-02-30')).toBeUndefined()
    expect(parseActivityDate('yesterday')).toBeUndefined()
  })

  it('reads amounts with currency signs and either decimal separator', () => {
    expect(parseAmount('€1,234.50', '.')).toBe(1234.5)
    expect(parseAmount('1 234,50 Ft', ',')).toBe(1234.5)
    expect(parseAmount('¥88', '.')).toBe(88)
    expect(parseAmount('', '.')).toBe(0)
    expect(parseAmount('n/a', '.')).toBeUndefined()
  })

  it('parses quoted multi-line fields, CRLF and a BOM, and names the header columns', () => {
    const csv =
      '\uFEFF顾客,日期,金额,备注\r\n王芳,2026-03-05,88,"午餐\r\n两位"\r\n"Smith, Margaret",2026-03-06,"1,050.00",\r\n'
    expect(csvColumns(csv)).toEqual(['顾客', '日期', '金额', '备注'])
    const parsed = parseActivityCsv(csv, { customer: '顾客', date: '日期', amount: '金额', decimal: '.' })
    expect(parsed.errors).toEqual([])
    expect(parsed.rows).toEqual([
      { row: 2, customerName: '王芳', date: '2026-03-05T00:00:00.000Z', amount: 88 },
      { row: 3, customerName: 'Smith, Margaret', date: '2026-03-06T00:00:00.000Z', amount: 1050 },
    ])
  })
})
