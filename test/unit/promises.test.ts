import { describe, expect, it } from 'vitest'
import {
  type CustomerPromise,
  breakPromise,
  calendarFromSettings,
  cancelPromise,
  guaranteeDue,
  keepPromise,
  makePromise,
  promiseChain,
  promiseMetrics,
  promiseMetricsBy,
  promisesToNotify,
  renegotiatePromise,
  resolveDue,
  stateAt,
  todayBuckets,
  WorkingCalendarSettings,
} from '../../src/shared/promises/promises'

/** Budapest: Mon–Fri 09:00–17:00, with daylight saving (CET +1 / CEST +2). */
const budapest = calendarFromSettings(
  WorkingCalendarSettings.parse({ timeZone: 'Europe/Budapest', holidays: ['2025-03-14'] }),
  ['2025-03-15', '2025-04-21'],
  'UTC',
)
const at = (iso: string) => ({ by: 'Anna', at: iso })

function promise(overrides: Partial<CustomerPromise> = {}): CustomerPromise {
  return makePromise(
    {
      id: overrides.id ?? 'p1',
      what: 'Call back with the refund',
      customerId: 'c1',
      caseId: 'case1',
      madeBy: overrides.madeBy ?? 'Anna',
      department: overrides.department ?? 'Front',
      dueAt: overrides.dueAt ?? '2025-03-12T16:00:00.000Z',
    },
    at(overrides.madeAt ?? '2025-03-10T09:00:00.000Z'),
  )
}

describe('promise rules', () => {
  it('is kept on time when kept at or before the due time, else late', () => {
    const p = promise()
    expect(stateAt(keepPromise(p, at('2025-03-12T16:00:00.000Z')), new Date('2025-03-20T00:00:00Z'))).toBe(
      'kept-on-time',
    )
    expect(stateAt(keepPromise(p, at('2025-03-12T16:00:01.000Z')), new Date('2025-03-20T00:00:00Z'))).toBe('kept-late')
  })

  it('turns overdue the moment the due time passes, and metrics count it as broken until kept late', () => {
    const p = promise()
    expect(stateAt(p, new Date('2025-03-12T16:00:00.000Z'))).toBe('open')
    expect(stateAt(p, new Date('2025-03-12T16:00:00.001Z'))).toBe('overdue')
    const before = promiseMetrics([p], {}, new Date('2025-03-12T15:00:00Z'))
    expect(before).toMatchObject({ due: 1, open: 1, broken: 0, keptRate: null })
    const overdue = promiseMetrics([p], {}, new Date('2025-03-13T08:00:00Z'))
    expect(overdue).toMatchObject({ broken: 1, overdue: 1, open: 0, keptRate: 0 })
    const kept = keepPromise(p, at('2025-03-13T09:00:00.000Z'))
    expect(promiseMetrics([kept], {}, new Date('2025-03-13T10:00:00Z'))).toMatchObject({
      keptLate: 1,
      broken: 0,
      keptRate: 0,
    })
    // Replaying history: as of the morning of the 13th it was still broken (overdue).
    expect(stateAt(kept, new Date('2025-03-13T08:00:00Z'))).toBe('overdue')
  })

  it('computes keptRate over promises due in the period, per staff member and department', () => {
    const list = [
      keepPromise(promise({ id: 'a', madeBy: 'Anna' }), at('2025-03-11T10:00:00.000Z')),
      keepPromise(promise({ id: 'b', madeBy: 'Anna' }), at('2025-03-13T10:00:00.000Z')),
      breakPromise(promise({ id: 'c', madeBy: 'Li', department: 'Kitchen' }), at('2025-03-11T10:00:00.000Z'), 'Forgot'),
      promise({ id: 'd', madeBy: 'Li', department: 'Kitchen', dueAt: '2025-04-01T10:00:00.000Z' }),
      cancelPromise(promise({ id: 'e' }), at('2025-03-11T10:00:00.000Z'), 'Customer withdrew'),
    ]
    const now = new Date('2025-03-20T00:00:00Z')
    const march = { from: new Date('2025-03-01T00:00:00Z'), to: new Date('2025-04-01T00:00:00Z') }
    const total = promiseMetrics(list, march, now)
    expect(total).toMatchObject({ made: 5, due: 4, keptOnTime: 1, keptLate: 1, broken: 1, cancelled: 1 })
    expect(total.keptRate).toBeCloseTo(1 / 3)
    const byStaff = promiseMetricsBy(list, (p) => p.madeBy, march, now)
    expect(byStaff.map((g) => [g.name, g.metrics.keptRate])).toEqual([
      ['Anna', 0.5],
      ['Li', 0],
    ])
    const byDepartment = promiseMetricsBy(list, (p) => p.department, {}, now)
    expect(byDepartment.find((g) => g.name === 'Kitchen')?.metrics).toMatchObject({ due: 2, broken: 1, open: 1 })
  })

  it('renegotiates only before the due time, closing the promise and carrying the chain', () => {
    const p = promise()
    const first = renegotiatePromise(p, at('2025-03-11T10:00:00.000Z'), {
      successorId: 'p2',
      dueAt: '2025-03-14T16:00:00.000Z',
      note: 'Customer away until Friday',
    })
    expect(first.closed).toMatchObject({ status: 'renegotiated', successorId: 'p2' })
    expect(first.successor).toMatchObject({ status: 'open', predecessorId: 'p1', what: p.what })
    const second = renegotiatePromise(first.successor, at('2025-03-12T10:00:00.000Z'), {
      successorId: 'p3',
      dueAt: '2025-03-18T16:00:00.000Z',
    })
    const byId = new Map([first.closed, second.closed, second.successor].map((x) => [x.id, x]))
    expect(promiseChain((id) => byId.get(id), second.closed).map((x) => x.id)).toEqual(['p1', 'p2', 'p3'])
    // Renegotiated promises count neither as kept nor broken.
    expect(promiseMetrics(byId.values(), {}, new Date('2025-03-13T00:00:00Z'))).toMatchObject({
      renegotiated: 2,
      keptRate: null,
    })
    expect(() =>
      renegotiatePromise(p, at('2025-03-12T16:00:00.000Z'), { successorId: 'x', dueAt: '2025-03-20T10:00:00Z' }),
    ).toThrow(expect.objectContaining({ reason: 'promise.renegotiate_after_due' }))
  })

  it('refuses what makes no sense: a due time in the past, closing twice, breaking or cancelling without words', () => {
    expect(() => promise({ dueAt: '2025-03-09T00:00:00.000Z' })).toThrow(
      expect.objectContaining({ reason: 'promise.due_in_past' }),
    )
    const kept = keepPromise(promise(), at('2025-03-11T00:00:00.000Z'))
    expect(() => breakPromise(kept, at('2025-03-11T01:00:00.000Z'), 'x')).toThrow(
      expect.objectContaining({ reason: 'promise.not_open' }),
    )
    expect(() => breakPromise(promise(), at('2025-03-11T01:00:00.000Z'), ' ')).toThrow(
      expect.objectContaining({ reason: 'promise.break_needs_what_happened' }),
    )
    expect(() => cancelPromise(promise(), at('2025-03-11T01:00:00.000Z'), '')).toThrow(
      expect.objectContaining({ reason: 'promise.cancel_needs_reason' }),
    )
  })
})

describe('due times from the working calendar', () => {
  it('resolves the quick picks to closing times in the calendar zone', () => {
    // Wednesday 12 March 2025, 10:00 in Budapest (CET, UTC+1).
    const now = new Date('2025-03-12T09:00:00Z')
    expect(resolveDue(budapest, now, { kind: 'today' }).toISOString()).toBe('2025-03-12T16:00:00.000Z')
    expect(resolveDue(budapest, now, { kind: 'tomorrow' }).toISOString()).toBe('2025-03-13T16:00:00.000Z')
    // Friday the 14th is the business's own closed day, Saturday 15th a public holiday, then Sunday.
    expect(resolveDue(budapest, now, { kind: 'business-days', n: 2 }).toISOString()).toBe('2025-03-17T16:00:00.000Z')
    expect(resolveDue(budapest, now, { kind: 'business-hours', n: 10 }).toISOString()).toBe('2025-03-13T11:00:00.000Z')
    expect(resolveDue(budapest, now, { kind: 'date', date: '2025-03-15' }).toISOString()).toBe(
      '2025-03-17T16:00:00.000Z',
    )
  })

  it('counts business hours across the change to summer time', () => {
    // Friday 28 March 2025 15:00 CET; clocks go forward on Sunday the 30th; Monday closes 17:00 CEST = 15:00Z.
    const friday = new Date('2025-03-28T14:00:00Z')
    expect(resolveDue(budapest, friday, { kind: 'business-hours', n: 4 }).toISOString()).toBe(
      '2025-03-31T09:00:00.000Z',
    )
    expect(resolveDue(budapest, friday, { kind: 'business-days', n: 1 }).toISOString()).toBe('2025-03-31T15:00:00.000Z')
  })

  it('makes guarantee due times from when the case was received', () => {
    // Received Friday 16:30 Budapest: 4 business hours run 30 minutes on Friday and 3.5 on Monday.
    const received = new Date('2025-03-07T15:30:00Z')
    expect(guaranteeDue(budapest, received, { amount: 4, unit: 'business-hours' }).toISOString()).toBe(
      '2025-03-10T11:30:00.000Z',
    )
    expect(guaranteeDue(budapest, received, { amount: 2, unit: 'business-days' }).toISOString()).toBe(
      '2025-03-11T16:00:00.000Z',
    )
  })

  it('honours extra working days (a Chinese make-up Sunday before National Day)', () => {
    const shanghai = calendarFromSettings(
      WorkingCalendarSettings.parse({ timeZone: 'Asia/Shanghai', extraWorkingDays: ['2025-09-28'] }),
      ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-06', '2025-10-07', '2025-10-08'],
      'UTC',
    )
    // Friday 26 September 2025, 12:00 in Shanghai: the next business day is the make-up Sunday.
    const now = new Date('2025-09-26T04:00:00Z')
    expect(resolveDue(shanghai, now, { kind: 'tomorrow' }).toISOString()).toBe('2025-09-28T09:00:00.000Z')
    expect(resolveDue(shanghai, now, { kind: 'business-days', n: 3 }).toISOString()).toBe('2025-09-30T09:00:00.000Z')
    expect(resolveDue(shanghai, now, { kind: 'business-days', n: 4 }).toISOString()).toBe('2025-10-09T09:00:00.000Z')
  })
})

describe('Today and notifications', () => {
  const now = new Date('2025-03-12T09:00:00Z')
  const list = [
    promise({ id: 'late', dueAt: '2025-03-11T16:00:00.000Z' }),
    promise({ id: 'soon', dueAt: '2025-03-12T09:30:00.000Z', madeAt: '2025-03-10T09:00:00.000Z' }),
    promise({ id: 'today', dueAt: '2025-03-12T16:00:00.000Z' }),
    promise({ id: 'week', dueAt: '2025-03-19T16:00:00.000Z' }),
    promise({ id: 'later', dueAt: '2025-03-25T16:00:00.000Z' }),
  ]

  it('sorts open promises into overdue, due today and due this week by the calendar day', () => {
    const buckets = todayBuckets(budapest, list, now)
    expect(buckets.overdue.map((p) => p.id)).toEqual(['late'])
    expect(buckets.dueToday.map((p) => p.id)).toEqual(['soon', 'today'])
    expect(buckets.dueThisWeek.map((p) => p.id)).toEqual(['week'])
  })

  it('notifies once for promises due within the hour, and for overdue ones at start only', () => {
    const atStart = promisesToNotify(list, now, { isEnabled: true, isStartup: true, alreadyNotified: new Set() })
    expect(atStart.map((n) => n.key)).toEqual(['late:overdue', 'soon:due-soon'])
    const later = promisesToNotify(list, now, {
      isEnabled: true,
      isStartup: false,
      alreadyNotified: new Set(atStart.map((n) => n.key)),
    })
    expect(later).toEqual([])
    expect(promisesToNotify(list, now, { isEnabled: false, isStartup: true, alreadyNotified: new Set() })).toEqual([])
  })
})

describe('promises translations', () => {
  const flatKeys = (value: unknown, prefix = ''): string[] =>
    typeof value === 'object' && value !== null
      ? Object.entries(value).flatMap(([k, v]) => flatKeys(v, `${prefix}${k}.`))
      : [prefix.slice(0, -1).replace(/_(one|other)$/, '')]

  it.each(['zh-CN', 'zh-TW', 'hu'] as const)('%s has every key of the English promises namespace', async (locale) => {
    const en = (await import('../../src/shared/core/i18n/locales/en/index')).resources
    const other = (await import(`../../src/shared/core/i18n/locales/${locale}/index.ts`)).resources as typeof en
    expect(new Set(flatKeys(other.promises))).toEqual(new Set(flatKeys(en.promises)))
    expect(new Set(flatKeys(other.common.errors.promise))).toEqual(new Set(flatKeys(en.common.errors.promise)))
    expect(JSON.stringify(other.promises)).not.toBe(JSON.stringify(en.promises))
  })
})
