import { categoryLabel } from '../cases/categoryLabel'
import { lastDayOf, monthOf, monthsEndingWith, shiftMonth } from '../core/months'
import { type Case } from '../schemas'
import {
  type EscalationItem,
  type Report,
  type ReportEscalation,
  type ReportGrumble,
  type ReportInput,
  type ReportPeriod,
  type ReportPromise,
  type ReportSignal,
  type Translate,
  type TrendPoint,
  icebergShares,
} from './reportModel'
import { defaultCurrency } from '../money/currency'
import { categoryTally, departmentFigures, failuresInside } from './failures'
import { isTimeInside, timeIndexOf, timeOf, withTimesParsedOnce } from './timeIndex'
import { averageOf, rubricAverages } from '../rubrics/rubrics'
import { comebackFigures, costFigures, dueTimes, loyaltyFigures } from './insights'
import { actOnItems } from './actOn'
import { storedTime } from '../core/storedTime'

export * from './reportModel'
export { ReportMonth, lastFullMonth, shiftMonth } from '../core/months'

/**
 * The monthly escalation report, built by one pure function from plain records and rendered
 * by every format (PDF, XLSX, CSV, HTML, JSON), so every format shows the same numbers.
 */

// ---------------------------------------------------------------------------------------------
// Periods
// ---------------------------------------------------------------------------------------------

const dayMs = 86_400_000

/** The calendar month `YYYY-MM` as an inclusive date period. */
export function monthPeriod(m: string): ReportPeriod {
  return { from: `${m}-01`, to: lastDayOf(m) }
}

type Bounds = { start: number; end: number }

/** [start, end) in epoch ms: `to` is inclusive, so end is the midnight after it. */
function boundsOf(period: ReportPeriod): Bounds {
  return { start: Date.parse(`${period.from}T00:00:00.000Z`), end: Date.parse(`${period.to}T00:00:00.000Z`) + dayMs }
}

/** The period of the same length just before (a calendar month → the previous calendar month). */
export function previousPeriod(period: ReportPeriod): ReportPeriod {
  const monthOfFrom = monthOf(period.from)
  if (period.from.endsWith('-01') && monthPeriod(monthOfFrom).to === period.to) {
    return monthPeriod(shiftMonth(monthOfFrom, -1))
  }
  const { start, end } = boundsOf(period)
  const length = end - start
  return {
    from: new Date(start - length).toISOString().slice(0, 10),
    to: new Date(start - dayMs).toISOString().slice(0, 10),
  }
}

/**
 * How many items of a list have their time (`timeOfItem`, undefined for none) inside a window:
 * the same answer as filtering with `isTimeInside`, without visiting 800,000 grumbles per trend month.
 */
function countInside<T extends object>(
  list: readonly T[],
  selection: string,
  timeOfItem: (item: T) => string | undefined,
  b: Bounds,
): number {
  return timeIndexOf(list, selection, (item) => parsedOrNaN(timeOfItem(item))).count(b.start, b.end)
}

/** The items of a list whose time is inside a window, in the list's order (see countInside). */
function itemsInside<T extends object>(
  list: readonly T[],
  selection: string,
  timeOfItem: (item: T) => number | null,
  b: Bounds,
): T[] {
  return timeIndexOf(list, selection, (item) => timeOfItem(item) ?? Number.NaN).inside(b.start, b.end)
}

const parsedOrNaN = (iso: string | undefined) => (iso ? timeOf(iso) : Number.NaN)

// The time indexes more than one figure reads: what each selection's time is, said once (an
// index is made by its first reader and kept for the report).
const receivedTimes = (facts: readonly CaseFacts[]) => timeIndexOf(facts, 'received', (f) => f.received)
const heardTimes = (grumbles: readonly ReportGrumble[]) => timeIndexOf(grumbles, 'heard', (g) => parsedOrNaN(g.at))
const raisedTimes = (signals: readonly ReportSignal[]) => timeIndexOf(signals, 'raised', (s) => parsedOrNaN(s.at))
const closedTimes = (signals: readonly ReportSignal[]) => timeIndexOf(signals, 'closed', (s) => parsedOrNaN(s.closedAt))

// ---------------------------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------------------------

const round = (value: number, digits: number): number => {
  const f = 10 ** digits
  return Math.round(value * f) / f
}

/** Rates are kept to 4 decimals (0.1234 = 12.34 %), so every format shows the same figure. */
const toRate = (numerator: number, denominator: number): number | null =>
  denominator > 0 ? round(numerator / denominator, 4) : null

/** The middle value (mean of the two middle ones for an even count), to 0.1; null when empty. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  const value =
    sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
  return round(value, 1)
}

/** What the report needs from one case, its times parsed once: a report reads every case seven times. */
type CaseFacts = {
  c: Case
  received: number
  /** Every close and reopen, in time order. */
  toggles: { at: number; isClose: boolean }[]
  /** The current closure when the customer was reached. */
  closureAt: number | null
  /** The first recovery step recorded (done or skipped): the first response to the customer. */
  firstResponse: number | null
  /** When Resolve was first done (a reopen resets the step; the timeline keeps the first time). */
  resolved: number | null
}

function factsOf(c: Case): CaseFacts {
  let firstResponse: number | null = null
  let resolved: number | null = null
  const toggles: CaseFacts['toggles'] = []
  for (const e of c.timeline) {
    if (e.type === 'step') {
      const at = storedTime(e.at)
      if (firstResponse === null || at < firstResponse) firstResponse = at
      if (e.field === 'resolve' && e.after === 'done' && (resolved === null || at < resolved)) resolved = at
    } else if (e.type === 'close' || e.type === 'reopen') {
      toggles.push({ at: storedTime(e.at), isClose: e.type === 'close' })
    }
  }
  toggles.sort((x, y) => x.at - y.at)
  return {
    c,
    received: storedTime(c.receivedAt),
    toggles,
    closureAt: c.closure?.reached ? storedTime(c.closure.closedAt) : null,
    firstResponse,
    resolved,
  }
}

/** Open at instant `t`: received by then, and its last close/reopen before t is not a close. */
function isOpenAt(f: CaseFacts, t: number): boolean {
  if (f.received >= t) return false
  let isClosed = false
  for (const toggle of f.toggles) {
    if (toggle.at >= t) break
    isClosed = toggle.isClose
  }
  return !isClosed
}

/** Every close of every case, once per report: the cases closed in a window are found by time. */
const closeLists = new WeakMap<readonly CaseFacts[], { f: CaseFacts; at: number }[]>()
function closesOf(facts: readonly CaseFacts[]): { f: CaseFacts; at: number }[] {
  let closes = closeLists.get(facts)
  if (!closes) {
    closes = facts.flatMap((f) => f.toggles.filter((x) => x.isClose).map((x) => ({ f, at: x.at })))
    closeLists.set(facts, closes)
  }
  return closes
}

type MonthFigures = Omit<TrendPoint, 'month'>

/** The figures that both the period and each trend month need. */
function coreFigures(input: ReportInput, facts: readonly CaseFacts[], b: Bounds, now: number) {
  const received = receivedTimes(facts)
    .inside(b.start, b.end)
    .map((f) => f.c)
  const formal = received.filter((c) => c.channel === 'formal').length
  // As in the iceberg view: the records of each layer, plus cases filed straight into that layer;
  // a grumble promoted to a case counts once, as its grumble, and a false alarm not at all.
  const grumble =
    heardTimes(input.grumbles ?? []).count(b.start, b.end) +
    received.filter((c) => c.channel === 'grumble' && !(input.grumbles && c.grumbleId)).length
  const silent =
    countInside(input.signals ?? [], 'raised, not dismissed', (s) => (s.status !== 'dismissed' ? s.at : undefined), b) +
    received.filter((c) => c.channel === 'silent').length
  const closures = itemsInside(facts, 'closure', (f) => (f.c.closure?.reached ? f.closureAt : null), b).flatMap((f) =>
    f.c.closure?.reached ? [f.c.closure] : [],
  )
  const satisfactionAverage =
    closures.length > 0 ? round(closures.reduce((sum, cl) => sum + cl.satisfaction, 0) / closures.length, 2) : null
  const wouldComeBackRate = toRate(closures.filter((cl) => cl.wouldComeBack === 'yes').length, closures.length)
  const promises = promiseFigures(input.promises ?? [], b, now)
  return {
    received,
    formal,
    grumble,
    silent,
    satisfactionAverage,
    wouldComeBackRate,
    promises,
    opened: received.length,
    closed: new Set(itemsInside(closesOf(facts), 'at', (x) => x.at, b).map((x) => x.f)).size,
  }
}

function promiseFigures(promises: readonly ReportPromise[], b: Bounds, now: number): Report['promises'] {
  const due = dueTimes(promises)
    .inside(b.start, b.end)
    .filter((p) => p.status !== 'renegotiated')
  let keptOnTime = 0
  let keptLate = 0
  let broken = 0
  for (const p of due) {
    if (p.status === 'kept') {
      if (p.keptAt && storedTime(p.keptAt) > storedTime(p.due)) keptLate++
      else keptOnTime++
    } else if (p.status === 'broken' || storedTime(p.due) < now) {
      // An open promise past its due time is broken: that is how the customer sees it.
      broken++
    }
  }
  return {
    due: due.length,
    keptOnTime,
    keptLate,
    broken,
    // The promise ledger's own definition: only promises kept on time count as kept.
    keptRate: toRate(keptOnTime, keptOnTime + keptLate + broken),
  }
}

function monthFigures(input: ReportInput, facts: readonly CaseFacts[], m: string, now: number): MonthFigures {
  const f = coreFigures(input, facts, boundsOf(monthPeriod(m)), now)
  return {
    formal: f.formal,
    grumble: f.grumble,
    silent: f.silent,
    opened: f.opened,
    closed: f.closed,
    satisfactionAverage: f.satisfactionAverage,
    wouldComeBackRate: f.wouldComeBackRate,
    keptRate: f.promises.keptRate,
  }
}

/** Failures per category; a promoted grumble counts once, as its case (failures.ts). */
function categoryCounts(input: ReportInput, b: Bounds): Map<string, number> {
  return categoryTally(failuresInside(input, b))
}

function escalationFigures(list: readonly ReportEscalation[], b: Bounds): Report['escalations'] {
  const resolvedBy = (e: ReportEscalation, t: number) => e.resolvedAt !== undefined && storedTime(e.resolvedAt) < t
  const raised = list.filter((e) => isTimeInside(e.raisedAt, b))
  const openAtEnd = list.filter((e) => storedTime(e.raisedAt) < b.end && !resolvedBy(e, b.end))
  const resolved = list.filter((e) => isTimeInside(e.resolvedAt, b))
  const shown = new Map<string, ReportEscalation>()
  for (const e of [...raised, ...openAtEnd, ...resolved]) shown.set(e.id, e)
  const items = [...shown.values()]
    .sort((x, y) => x.raisedAt.localeCompare(y.raisedAt) || x.id.localeCompare(y.id))
    .map((e): EscalationItem => ({
      id: e.id,
      title: e.title,
      department: e.department ?? '',
      raisedAt: e.raisedAt,
      status: resolvedBy(e, b.end)
        ? 'resolved'
        : e.acknowledgedAt && storedTime(e.acknowledgedAt) < b.end
          ? 'acknowledged'
          : 'open',
      resolvedAt: e.resolvedAt && storedTime(e.resolvedAt) < b.end ? e.resolvedAt : null,
      evidence: e.evidence,
      action: e.action ?? '',
    }))
  return { raised: raised.length, open: openAtEnd.length, resolved: resolved.length, items }
}

/** Compares as `localeCompare` does, without making a collator for each comparison. */
const byName = new Intl.Collator().compare

/**
 * The ten customers most at risk, highest value first, then by name (the first seen among equals).
 * Picked in one pass, not by sorting every customer at risk (tens of thousands at 100k cases).
 */
function atRiskList(input: ReportInput, values: Map<string, number | null>): Report['churn']['atRisk'] {
  type Item = Report['churn']['atRisk'][number]
  const names = new Map(input.customers.map((c) => [c.id, c.name]))
  const isBefore = (x: Item, y: Item) => ((y.valueAtRisk ?? -1) - (x.valueAtRisk ?? -1) || byName(x.name, y.name)) < 0
  const top: Item[] = []
  for (const [customerId, valueAtRisk] of values) {
    const item = { customerId, name: names.get(customerId) ?? customerId, valueAtRisk }
    if (top.length === 10 && !isBefore(item, top[9]!)) continue
    let at = top.length
    while (at > 0 && isBefore(item, top[at - 1]!)) at--
    top.splice(at, 0, item)
    top.length = Math.min(top.length, 10)
  }
  return top
}

function churnFigures(input: ReportInput, b: Bounds): Report['churn'] {
  if (!input.signals) {
    // Until signal records exist: customers who said at close they would not come back are at risk.
    const atRisk = new Set(
      input.cases.flatMap((c) =>
        c.closure?.reached && c.closure.wouldComeBack === 'no' && isTimeInside(c.closure.closedAt, b)
          ? [c.customerId]
          : [],
      ),
    )
    return {
      signals: input.cases.filter((c) => c.channel === 'silent' && isTimeInside(c.receivedAt, b)).length,
      customersAtRisk: atRisk.size,
      valueAtRisk: null,
      winBacks: 0,
      winBackRate: null,
      atRisk: atRiskList(input, new Map([...atRisk].map((id) => [id, null]))),
    }
  }
  const signals = input.signals
  // Through the signals' time indexes: a report asks this of every trend month, and looking each
  // time up again in the parsed-times map cost more than the rest of the figure.
  const openAtEnd = raisedTimes(signals)
    .inside(-Infinity, b.end)
    .filter((s) => s.status === 'open' || (s.closedAt !== undefined && timeOf(s.closedAt) >= b.end))
  const closedIn = closedTimes(signals)
    .inside(b.start, b.end)
    .filter((s) => s.status !== 'open' && s.status !== 'dismissed')
  const winBacks = closedIn.filter((s) => s.status === 'won-back').length
  const values = openAtEnd.flatMap((s) => (s.valueAtRisk === undefined ? [] : [s.valueAtRisk]))
  const byCustomer = new Map<string, number | null>()
  for (const s of openAtEnd) {
    const before = byCustomer.get(s.customerId) ?? null
    byCustomer.set(s.customerId, s.valueAtRisk === undefined ? before : (before ?? 0) + s.valueAtRisk)
  }
  return {
    signals: raisedTimes(signals).count(b.start, b.end),
    customersAtRisk: new Set(openAtEnd.map((s) => s.customerId)).size,
    valueAtRisk:
      values.length > 0
        ? round(
            values.reduce((a, v) => a + v, 0),
            2,
          )
        : null,
    winBacks,
    winBackRate: toRate(winBacks, closedIn.length),
    atRisk: atRiskList(input, byCustomer),
  }
}

/**
 * Builds the report for `period` from plain arrays of records. Pure: `now` is the clock (an
 * open promise past due at `now` is broken; figures after `now` cannot exist yet). `t`, when
 * given, names the built-in categories in the report's language.
 */
export function buildReport(input: ReportInput, period: ReportPeriod, now: Date, t?: Translate): Report {
  return withTimesParsedOnce(() => reportOf(input, period, now, t))
}

function reportOf(input: ReportInput, period: ReportPeriod, now: Date, t?: Translate): Report {
  const nowMs = now.getTime()
  const facts = input.cases.map(factsOf)
  const core = coreReport(input, period, now, facts, t)
  const b = boundsOf(period)
  // A comparison period is shown only where data exists: something was recorded by its end.
  const earliest = earliestRecord(input, facts)
  const compared = (p: ReportPeriod) => (earliest !== null && earliest < boundsOf(p).end ? p : null)
  const previous = compared(previousPeriod(period))
  const lastYear = compared(sameLastYear(period))
  const comparison = (p: ReportPeriod | null) => {
    if (!p) return null
    const other = coreReport(input, p, now, facts, t)
    return { from: p.from, to: p.to, figures: Object.fromEntries(summaryKeys.map((k) => [k, figureAt(other, k)])) }
  }
  const baseline: ReportPeriod[] = []
  for (let p = previousPeriod(period); baseline.length < 3; p = previousPeriod(p)) baseline.push(p)
  const withCompare = { ...core, compare: { previous: comparison(previous), lastYear: comparison(lastYear) } }
  const actOn = actOnItems({
    input,
    report: withCompare,
    b,
    previous: previous ? boundsOf(previous) : null,
    lastYear: lastYear ? boundsOf(lastYear) : null,
    baseline: baseline.map(boundsOf),
    now: nowMs,
    t,
    categoryCounts: (x) => categoryCounts(input, x),
  })
  return { ...withCompare, actOn }
}

/** The figures of the summary table, by their key in the model (also the table's row keys). */
export const summaryKeys = [
  'iceberg.formal',
  'iceberg.grumble',
  'iceberg.silent',
  'cases.opened',
  'cases.closed',
  'cases.openAtEnd',
  'cases.medianHoursToFirstResponse',
  'cases.medianHoursToResolve',
  'promises.due',
  'promises.keptOnTime',
  'promises.keptLate',
  'promises.broken',
  'promises.keptRate',
  'recovery.satisfactionAverage',
  'recovery.wouldComeBackRate',
  'churn.winBacks',
  'escalations.raised',
  'escalations.open',
  'escalations.resolved',
  'costs.total',
] as const

/** A figure of the model by its dotted key (`cases.opened`). */
export function figureAt(report: object, key: string): number | null {
  let value: unknown = report
  for (const part of key.split('.')) value = (value as Record<string, unknown> | undefined)?.[part]
  return typeof value === 'number' ? value : null
}

/** The same dates a year earlier (a calendar month stays a calendar month: 29 Feb → 28 Feb). */
export function sameLastYear(period: ReportPeriod): ReportPeriod {
  const monthOfFrom = monthOf(period.from)
  if (period.from.endsWith('-01') && monthPeriod(monthOfFrom).to === period.to) {
    return monthPeriod(shiftMonth(monthOfFrom, -12))
  }
  const back = (iso: string) => {
    const [y, m, d] = iso.split('-').map(Number) as [number, number, number]
    const last = Number(lastDayOf(`${String(y - 1).padStart(4, '0')}-${String(m).padStart(2, '0')}`).slice(8))
    return `${String(y - 1).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`
  }
  return { from: back(period.from), to: back(period.to) }
}

/** The first moment anything was recorded (a case, grumble, signal, failure or visit); null for an empty store. */
function earliestRecord(input: ReportInput, facts: readonly CaseFacts[]): number | null {
  let min = Infinity
  const see = (iso: string) => {
    const t = storedTime(iso)
    if (t < min) min = t
  }
  // The large lists' times are indexed for the report's windows already (the same selections).
  for (const t of [
    receivedTimes(facts).earliest(),
    heardTimes(input.grumbles ?? []).earliest(),
    raisedTimes(input.signals ?? []).earliest(),
  ])
    if (t < min) min = t
  for (const f of input.failures ?? []) see(f.at)
  for (const a of input.activities ?? []) see(a.date)
  return Number.isFinite(min) ? min : null
}

function coreReport(
  input: ReportInput,
  period: ReportPeriod,
  now: Date,
  facts: readonly CaseFacts[],
  t: Translate | undefined,
): Omit<Report, 'compare' | 'actOn'> {
  const b = boundsOf(period)
  const nowMs = now.getTime()
  const core = coreFigures(input, facts, b, nowMs)
  const previous = categoryCounts(input, boundsOf(previousPeriod(period)))
  const current = categoryCounts(input, b)
  const topCategories = [...current.entries()]
    .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
    .slice(0, 5)
    .map(([category, n]) => ({ category, count: n, previousCount: previous.get(category) ?? 0 }))

  const hours = (from: number, to: number) => (to - from) / 3_600_000
  const firstResponses = itemsInside(facts, 'firstResponse', (f) => f.firstResponse, b).map((f) =>
    hours(f.received, f.firstResponse!),
  )
  const resolves = itemsInside(facts, 'resolved', (f) => f.resolved, b).map((f) => hours(f.received, f.resolved!))
  const endForOpen = Math.min(b.end, nowMs)

  // Every failure counts for its department; targets sit beside the categories that have one.
  const departments = departmentFigures(
    failuresInside(input, b),
    input.settings.departments,
    input.categoryTargets ?? [],
    input.departmentTargets,
  )

  const estimatedTotalProblems = core.formal > 0 ? Math.round(core.formal / icebergShares.formal) : null
  const grumbleCaptureRate =
    core.formal > 0 ? round(core.grumble / ((core.formal / icebergShares.formal) * icebergShares.grumble), 4) : null

  const trend = monthsEndingWith(monthOf(period.to), 6).map((m) => ({
    month: m,
    ...monthFigures(input, facts, m, nowMs),
  }))

  const costs = costFigures(input, b, nowMs)
  const usedCategories = new Set([
    ...topCategories.map((c) => c.category),
    ...costs.byCategory.map((c) => c.category),
    ...departments.flatMap((d) => d.categories.map((c) => c.category)),
  ])
  const categoryLabels = Object.fromEntries(
    [...usedCategories].map((id) => [id, categoryLabel(t, input.settings.categories, id)]),
  )

  return {
    version: 1,
    businessName: input.settings.businessName,
    locale: input.locale ?? 'en',
    currency: input.currency ?? defaultCurrency(input.locale ?? 'en'),
    generatedAt: now.toISOString(),
    period: { from: period.from, to: period.to },
    sources: {
      promises: input.promises !== undefined,
      grumbles: input.grumbles !== undefined,
      signals: input.signals !== undefined,
      escalations: input.escalations !== undefined,
    },
    iceberg: {
      formal: core.formal,
      grumble: core.grumble,
      silent: core.silent,
      estimatedTotalProblems,
      grumbleCaptureRate,
    },
    cases: {
      opened: core.opened,
      closed: core.closed,
      openAtEnd: facts.filter((f) => isOpenAt(f, endForOpen)).length,
      medianHoursToFirstResponse: median(firstResponses),
      medianHoursToResolve: median(resolves),
    },
    promises: core.promises,
    recovery: { satisfactionAverage: core.satisfactionAverage, wouldComeBackRate: core.wouldComeBackRate },
    churn: churnFigures(input, b),
    topCategories,
    escalations: escalationFigures(input.escalations ?? [], b),
    departments,
    trend,
    categoryLabels,
    rubrics: rubricFigures(input, b),
    comeback: comebackFigures(input, b, nowMs),
    loyalty: loyaltyFigures(input, b, boundsOf(previousPeriod(period))),
    costs,
  }
}

/**
 * The rubric scores given in the period, grouped by the case's owner and department now; a
 * score of a case no longer in the data counts nowhere.
 */
function rubricFigures(input: ReportInput, b: Bounds): Report['rubrics'] {
  const scored = (input.rubrics ?? []).filter((r) => isTimeInside(r.scoredAt, b))
  // Only the scored cases are looked up: no map of every case made for a few scores.
  const wanted = new Set(scored.map((r) => r.caseId))
  const cases = new Map<string, ReportInput['cases'][number]>()
  if (wanted.size > 0) for (const c of input.cases) if (wanted.has(c.id)) cases.set(c.id, c)
  const known = scored.filter((r) => cases.has(r.caseId)).map((r) => r.scores)
  const { name: _name, ...average } = averageOf('', known)
  return { ...rubricAverages(scored, (id) => cases.get(id)), average: known.length > 0 ? average : null }
}
