import { type Case } from '../schemas'
import {
  type Comeback,
  type ComebackGroup,
  type Costs,
  type Loyalty,
  type ReportInput,
  type ReportPeriod,
  type ReportPromise,
} from './reportModel'
import { storedTime } from '../core/storedTime'
import { type TimeIndex, isTimeInside, timeIndexOf } from './timeIndex'

/**
 * The report's newer sections (docs/report.md): did recovery bring customers back, the loyalty
 * KPIs, and what failures cost. Pure functions of the report's input; each figure's definition is
 * written beside it and in the report's notes.
 */

const dayMs = 86_400_000

export type Bounds = { start: number; end: number }

const round = (value: number, digits: number): number => {
  const f = 10 ** digits
  return Math.round(value * f) / f
}
const toRate = (numerator: number, denominator: number): number | null =>
  denominator > 0 ? round(numerator / denominator, 4) : null
// Lists the report's figures each scan for several windows (the period, its comparisons, the
// "act on" rules): at 100,000 cases a scan of every case or promise a window, each time parsed
// again, was a fifth of a report. Indexed once per list instead (timeIndex.ts): the report's
// input lists are made for each report and never changed after.
/** The promises by due time. */
export const dueTimes = (promises: readonly ReportPromise[]): TimeIndex<ReportPromise> =>
  timeIndexOf(promises, 'due', (p) => storedTime(p.due))
/** The cases by the time they were received. */
const caseReceivedTimes = (cases: readonly Case[]): TimeIndex<Case> =>
  timeIndexOf(cases, 'case received', (c) => storedTime(c.receivedAt))
/** The cases by the time they were closed (none: in no window). */
const caseClosedTimes = (cases: readonly Case[]): TimeIndex<Case> =>
  timeIndexOf(cases, 'case closed', (c) => (c.closure ? storedTime(c.closure.closedAt) : Number.NaN))

type Visit = { at: number; amount: number }

function visitsByCustomer(input: ReportInput): Map<string, Visit[]> {
  const out = new Map<string, Visit[]>()
  for (const a of input.activities ?? []) {
    let list = out.get(a.customerId)
    if (!list) out.set(a.customerId, (list = []))
    list.push({ at: Date.parse(a.date), amount: a.amount })
  }
  for (const list of out.values()) list.sort((x, y) => x.at - y.at)
  return out
}

// ---------------------------------------------------------------------------------------------
// Comeback: customers whose case closed in the period
// ---------------------------------------------------------------------------------------------

/** The window after a close and before a complaint that "came back" and "spend" look at. */
export const comebackWindowDays = { short: 30, long: 90 } as const

type Closed = { customerId: string; receivedAt: number; closedAt: number; isRecovered: boolean }

/** Each customer's last case closed in the period (a customer counts once, as their latest close). */
function closedInPeriod(cases: readonly Case[], b: Bounds): Closed[] {
  const byCustomer = new Map<string, Closed>()
  for (const c of caseClosedTimes(cases).inside(b.start, b.end)) {
    if (!c.closure) continue
    const closedAt = storedTime(c.closure.closedAt)
    const before = byCustomer.get(c.customerId)
    if (before && before.closedAt >= closedAt) continue
    byCustomer.set(c.customerId, {
      customerId: c.customerId,
      receivedAt: storedTime(c.receivedAt),
      closedAt,
      isRecovered: c.closure.reached && c.closure.satisfaction >= 4,
    })
  }
  return [...byCustomer.values()]
}

function comebackGroup(closed: readonly Closed[], visits: Map<string, Visit[]> | null, now: number): ComebackGroup {
  if (!visits) {
    return {
      customers: closed.length,
      withoutActivity: closed.length,
      cameBack30: null,
      cameBack30Rate: null,
      cameBack90: null,
      cameBack90Rate: null,
      spendBefore: null,
      spendAfter: null,
    }
  }
  const known = closed.filter((c) => (visits.get(c.customerId) ?? []).length > 0)
  const cameBackWithin = (days: number) => {
    let yes = 0
    let decided = 0
    for (const c of known) {
      const windowEnd = c.closedAt + days * dayMs
      const came = (visits.get(c.customerId) ?? []).some((v) => v.at > c.closedAt && v.at <= windowEnd)
      // A customer still inside the window who has not come yet is not counted either way.
      if (came || windowEnd <= now) decided++
      if (came) yes++
    }
    return { yes: decided > 0 ? yes : null, rate: toRate(yes, decided) }
  }
  // Spend is compared over the shorter window, so last month's closes already have an "after".
  const window = comebackWindowDays.short * dayMs
  const spend = (from: (c: Closed) => number, to: (c: Closed) => number, list: readonly Closed[]) =>
    list.length === 0
      ? null
      : round(
          list.reduce(
            (sum, c) =>
              sum +
              (visits.get(c.customerId) ?? [])
                .filter((v) => v.at >= from(c) && v.at < to(c))
                .reduce((a, v) => a + v.amount, 0),
            0,
          ) / list.length,
          2,
        )
  // Spend after: only customers whose 30 days after the close have passed, so a half window is never compared.
  const afterDone = known.filter((c) => c.closedAt + window <= now)
  const short = cameBackWithin(comebackWindowDays.short)
  const longer = cameBackWithin(comebackWindowDays.long)
  return {
    customers: closed.length,
    withoutActivity: closed.length - known.length,
    cameBack30: short.yes,
    cameBack30Rate: short.rate,
    cameBack90: longer.yes,
    cameBack90Rate: longer.rate,
    spendBefore: spend(
      (c) => c.receivedAt - window,
      (c) => c.receivedAt,
      known,
    ),
    spendAfter: spend(
      (c) => c.closedAt,
      (c) => c.closedAt + window,
      afterDone,
    ),
  }
}

export function comebackFigures(input: ReportInput, b: Bounds, now: number): Comeback {
  const hasActivity = (input.activities?.length ?? 0) > 0
  const visits = hasActivity ? visitsByCustomer(input) : null
  const closed = closedInPeriod(input.cases, b)
  return {
    hasActivity,
    recovered: comebackGroup(
      closed.filter((c) => c.isRecovered),
      visits,
      now,
    ),
    notRecovered: comebackGroup(
      closed.filter((c) => !c.isRecovered),
      visits,
      now,
    ),
  }
}

// ---------------------------------------------------------------------------------------------
// Loyalty KPIs
// ---------------------------------------------------------------------------------------------

/** How far back "the customer base" looks: customers seen in the last year. */
export const customerBaseDays = 365

/**
 * customerBase: customers with a visit in the 365 days up to the period's end.
 * newCustomers: customers whose first visit ever falls in the period.
 * retentionRate: of the customers who visited in the period before (same length), the share who visited in this one.
 * churnRate: 1 − retentionRate.
 * visitFrequency: visits in the period ÷ customers who visited in it.
 * averageSpend: the amount of the period's visits ÷ their number.
 */
export function loyaltyFigures(input: ReportInput, b: Bounds, previous: Bounds): Loyalty {
  const activities = input.activities ?? []
  if (activities.length === 0) {
    return {
      hasActivity: false,
      customerBase: null,
      newCustomers: null,
      retentionRate: null,
      churnRate: null,
      visitFrequency: null,
      averageSpend: null,
    }
  }
  const visits = visitsByCustomer(input)
  const base = { start: b.end - customerBaseDays * dayMs, end: b.end }
  const seenIn = (range: Bounds) =>
    new Set(
      [...visits].flatMap(([id, list]) => (list.some((v) => v.at >= range.start && v.at < range.end) ? [id] : [])),
    )
  const inPeriod = seenIn(b)
  const before = seenIn(previous)
  const retained = [...before].filter((id) => inPeriod.has(id)).length
  const retentionRate = toRate(retained, before.size)
  const periodVisits = [...visits.values()].flatMap((list) => list.filter((v) => v.at >= b.start && v.at < b.end))
  return {
    hasActivity: true,
    customerBase: seenIn(base).size,
    newCustomers: [...visits.values()].filter((list) => {
      const first = list[0]?.at
      return first !== undefined && first >= b.start && first < b.end
    }).length,
    retentionRate,
    churnRate: retentionRate === null ? null : round(1 - retentionRate, 4),
    visitFrequency: inPeriod.size > 0 ? round(periodVisits.length / inPeriod.size, 2) : null,
    averageSpend:
      periodVisits.length > 0 ? round(periodVisits.reduce((a, v) => a + v.amount, 0) / periodVisits.length, 2) : null,
  }
}

// ---------------------------------------------------------------------------------------------
// Costs
// ---------------------------------------------------------------------------------------------

/** A broken guarantee: kept never, or past due and still open at `now`. */
export function isBroken(p: ReportPromise, now: number): boolean {
  return p.status === 'broken' || (p.status === 'open' && storedTime(p.due) < now)
}

/**
 * Costs of the period: a case's costs count with the case (received in the period, in its
 * category); a failure logged without a customer counts its cost in its category; guarantee
 * compensation counts for broken guarantee promises due in the period.
 */
export function costFigures(input: ReportInput, b: Bounds, now: number): Costs {
  const byKind = { refund: 0, compensation: 0, 'staff-time': 0, failure: 0 }
  const byCategory = new Map<string, { cost: number; failures: number }>()
  const add = (category: string, cost: number) => {
    const row = byCategory.get(category) ?? { cost: 0, failures: 0 }
    row.cost += cost
    row.failures++
    byCategory.set(category, row)
  }
  for (const c of caseReceivedTimes(input.cases).inside(b.start, b.end)) {
    if (!c.costs || c.costs.length === 0) continue
    let sum = 0
    for (const cost of c.costs) {
      byKind[cost.kind] += cost.amount
      sum += cost.amount
    }
    add(c.category, sum)
  }
  const logged = (input.failures ?? []).filter((f) => isTimeInside(f.at, b))
  for (const f of logged) {
    if (f.cost === undefined) continue
    byKind.failure += f.cost
    add(f.category, f.cost)
  }
  const broken = dueTimes(input.promises ?? [])
    .inside(b.start, b.end)
    .filter((p) => p.guaranteeId && isBroken(p, now))
  const compensated = broken.filter((p) => p.compensation?.isGiven)
  const amount = round(
    compensated.reduce((a, p) => a + (p.compensation?.amount ?? 0), 0),
    2,
  )
  const r2 = (n: number) => round(n, 2)
  const kinds = {
    refund: r2(byKind.refund),
    compensation: r2(byKind.compensation),
    'staff-time': r2(byKind['staff-time']),
    failure: r2(byKind.failure),
  }
  return {
    total: r2(kinds.refund + kinds.compensation + kinds['staff-time'] + kinds.failure + amount),
    byKind: kinds,
    byCategory: [...byCategory]
      .map(([category, v]) => ({ category, cost: r2(v.cost), failures: v.failures }))
      .filter((row) => row.cost > 0)
      .sort((x, y) => y.cost - x.cost || x.category.localeCompare(y.category)),
    failuresWithoutCustomer: logged.length,
    guarantees: {
      broken: broken.length,
      compensated: compensated.length,
      notGiven: broken.filter((p) => p.compensation && !p.compensation.isGiven).length,
      unrecorded: broken.filter((p) => !p.compensation).length,
      amount,
    },
  }
}

export type { ReportPeriod }
