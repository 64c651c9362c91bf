import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/services'
import { type ServiceContext } from '../../src/main/services/context'
import { exportReport } from '../../src/main/services/reports/reports'
import { exportToFile } from '../../src/main/services/storage/exchange'
import { type Method, type MethodOutput } from '../../src/shared/api'
import { type Report, type Translate } from '../../src/shared/reports/report'
import { reportTables } from '../../src/shared/reports/reportTables'
import { translator } from '../helpers/translator'
import { openContext, tempDir } from '../helpers/temp'

/**
 * Points 7–9 of the report (act on, comeback and loyalty, costs) recounted from the exported
 * data with a second, simple implementation written here: the sample data plus the sample
 * costs, at a fixed clock, October 2026. Nothing below calls the report's own counting code.
 */

type Exported = {
  collections: {
    cases: {
      id: string
      customerId: string
      receivedAt: string
      category: string
      department: string
      closure?: { reached: boolean; satisfaction?: number; closedAt: string }
      costs?: { kind: string; amount: number }[]
    }[]
    grumbles: { id: string; heardAt: string; category?: string; department?: string; caseId?: string }[]
    failures: { at: string; category: string; department: string; cost?: number }[]
    activities: { customerId: string; date: string; amount: number }[]
    promises: {
      dueAt: string
      status: string
      department: string
      guaranteeId?: string
      compensationGiven?: { isGiven: boolean; amount?: number }
    }[]
  }
}

const now = '2026-11-25T10:00:00.000Z'
const nowMs = Date.parse(now)
const day = 86_400_000
const utc = (iso: string) => Date.parse(`${iso}T00:00:00.000Z`)
const range = (from: string, toExclusive: string) => ({ start: utc(from), end: utc(toExclusive) })
type Range = ReturnType<typeof range>
const october = range('2026-10-01', '2026-11-01')
const september = range('2026-09-01', '2026-10-01')
const isIn = (iso: string, r: Range) => Date.parse(iso) >= r.start && Date.parse(iso) < r.end
const r2 = (n: number) => Math.round(n * 100) / 100
const r4 = (n: number) => Math.round(n * 10_000) / 10_000

async function call<M extends Method>(ctx: ServiceContext, method: M, input: unknown): Promise<MethodOutput<M>> {
  const result = await dispatch(ctx, method, input)
  if (!result.ok) throw Object.assign(new Error(result.error.message), result.error)
  return result.value
}

let data: Exported
let report: Report
let ctx: ServiceContext

beforeAll(async () => {
  const opened = await openContext(await tempDir(), { now })
  ctx = opened
  // The sample carries costs, failures without a customer and compensation given.
  await call(ctx, 'demo:load', {})
  await call(ctx, 'settings:update', { currency: 'EUR' })
  const file = join(await tempDir(), 'export.json')
  await exportToFile(ctx, file)
  data = JSON.parse(await readFile(file, 'utf8')) as Exported
  const json = await exportReport(ctx, { month: '2026-10', format: 'json', locale: 'en' })
  report = JSON.parse(Buffer.from(json.base64, 'base64').toString('utf8')) as Report
})

/** Failures recounted: cases received, grumbles not promoted, failures logged without a customer. */
function failuresIn(r: Range): { category: string; department: string }[] {
  const caseIds = new Set(data.collections.cases.map((c) => c.id))
  return [
    ...data.collections.cases.filter((c) => isIn(c.receivedAt, r)),
    ...data.collections.grumbles
      .filter((g) => isIn(g.heardAt, r) && !(g.caseId && caseIds.has(g.caseId)))
      .map((g) => ({ category: g.category ?? '', department: g.department ?? '' })),
    ...data.collections.failures.filter((f) => isIn(f.at, r)),
  ]
}

function tally(keys: string[]): Map<string, number> {
  const out = new Map<string, number>()
  for (const k of keys) if (k) out.set(k, (out.get(k) ?? 0) + 1)
  return out
}

const isBrokenNow = (p: Exported['collections']['promises'][number]) =>
  p.status === 'broken' || (p.status === 'open' && Date.parse(p.dueAt) < nowMs)

describe('the sample data has what points 7–9 need', () => {
  it('costs, failures without a customer, compensation and activity are all there', () => {
    expect(data.collections.failures.length).toBeGreaterThan(5)
    expect(data.collections.cases.filter((c) => c.costs?.length).length).toBeGreaterThan(10)
    expect(data.collections.activities.length).toBeGreaterThan(100)
    expect(data.collections.promises.filter((p) => p.compensationGiven).length).toBeGreaterThan(0)
    expect(report.currency).toBe('EUR')
  })
})

describe('three things to act on, recounted (October 2026)', () => {
  it('lists at most three items, each with its rule, text, figure and an existing section', async () => {
    expect(report.actOn.length).toBe(3)
    const t = (await translator('en')) as unknown as Translate
    const sections = new Set(reportTables(report, t).map((table) => table.id))
    for (const item of report.actOn) {
      expect(sections.has(item.section), item.section).toBe(true)
      expect(item.text).toContain(
        item.rule === 'costliest-category'
          ? new Intl.NumberFormat('en', { style: 'currency', currency: 'EUR' }).format(item.figure)
          : String(item.figure),
      )
    }
  })

  it('the category that rose most against the three months before', () => {
    const current = tally(failuresIn(october).map((f) => f.category))
    const before = [range('2026-07-01', '2026-08-01'), range('2026-08-01', '2026-09-01'), september].map((r) =>
      tally(failuresIn(r).map((f) => f.category)),
    )
    const rises = [...current].map(([category, n]) => ({
      category,
      n,
      rise: n - before.reduce((a, m) => a + (m.get(category) ?? 0), 0) / 3,
    }))
    const best = rises
      .filter((r) => r.rise > 0)
      .sort((x, y) => y.rise - x.rise || y.n - x.n || (x.category < y.category ? -1 : 1))[0]
    const item = report.actOn.find((a) => a.rule === 'category-rise')
    expect(best).toBeDefined()
    expect(item?.figure).toBe(best?.n)
    expect(item?.previous).toBe(tally(failuresIn(september).map((f) => f.category)).get(best?.category ?? '') ?? 0)
    // The sample starts well after October 2025: there is no "same month last year" to show.
    expect(item?.lastYear).toBeNull()
  })

  it('the department with most broken promises, if the rule made the list', () => {
    const counts = tally(
      data.collections.promises
        .filter(
          (p) => p.status !== 'cancelled' && p.status !== 'renegotiated' && isIn(p.dueAt, october) && isBrokenNow(p),
        )
        .map((p) => p.department),
    )
    const top = Math.max(0, ...counts.values())
    const item = report.actOn.find((a) => a.rule === 'department-broken-promises')
    if (top === 0) expect(item).toBeUndefined()
    else expect(item?.figure).toBe(top)
  })

  it('headline figures beside the month before; no data a year earlier → null', () => {
    expect(report.compare.previous?.from).toBe('2026-09-01')
    expect(report.compare.previous?.figures['cases.opened']).toBe(
      data.collections.cases.filter((c) => isIn(c.receivedAt, september)).length,
    )
    expect(report.compare.lastYear).toBeNull()
  })
})

describe('comeback and loyalty, recounted from the exported activity', () => {
  const visitsOf = (id: string) =>
    data.collections.activities
      .filter((a) => a.customerId === id)
      .map((a) => ({ at: Date.parse(a.date), amount: a.amount }))

  it('came back within 30 / 90 days and spend before/after, recovered vs not', () => {
    // Each customer once, with their last case closed in October.
    const last = new Map<string, Exported['collections']['cases'][number]>()
    for (const c of data.collections.cases) {
      if (!c.closure || !isIn(c.closure.closedAt, october)) continue
      const seen = last.get(c.customerId)
      if (!seen || Date.parse(seen.closure?.closedAt ?? '') < Date.parse(c.closure.closedAt)) last.set(c.customerId, c)
    }
    for (const isRecovered of [true, false]) {
      const group = [...last.values()].filter(
        (c) => (c.closure?.reached === true && (c.closure.satisfaction ?? 0) >= 4) === isRecovered,
      )
      const known = group.filter((c) => visitsOf(c.customerId).length > 0)
      const came = (days: number) => {
        let yes = 0
        let decided = 0
        for (const c of known) {
          const closed = Date.parse(c.closure?.closedAt ?? '')
          const back = visitsOf(c.customerId).some((v) => v.at > closed && v.at <= closed + days * day)
          if (back) yes++
          if (back || closed + days * day <= nowMs) decided++
        }
        return { yes: decided ? yes : null, rate: decided ? r4(yes / decided) : null }
      }
      const reported = isRecovered ? report.comeback.recovered : report.comeback.notRecovered
      expect(reported.customers).toBe(group.length)
      expect(reported.withoutActivity).toBe(group.length - known.length)
      expect([reported.cameBack30, reported.cameBack30Rate]).toEqual([came(30).yes, came(30).rate])
      expect([reported.cameBack90, reported.cameBack90Rate]).toEqual([came(90).yes, came(90).rate])
      const spendBefore = known.length
        ? r2(
            known.reduce((sum, c) => {
              const received = Date.parse(c.receivedAt)
              return (
                sum +
                visitsOf(c.customerId)
                  .filter((v) => v.at >= received - 30 * day && v.at < received)
                  .reduce((a, v) => a + v.amount, 0)
              )
            }, 0) / known.length,
          )
        : null
      expect(reported.spendBefore).toBe(spendBefore)
      const afterDone = known.filter((c) => Date.parse(c.closure?.closedAt ?? '') + 30 * day <= nowMs)
      const spendAfter = afterDone.length
        ? r2(
            afterDone.reduce((sum, c) => {
              const closed = Date.parse(c.closure?.closedAt ?? '')
              return (
                sum +
                visitsOf(c.customerId)
                  .filter((v) => v.at >= closed && v.at < closed + 30 * day)
                  .reduce((a, v) => a + v.amount, 0)
              )
            }, 0) / afterDone.length,
          )
        : null
      expect(reported.spendAfter).toBe(spendAfter)
    }
    expect(report.comeback.hasActivity).toBe(true)
    expect(report.comeback.recovered.customers + report.comeback.notRecovered.customers).toBeGreaterThan(0)
  })

  it('customer base, new customers, retention, churn, visit frequency and average spend', () => {
    const acts = data.collections.activities
    const seen = (r: Range) => new Set(acts.filter((a) => isIn(a.date, r)).map((a) => a.customerId))
    const inOct = seen(october)
    const inSep = seen(september)
    const firsts = new Map<string, number>()
    for (const a of acts) firsts.set(a.customerId, Math.min(firsts.get(a.customerId) ?? Infinity, Date.parse(a.date)))
    const octVisits = acts.filter((a) => isIn(a.date, october))
    const retention = r4([...inSep].filter((id) => inOct.has(id)).length / inSep.size)
    expect(report.loyalty).toEqual({
      hasActivity: true,
      customerBase: seen({ start: october.end - 365 * day, end: october.end }).size,
      newCustomers: [...firsts.values()].filter((t) => t >= october.start && t < october.end).length,
      retentionRate: retention,
      churnRate: r4(1 - retention),
      visitFrequency: r2(octVisits.length / inOct.size),
      averageSpend: r2(octVisits.reduce((a, v) => a + v.amount, 0) / octVisits.length),
    })
  })
})

describe('costs and failures without a customer, recounted', () => {
  it('costs by kind, categories ranked by cost, guarantee compensation totalled', () => {
    const byKind: Record<string, number> = { refund: 0, compensation: 0, 'staff-time': 0, failure: 0 }
    const byCategory = new Map<string, number>()
    for (const c of data.collections.cases.filter((x) => isIn(x.receivedAt, october))) {
      for (const cost of c.costs ?? []) {
        byKind[cost.kind] = (byKind[cost.kind] ?? 0) + cost.amount
        byCategory.set(c.category, (byCategory.get(c.category) ?? 0) + cost.amount)
      }
    }
    const logged = data.collections.failures.filter((f) => isIn(f.at, october))
    for (const f of logged) {
      if (f.cost === undefined) continue
      byKind.failure = (byKind.failure ?? 0) + f.cost
      byCategory.set(f.category, (byCategory.get(f.category) ?? 0) + f.cost)
    }
    const broken = data.collections.promises.filter((p) => p.guaranteeId && isIn(p.dueAt, october) && isBrokenNow(p))
    const given = broken.filter((p) => p.compensationGiven?.isGiven)
    const paid = r2(given.reduce((a, p) => a + (p.compensationGiven?.amount ?? 0), 0))
    expect(report.costs.byKind).toEqual({
      refund: r2(byKind.refund ?? 0),
      compensation: r2(byKind.compensation ?? 0),
      'staff-time': r2(byKind['staff-time'] ?? 0),
      failure: r2(byKind.failure ?? 0),
    })
    expect(report.costs.byCategory.map((c) => [c.category, c.cost])).toEqual(
      [...byCategory]
        .map(([category, cost]) => [category, r2(cost)] as const)
        .filter(([, cost]) => cost > 0)
        .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1)),
    )
    expect(report.costs.failuresWithoutCustomer).toBe(logged.length)
    expect(report.costs.guarantees).toMatchObject({ broken: broken.length, compensated: given.length, amount: paid })
    expect(report.costs.total).toBeCloseTo(Object.values(byKind).reduce((a, n) => a + n, 0) + paid, 2)
  })

  it('a failure without a customer counts in its department, in the report and on the Departments screen', async () => {
    const expected = Object.fromEntries(tally(failuresIn(october).map((f) => f.department)))
    const reported = Object.fromEntries(
      report.departments.filter((d) => d.failures > 0).map((d) => [d.department, d.failures]),
    )
    expect(reported).toEqual(expected)
    const screen = await call(ctx, 'escalations:departments', {})
    const column = screen.months.indexOf('2026-10')
    const sums = Object.fromEntries(
      screen.departments
        .filter((d) => d.department !== '')
        .map((d) => [d.department, d.rows.reduce((a, r) => a + (r.counts[column] ?? 0), 0)])
        .filter(([, n]) => n !== 0),
    )
    expect(sums).toEqual(expected)
  })
})
