import { describe, expect, it } from 'vitest'
import {
  Report,
  buildReport,
  lastFullMonth,
  median,
  monthPeriod,
  previousPeriod,
  shiftMonth,
} from '../../src/shared/reports/report'
import { dueAutoExportMonth, defaultReportSettings } from '../../src/shared/reports/settings'
import { createI18n } from '../../src/shared/core/i18n/i18n'
import { fixtureEscalations, fixtureInput, fixtureNow, fixturePromises, fixtureSignals } from '../helpers/reportFixture'

const october = monthPeriod('2026-10')

describe('the report model on the hand-computed fixture month (October 2026)', () => {
  const report = buildReport(fixtureInput(), october, fixtureNow)

  it('parses with its own schema and keeps the contract keys', () => {
    expect(Report.parse(report)).toEqual(report)
    expect(report.period).toEqual({ from: '2026-10-01', to: '2026-10-31' })
    expect(Object.keys(report.iceberg)).toEqual([
      'formal',
      'grumble',
      'silent',
      'estimatedTotalProblems',
      'grumbleCaptureRate',
    ])
    expect(Object.keys(report.cases)).toEqual([
      'opened',
      'closed',
      'openAtEnd',
      'medianHoursToFirstResponse',
      'medianHoursToResolve',
    ])
    expect(Object.keys(report.promises)).toEqual(['due', 'keptOnTime', 'keptLate', 'broken', 'keptRate'])
    expect(Object.keys(report.recovery)).toEqual(['satisfactionAverage', 'wouldComeBackRate'])
    expect(Object.keys(report.escalations)).toEqual(['raised', 'open', 'resolved', 'items'])
    expect(report.businessName).toBe('Golden Dragon Bistro')
  })

  it('counts the iceberg by received time and estimates the hidden part', () => {
    // c1, c2, c4 formal; c3 grumble; c5, c6, c8 are September, c7 November.
    // 3 ÷ 0.08 = 37.5 → 38; capture = 1 ÷ (37.5 × 0.23) = 0.11594…
    expect(report.iceberg).toEqual({
      formal: 3,
      grumble: 1,
      silent: 0,
      estimatedTotalProblems: 38,
      grumbleCaptureRate: 0.1159,
    })
  })

  it('counts cases by the date of each event and takes medians of the hours', () => {
    // opened c1–c4; closed c1 (4th), c2 (8th), c5 (2nd, unreached); open at the end c3, c4 and c6 (reopened 12th).
    // first responses in October: c3 1 h, c1 2 h, c2 4 h → 2; resolved in October: c1 24 h, c2 48 h, c5 72 h → 48.
    expect(report.cases).toEqual({
      opened: 4,
      closed: 3,
      openAtEnd: 3,
      medianHoursToFirstResponse: 2,
      medianHoursToResolve: 48,
    })
  })

  it('averages satisfaction over the reached closures only', () => {
    // c1: 5, yes; c2: 3, no; c5 unreached is left out.
    expect(report.recovery).toEqual({ satisfactionAverage: 4, wouldComeBackRate: 0.5 })
  })

  it('ranks the top categories against the previous month', () => {
    expect(report.topCategories).toEqual([
      { category: 'long-wait', count: 2, previousCount: 2 },
      { category: 'hygiene', count: 1, previousCount: 0 },
      { category: 'rude-service', count: 1, previousCount: 0 },
    ])
  })

  it('lists every department with its failures, without targets until they exist', () => {
    expect(report.departments.map(({ categories: _categories, ...d }) => d)).toEqual([
      { department: 'Floor', failures: 2, target: null, metTarget: null },
      { department: 'Kitchen', failures: 2, target: null, metTarget: null },
    ])
  })

  it('reads nothing to measure as null, never as zero', () => {
    expect(report.promises).toEqual({ due: 0, keptOnTime: 0, keptLate: 0, broken: 0, keptRate: null })
    expect(report.escalations).toEqual({ raised: 0, open: 0, resolved: 0, items: [] })
    expect(report.sources).toEqual({ promises: false, grumbles: false, signals: false, escalations: false })
    // Without signals: customers who said "would not come back" in the month are at risk (c2's customer B).
    expect(report.churn).toMatchObject({ customersAtRisk: 1, valueAtRisk: null, winBacks: 0, winBackRate: null })
    expect(report.churn.atRisk).toEqual([{ customerId: 'cust-B', name: 'Customer B', valueAtRisk: null }])
    const empty = buildReport(fixtureInput({ cases: [] }), october, fixtureNow)
    expect(empty.iceberg.estimatedTotalProblems).toBeNull()
    expect(empty.iceberg.grumbleCaptureRate).toBeNull()
    expect(empty.cases.medianHoursToFirstResponse).toBeNull()
    expect(empty.recovery).toEqual({ satisfactionAverage: null, wouldComeBackRate: null })
  })

  it('draws a six-month trend ending with the period', () => {
    expect(report.trend.map((m) => m.month)).toEqual(['2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10'])
    // September: c5, c6 formal, c8 grumble; closed c6 (20th, later reopened) and c8; only c8 still has its closure.
    expect(report.trend[4]).toEqual({
      month: '2026-09',
      formal: 2,
      grumble: 1,
      silent: 0,
      opened: 3,
      closed: 2,
      satisfactionAverage: 2,
      wouldComeBackRate: 0,
      keptRate: null,
    })
    expect(report.trend[5]).toMatchObject({ formal: 3, grumble: 1, opened: 4, closed: 3, satisfactionAverage: 4 })
  })
})

describe('the optional inputs of the other features', () => {
  it('counts promises by due time: late, broken and overdue', () => {
    const report = buildReport(fixtureInput({ promises: fixturePromises }), october, fixtureNow)
    // on time p1; late p2; broken p3 and p4 (open, past due); p5 renegotiated; p6 due in November.
    // keptRate = kept on time ÷ (on time + late + broken), the ledger's definition (issue 5).
    expect(report.promises).toEqual({ due: 4, keptOnTime: 1, keptLate: 1, broken: 2, keptRate: 0.25 })
    expect(report.sources.promises).toBe(true)
    // An open promise not yet due at `now` is not broken.
    const early = buildReport(fixtureInput({ promises: fixturePromises }), october, new Date('2026-10-15T00:00:00Z'))
    expect(early.promises).toMatchObject({ due: 4, keptOnTime: 1, keptLate: 1, broken: 1, keptRate: 0.3333 })
  })

  it('takes escalations raised, open at the end and resolved, with their evidence and action', () => {
    const report = buildReport(fixtureInput({ escalations: fixtureEscalations }), october, fixtureNow)
    expect(report.escalations).toMatchObject({ raised: 2, open: 2, resolved: 1 })
    expect(report.escalations.items.map((e) => [e.id, e.status, e.action])).toEqual([
      ['e2', 'acknowledged', 'Cleaning rota'],
      ['e1', 'resolved', 'Second cook at lunch'],
      ['e3', 'open', ''],
    ])
    expect(report.escalations.items[1]?.evidence).toBe('3 long-wait complaints in 10 days')
  })

  it('takes silent-churn signals for the silent layer, value at risk and win-backs', () => {
    const report = buildReport(fixtureInput({ signals: fixtureSignals }), october, fixtureNow)
    expect(report.iceberg.silent).toBe(3)
    expect(report.churn).toEqual({
      signals: 3,
      customersAtRisk: 1,
      valueAtRisk: 750,
      winBacks: 1,
      winBackRate: 0.5,
      atRisk: [{ customerId: 'cust-A', name: 'Customer A', valueAtRisk: 750 }],
    })
  })

  it('lists the ten customers most at risk: highest value first, then by name, those with no value last', () => {
    const named: [string, number[]][] = [
      ['Zoë', [300]],
      ['Anna', [300]],
      ['Béla', [300]],
      ['Dan', [1000]],
      ['Eve', [50, 60]],
      ['Kai', []],
      ['Lee', []],
      ['Max', []],
      ['Ned', []],
      ['Oda', []],
      ['Pat', [5]],
      ['Quinn', [700]],
      ['Rae', []],
      ['Sam', [20]],
    ]
    const at = '2026-10-12T09:00:00.000Z'
    const report = buildReport(
      fixtureInput({
        customers: named.map(([name]) => ({ id: `id-${name}`, name, notes: '', createdAt: at })),
        signals: named.flatMap(([name, values]) =>
          values.length === 0
            ? [{ customerId: `id-${name}`, at, status: 'open' as const }]
            : values.map((valueAtRisk) => ({ customerId: `id-${name}`, at, valueAtRisk, status: 'open' as const })),
        ),
      }),
      october,
      fixtureNow,
    )
    expect(report.churn.atRisk.map((c) => [c.name, c.valueAtRisk])).toEqual([
      ['Dan', 1000],
      ['Quinn', 700],
      ['Anna', 300],
      ['Béla', 300],
      ['Zoë', 300],
      ['Eve', 110],
      ['Sam', 20],
      ['Pat', 5],
      ['Kai', null],
      ['Lee', null],
    ])
  })

  it('counts grumble records beside the cases filed as grumbles, and department targets when set', () => {
    const report = buildReport(
      fixtureInput({
        grumbles: [
          { at: '2026-10-02T09:00:00.000Z', category: 'long-wait', department: 'Kitchen' },
          { at: '2026-10-15T09:00:00.000Z' },
        ],
        departmentTargets: { Kitchen: 2, Floor: 5 },
      }),
      october,
      fixtureNow,
    )
    // Two grumble records plus the one case filed straight as a grumble; 3 ÷ (3 ÷ 0.08 × 0.23).
    expect(report.iceberg.grumble).toBe(3)
    expect(report.iceberg.grumbleCaptureRate).toBe(0.3478)
    expect(report.topCategories[0]).toEqual({ category: 'long-wait', count: 3, previousCount: 2 })
    expect(report.departments.map(({ categories: _categories, ...d }) => d)).toEqual([
      { department: 'Kitchen', failures: 3, target: 2, metTarget: false },
      { department: 'Floor', failures: 2, target: 5, metTarget: true },
    ])
  })

  it('counts every failure of a department, with each category beside its own target', () => {
    const report = buildReport(
      fixtureInput({
        grumbles: [{ at: '2026-10-02T09:00:00.000Z', category: 'long-wait', department: 'Kitchen' }],
        categoryTargets: [{ department: 'Kitchen', category: 'hygiene', perMonth: 0 }],
      }),
      october,
      fixtureNow,
    )
    const kitchen = report.departments.find((d) => d.department === 'Kitchen')!
    // Every failure counts, not only the targeted category's; the department misses its target
    // because one targeted category is over.
    expect(kitchen.failures).toBe(kitchen.categories.reduce((a, c) => a + c.failures, 0))
    expect(kitchen.failures).toBe(3)
    expect(kitchen.categories.find((c) => c.category === 'hygiene')).toMatchObject({ target: 0 })
    expect(kitchen.categories.filter((c) => c.target === null).every((c) => c.metTarget === null)).toBe(true)
    expect(report.categoryLabels['hygiene']).toBeDefined()
  })

  it('counts a promoted grumble once, as its case, in the top categories and the departments', () => {
    const input = fixtureInput()
    const c = input.cases.find((x) => x.receivedAt.startsWith('2026-10'))!
    const promoted = { at: c.receivedAt, category: 'poor-quality', department: c.department, caseId: c.id }
    const withPromoted = buildReport({ ...input, grumbles: [promoted] }, october, fixtureNow)
    const without = buildReport({ ...input, grumbles: [] }, october, fixtureNow)
    expect(withPromoted.topCategories).toEqual(without.topCategories)
    expect(withPromoted.departments).toEqual(without.departments)
    // A grumble whose case is not in the data (deleted, not exported) is still a grumble.
    const orphan = buildReport({ ...input, grumbles: [{ ...promoted, caseId: 'gone' }] }, october, fixtureNow)
    expect(orphan.topCategories.find((x) => x.category === 'poor-quality')?.count).toBe(
      (without.topCategories.find((x) => x.category === 'poor-quality')?.count ?? 0) + 1,
    )
  })

  it('names categories in the report language, and a business label as typed', async () => {
    const i18n = await createI18n('zh-CN')
    const report = buildReport(
      {
        ...fixtureInput(),
        locale: 'zh-CN',
        cases: fixtureInput().cases.map((c) => ({ ...c, category: c.id === 'c1' ? 'poor-quality' : c.category })),
      },
      october,
      fixtureNow,
      i18n.t.bind(i18n),
    )
    expect(report.locale).toBe('zh-CN')
    expect(report.categoryLabels['hygiene']).toBe('环境脏乱或卫生差')
    expect(report.categoryLabels['poor-quality']).toBe('Cold food')
  })
})

describe('periods and schedule', () => {
  it('knows month lengths, the previous period and the last full month', () => {
    expect(monthPeriod('2024-02')).toEqual({ from: '2024-02-01', to: '2024-02-29' })
    expect(previousPeriod(monthPeriod('2026-03'))).toEqual({ from: '2026-02-01', to: '2026-02-28' })
    expect(previousPeriod({ from: '2026-10-11', to: '2026-10-20' })).toEqual({ from: '2026-10-01', to: '2026-10-10' })
    expect(shiftMonth('2026-01', -1)).toBe('2025-12')
    expect(lastFullMonth(new Date('2026-01-01T00:00:00Z'))).toBe('2025-12')
    expect(median([3, 1, 2, 10])).toBe(2.5)
    expect(median([])).toBeNull()
  })

  it('owes last month once the month turns, and only once', () => {
    const off = defaultReportSettings()
    expect(dueAutoExportMonth(off, new Date('2026-11-01T08:00:00Z'))).toBeNull()
    const on = { autoExport: { ...off.autoExport, isEnabled: true, folder: '/home/anna/Reports' } }
    expect(dueAutoExportMonth(on, new Date('2026-11-01T08:00:00Z'))).toBe('2026-10')
    // Off on the 1st: caught up at the next start.
    expect(dueAutoExportMonth(on, new Date('2026-11-09T08:00:00Z'))).toBe('2026-10')
    const done = { autoExport: { ...on.autoExport, lastMonth: '2026-10' } }
    expect(dueAutoExportMonth(done, new Date('2026-11-30T23:00:00Z'))).toBeNull()
    expect(dueAutoExportMonth(done, new Date('2026-12-01T00:00:00Z'))).toBe('2026-11')
    expect(
      dueAutoExportMonth({ autoExport: { ...on.autoExport, folder: ' ' } }, new Date('2026-12-01T00:00:00Z')),
    ).toBeNull()
  })
})
