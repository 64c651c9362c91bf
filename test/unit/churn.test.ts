import { describe, expect, it } from 'vitest'
import {
  type Visit,
  assessChurn,
  closeSignal,
  planSignals,
  valueAtRisk,
  winBackRate,
} from '../../src/shared/iceberg/churn'
import { defaultIcebergSettings } from '../../src/shared/iceberg/settings'
import { type Signal } from '../../src/shared/iceberg/schemas'
import { segmentOf } from '../../src/shared/iceberg/loyalty'

const now = new Date('2026-11-23T10:00:00.000Z')
const settings = defaultIcebergSettings()
const day = 86_400_000

/** Visits at the given gaps (days), ending `lastDaysAgo` before now, each with `spend(i)`. */
function history(gaps: number[], lastDaysAgo: number, spend: (i: number) => number = () => 20): Visit[] {
  const total = gaps.reduce((a, b) => a + b, 0)
  let at = now.getTime() - (lastDaysAgo + total) * day
  const visits: Visit[] = [{ date: new Date(at).toISOString(), amount: spend(0) }]
  gaps.forEach((gap, i) => {
    at += gap * day
    visits.push({ date: new Date(at).toISOString(), amount: spend(i + 1) })
  })
  return visits
}

const weekly = (n: number) => Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 8 : i % 3 === 1 ? 6 : 7))

describe('churn detection against each customer’s own baseline', () => {
  it('leaves a steady weekly regular alone and values them as Mrs. Smith would', () => {
    const a = assessChurn(
      history(weekly(40), 3, () => 50),
      now,
      settings,
    )
    expect(a).toBeDefined()
    expect(a?.isRegular).toBe(true)
    expect(a?.usualIntervalDays).toBe(7)
    expect(a?.level).toBeUndefined()
    expect(a?.reasons).toEqual([])
    // $50 × 365/7 visits a year × 3 years
    expect(a?.valueAtRisk.averageSpend).toBe(50)
    expect(a?.valueAtRisk.visitsPerYear).toBeCloseTo(52.14, 2)
    expect(a?.valueAtRisk.value).toBeCloseTo(50 * (365 / 7) * 3, 6)
  })

  it('flags a regular who slowed down (falling frequency), dated at the last visit', () => {
    const gaps = [...weekly(30), 14, 21, 25]
    const a = assessChurn(history(gaps, 10), now, settings)
    expect(a?.isRegular).toBe(true)
    expect(a?.reasons).toEqual(['frequency-falling'])
    expect(a?.level).toBe('at-risk')
    expect(a?.recentIntervalDays).toBe(21)
    expect(a?.evidentAt).toBe(a?.lastAt)
  })

  it('flags a regular whose spend fell markedly', () => {
    const visits = history(weekly(30), 2, (i) => (i >= 28 ? 12 : 40))
    const a = assessChurn(visits, now, settings)
    expect(a?.reasons).toEqual(['spend-falling'])
    expect(a?.averageSpend).toBe(40)
    expect(a?.recentSpend).toBe(12)
    expect(a?.level).toBe('at-risk')
  })

  it('calls a weekly regular overdue after 14 days and lost after 60', () => {
    const overdue = assessChurn(history(weekly(30), 20), now, settings)
    expect(overdue?.reasons).toEqual(['overdue'])
    expect(overdue?.level).toBe('at-risk')
    // evident once 14 days had passed since the last visit
    expect(new Date(overdue!.evidentAt!).getTime() - new Date(overdue!.lastAt).getTime()).toBe(14 * day)
    const left = assessChurn(history(weekly(30), 100), now, settings)
    expect(left?.reasons).toEqual(['gone'])
    expect(left?.level).toBe('lost')
  })

  it('scales the margin with the customer’s own rhythm: a monthly regular is not overdue after 40 days', () => {
    const monthly = Array.from({ length: 12 }, (_, i) => 28 + (i % 4))
    expect(assessChurn(history(monthly, 40), now, settings)?.level).toBeUndefined()
    expect(assessChurn(history(monthly, 70), now, settings)?.reasons).toEqual(['overdue'])
    expect(assessChurn(history(monthly, 130), now, settings)?.reasons).toEqual(['gone'])
  })

  it('never flags an irregular customer, however long they have been away', () => {
    const irregular = [2, 45, 5, 90, 3, 30, 120, 4, 60, 1]
    for (const lastDaysAgo of [5, 100, 300]) {
      const a = assessChurn(history(irregular, lastDaysAgo), now, settings)
      expect(a?.isIrregular).toBe(true)
      expect(a?.level).toBeUndefined()
    }
  })

  it('has no baseline with fewer visits than the threshold', () => {
    const a = assessChurn(history([7, 7, 7], 60), now, settings)
    expect(a?.hasBaseline).toBe(false)
    expect(a?.level).toBeUndefined()
    expect(assessChurn([], now, settings)).toBeUndefined()
  })

  it('counts two purchases on one day as one visit', () => {
    const visits = [
      ...history(weekly(10), 3),
      { date: new Date(now.getTime() - 3 * day + 3600_000).toISOString(), amount: 5 },
    ]
    const a = assessChurn(visits, now, settings)
    expect(a?.visits).toBe(11)
  })

  it('computes value at risk as spend × visits per year × horizon', () => {
    expect(valueAtRisk(50, 52, 10).value).toBe(26_000)
  })
})

describe('planning signals', () => {
  const actor = { by: 'Anna', at: now.toISOString() }
  let next = 0
  const newId = () => `s${++next}`
  const assessments = () => [
    { customerId: 'steady', assessment: assessChurn(history(weekly(40), 3), now, settings)! },
    { customerId: 'slower', assessment: assessChurn(history([...weekly(30), 14, 21, 25], 10), now, settings)! },
    { customerId: 'gone', assessment: assessChurn(history(weekly(30), 100), now, settings)! },
    { customerId: 'irregular', assessment: assessChurn(history([2, 45, 5, 90, 3, 30, 120, 4], 200), now, settings)! },
  ]

  it('raises one signal per flagged customer, and none on a re-run', () => {
    const first = planSignals(assessments(), [], actor, newId)
    expect(first.create.map((s) => [s.customerId, s.level])).toEqual([
      ['slower', 'at-risk'],
      ['gone', 'lost'],
    ])
    expect(first.update).toEqual([])
    const again = planSignals(assessments(), first.create, actor, newId)
    expect(again).toEqual({ create: [], update: [] })
  })

  it('updates an open signal when the picture worsens, instead of adding one', () => {
    const overdue = assessChurn(history(weekly(30), 20), now, settings)!
    const [signal] = planSignals([{ customerId: 'c', assessment: overdue }], [], actor, newId).create
    const later = new Date(now.getTime() + 90 * day)
    const gone = assessChurn(history(weekly(30), 20), later, settings)!
    const plan = planSignals(
      [{ customerId: 'c', assessment: gone }],
      [signal!],
      { ...actor, at: later.toISOString() },
      newId,
    )
    expect(plan.create).toEqual([])
    expect(plan.update).toHaveLength(1)
    expect(plan.update[0]?.level).toBe('lost')
    expect(plan.update[0]?.id).toBe(signal?.id)
  })

  it('does not raise again a silence whose outcome was recorded, but does after new activity', () => {
    const [signal] = planSignals([assessments()[2]!], [], actor, newId).create
    const closed: Signal = closeSignal(signal!, 'false-alarm', 'On holiday abroad', actor)
    expect(planSignals([assessments()[2]!], [closed], actor, newId).create).toEqual([])
    // They came back once, then vanished again: a new episode.
    const visits = [...history(weekly(30), 100), { date: new Date(now.getTime() - 80 * day).toISOString(), amount: 20 }]
    const relapse = assessChurn(visits, now, settings)!
    expect(planSignals([{ customerId: 'gone', assessment: relapse }], [closed], actor, newId).create).toHaveLength(1)
  })

  it('measures win-back success without counting false alarms', () => {
    const base = { status: 'closed' as const }
    expect(
      winBackRate([
        { ...base, outcome: 'won-back' },
        { ...base, outcome: 'won-back' },
        { ...base, outcome: 'lost' },
        { ...base, outcome: 'false-alarm' },
        { status: 'open' },
      ]),
    ).toEqual({ wonBack: 2, lost: 1, falseAlarms: 1, rate: 2 / 3 })
    expect(winBackRate([]).rate).toBeNull()
  })
})

describe('loyalty segments', () => {
  const seg = (visits: Visit[], extra: Partial<Parameters<typeof segmentOf>[0]> = {}) =>
    segmentOf({ assessment: assessChurn(visits, now, settings), signals: [], now, settings, ...extra })

  it('tells new, core, active regular, occasional and inactive apart', () => {
    expect(seg(history([7, 7, 7], 2))).toBe('new')
    expect(seg(history(weekly(40), 3))).toBe('core')
    expect(
      seg(
        history(
          Array.from({ length: 12 }, () => 30),
          10,
        ),
      ),
    ).toBe('active-regular')
    expect(seg(history([2, 45, 5, 90, 3, 30, 120, 4], 20))).toBe('occasional')
    expect(seg(history([2, 45, 5, 90, 3, 30, 120, 4], 400))).toBe('inactive')
    expect(segmentOf({ assessment: undefined, signals: [], now, settings })).toBeUndefined()
  })

  it('follows open signals, and lets a person name an advocate', () => {
    const steady = history(weekly(40), 3)
    expect(seg(steady, { signals: [{ status: 'open', level: 'at-risk' }] })).toBe('at-risk')
    expect(seg(steady, { signals: [{ status: 'open', level: 'lost' }] })).toBe('lost')
    expect(seg(steady, { isAdvocate: true, signals: [{ status: 'open', level: 'lost' }] })).toBe('advocate')
    expect(seg(history(weekly(30), 20))).toBe('at-risk')
    expect(
      seg(history(weekly(30), 20), {
        signals: [{ status: 'closed', level: 'at-risk', outcome: 'false-alarm', closedAt: now.toISOString() }],
      }),
    ).toBe('core')
  })
})
