import { type EscalationSettings } from './settings'
import { byCodeUnits } from '../core/order'
import { monthAt, monthOf, previousMonth } from '../core/months'
import { type Case, type Severity } from '../schemas'
import { type Evidence, type EscalationRule, type EscalationSeverity, type EscalationSubject } from './schemas'

/** The seven pattern rules: pure functions from the records to the patterns found at one instant. */

// ---------------------------------------------------------------------------------------------
// Input: the minimal shapes the rules need. Cases are the real records; grumbles, promises and
// silent-churn signals belong to other features, so the integrator maps their records onto
// these small types (src/main/services/escalations.ts, `patternInputOf`).
// ---------------------------------------------------------------------------------------------

/** A frontline grumble (iceberg layer 2). `caseId` when it was turned into a case. */
export type EscalationGrumble = {
  id: string
  heardAt: string
  category: string
  department: string
  caseId?: string
  /** Passed upward and dealt with; absent means nobody has acted on it yet. */
  isResolved?: boolean
}

export type PromiseStatus = 'open' | 'kept' | 'broken' | 'renegotiated' | 'cancelled'

/** A promise from the ledger. Only `broken` ones count; `brokenAt` falls back to `due`. */
export type EscalationPromise = {
  id: string
  customerId: string
  caseId?: string
  department: string
  status: PromiseStatus
  due: string
  brokenAt?: string
  madeBy: string
}

/** A silent-churn signal (iceberg layer 3): a regular whose visits or spend dropped, or who is gone. */
export type EscalationSignal = { id: string; customerId: string; detectedAt: string; kind: string }

export type PatternInput = {
  cases: readonly Case[]
  grumbles: readonly EscalationGrumble[]
  promises: readonly EscalationPromise[]
  signals: readonly EscalationSignal[]
  settings: EscalationSettings
  /** Case id → when its resolution guarantee runs out (rule 5); guarantees live with promises. */
  resolutionDueAt?: Readonly<Record<string, string>>
}

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

/** One pattern found in the data at one moment. */
export type Detection = {
  rule: EscalationRule
  patternKey: string
  severity: EscalationSeverity
  subject: EscalationSubject
  evidence: Evidence[]
}

export const dayMs = 86_400_000

/** One failure, whatever layer of the iceberg it came from. */
type Failure = {
  kind: 'case' | 'grumble'
  id: string
  at: number
  iso: string
  category: string
  department: string
  severity: Severity
  isUnresolved: boolean
  customerId?: string
}

const unresolvedCaseStatuses: readonly Case['status'][] = ['open', 'in-recovery', 'reopened']

/**
 * Cases and grumbles as one list of failures. A grumble that became a case is that case: it is
 * not counted twice. Grumbles carry no severity; a customer did feel them, so they count as minor.
 */
/** One sweep runs several rules over the same input: the failures are listed once per input and time. */
const failuresCache = new WeakMap<PatternInput, { now: number; failures: readonly Failure[] }>()

export function failuresOf(input: PatternInput, now: number): readonly Failure[] {
  const cached = failuresCache.get(input)
  if (cached?.now === now) return cached.failures
  const failures = listFailures(input, now)
  failuresCache.set(input, { now, failures })
  return failures
}

/**
 * A record's failure, made once per record object: records are replaced, never changed in
 * place, so the next sweep reuses it instead of parsing a million dates again.
 */
let failureOfRecord = new WeakMap<object, Failure>()

function caseFailure(c: PatternInput['cases'][number]): Failure {
  let failure = failureOfRecord.get(c)
  if (!failure) {
    failure = {
      kind: 'case',
      id: c.id,
      at: Date.parse(c.receivedAt),
      iso: c.receivedAt,
      category: c.category,
      department: c.department,
      severity: c.severity,
      isUnresolved: unresolvedCaseStatuses.includes(c.status),
      customerId: c.customerId,
    }
    failureOfRecord.set(c, failure)
  }
  return failure
}

function grumbleFailure(g: EscalationGrumble): Failure {
  let failure = failureOfRecord.get(g)
  if (!failure) {
    failure = {
      kind: 'grumble',
      id: g.id,
      at: Date.parse(g.heardAt),
      iso: g.heardAt,
      category: g.category,
      department: g.department,
      severity: 'minor',
      isUnresolved: !g.isResolved,
    }
    failureOfRecord.set(g, failure)
  }
  return failure
}

// The loops of the rules index their lists: a sweep after each save walks a category's thousands
// of records, and a `for…of` not yet optimized allocates an iterator result per step.
function listFailures(input: PatternInput, now: number): Failure[] {
  const { cases, grumbles } = input
  const caseIds = new Set<string>()
  const out: Failure[] = []
  for (let i = 0; i < cases.length; i++) {
    const c = cases[i] as PatternInput['cases'][number]
    caseIds.add(c.id)
    const failure = caseFailure(c)
    if (failure.at <= now) out.push(failure)
  }
  for (let i = 0; i < grumbles.length; i++) {
    const g = grumbles[i] as EscalationGrumble
    if (g.caseId !== undefined && caseIds.has(g.caseId)) continue
    const failure = grumbleFailure(g)
    if (failure.at <= now) out.push(failure)
  }
  return out
}

/**
 * How far back a grumble can still matter to the rules at `now`: every rule counts grumbles only
 * inside its window (recurring, prevention, ladder) or this month and the last (targets). A
 * sweep hands the rules only grumbles heard since then — at 100k cases, a ninth of them.
 */
export function grumbleHorizon(settings: EscalationSettings, now: Date): string {
  const days = Math.max(settings.recurringWindowDays, settings.preventionWindowDays, settings.ladderWindowDays, 62)
  return new Date(now.getTime() - (days + 1) * dayMs).toISOString()
}

/** A key made of parts that may hold any text: each part is encoded so none can fake a separator. */
export function patternKeyOf(rule: EscalationRule, ...parts: string[]): string {
  return [rule, ...parts.map((p) => encodeURIComponent(p))].join('/')
}

/** A failure as evidence, made once per failure: a sweep after a save lists thousands again. */
let evidenceOfFailure = new WeakMap<Failure, Evidence>()

/**
 * Lets go of the failures and evidence made so far. A full sweep makes them for every case in
 * the history (~20 MB at 100k cases), and a sweep after a save only needs those of the groups it
 * touches, which are recent: they are made again as it needs them.
 */
export function forgetFailures(): void {
  failureOfRecord = new WeakMap()
  evidenceOfFailure = new WeakMap()
}
function toEvidence(f: Failure): Evidence {
  let evidence = evidenceOfFailure.get(f)
  if (!evidence) evidenceOfFailure.set(f, (evidence = { kind: f.kind, id: f.id, at: f.iso }))
  return evidence
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as T
    const key = keyOf(item)
    const group = groups.get(key)
    if (group) group.push(item)
    else groups.set(key, [item])
  }
  return groups
}

const deptCategory = (f: { department: string; category: string }) => JSON.stringify([f.department, f.category])

/** Rule 1: at least N failures of one category in one department within D days, one unresolved. */
export function recurringFailures(input: PatternInput, now: Date): Detection[] {
  const { recurringCount, recurringWindowDays } = input.settings
  const end = now.getTime()
  const start = end - recurringWindowDays * dayMs
  const recent = failuresOf(input, end).filter((f) => f.at > start)
  const out: Detection[] = []
  for (const group of groupBy(recent, deptCategory).values()) {
    if (group.length < recurringCount || !group.some((f) => f.isUnresolved)) continue
    const { department, category } = group[0] as Failure
    out.push({
      rule: 'recurring-failure',
      patternKey: patternKeyOf('recurring-failure', department, category),
      severity: group.length >= 2 * recurringCount ? 'high' : 'medium',
      subject: { department, category },
      evidence: group.map(toEvidence),
    })
  }
  return out
}

/**
 * Rule 2: a failure recurs (same category, same department) within D days after a case's Prevent
 * step was marked done. Only recurrences within the last D days count: an old one is history.
 */
export function preventionFailures(input: PatternInput, now: Date): Detection[] {
  const window = input.settings.preventionWindowDays * dayMs
  const end = now.getTime()
  const failures = failuresOf(input, end)
  const prevented = input.cases.flatMap((c) => {
    const step = c.steps.find((s) => s.key === 'prevent')
    const at = step?.status === 'done' && step.at ? Date.parse(step.at) : NaN
    return Number.isNaN(at) || at > end ? [] : [{ c, at }]
  })
  const preventedByGroup = groupBy(prevented, ({ c }) => deptCategory(c))
  for (const list of preventedByGroup.values()) list.sort((a, b) => a.at - b.at)
  const out: Detection[] = []
  for (const [key, group] of groupBy(
    failures.filter((f) => f.at > end - window),
    deptCategory,
  )) {
    const fixes = preventedByGroup.get(key)
    if (!fixes) continue
    const evidence = new Map<string, Evidence>()
    for (const failure of group) {
      // Fixes made in [failure − D, failure): the earliest index by binary search.
      let low = 0
      let high = fixes.length
      while (low < high) {
        const mid = (low + high) >> 1
        if ((fixes[mid] as { at: number }).at < failure.at - window) low = mid + 1
        else high = mid
      }
      let isRecurrence = false
      for (let i = low; i < fixes.length && (fixes[i] as { at: number }).at < failure.at; i++) {
        const fix = (fixes[i] as { c: Case }).c
        if (fix.id === failure.id) continue
        isRecurrence = true
        evidence.set(`case:${fix.id}`, { kind: 'case', id: fix.id, at: fix.receivedAt, role: 'prevented' })
      }
      if (isRecurrence) evidence.set(`${failure.kind}:${failure.id}`, toEvidence(failure))
    }
    if (evidence.size === 0) continue
    const { department, category } = group[0] as Failure
    out.push({
      rule: 'prevention-failed',
      patternKey: patternKeyOf('prevention-failed', department, category),
      severity: 'high',
      subject: { department, category },
      evidence: [...evidence.values()],
    })
  }
  return out
}

/** Rule 3 (Heinrich, 1 : 29 : 300), its first rung: a major case escalates at once, while it is open or recent. */
export function heinrichMajors(input: PatternInput, now: Date): Detection[] {
  const end = now.getTime()
  const start = end - input.settings.ladderWindowDays * dayMs
  const out: Detection[] = []
  const closedCaseIds = new Set(input.cases.filter((c) => c.status === 'closed').map((c) => c.id))
  for (const f of failuresOf(input, end)) {
    // An old major still escalates while its case is open: it has not been put right.
    if (f.kind !== 'case' || f.severity !== 'major' || (f.at <= start && closedCaseIds.has(f.id))) continue
    out.push({
      rule: 'heinrich-major',
      patternKey: patternKeyOf('heinrich-major', f.id),
      severity: 'high',
      subject: { caseId: f.id, department: f.department, category: f.category, ...customerOf(f) },
      evidence: [toEvidence(f)],
    })
  }
  return out
}

/**
 * Rule 3, the ladder below: minor and near-miss failures of one category escalate when minors +
 * near-misses ÷ K reach the threshold within the window (K near-misses weigh as one minor).
 */
export function heinrichLadder(input: PatternInput, now: Date): Detection[] {
  const { ladderWindowDays, ladderMinorThreshold, ladderNearMissesPerMinor } = input.settings
  const end = now.getTime()
  const start = end - ladderWindowDays * dayMs
  const out: Detection[] = []
  const lower = failuresOf(input, end).filter((f) => f.at > start && f.severity !== 'major')
  for (const group of groupBy(lower, (f) => f.category).values()) {
    let minors = 0
    for (let i = 0; i < group.length; i++) if ((group[i] as Failure).severity === 'minor') minors++
    const nearMisses = group.length - minors
    // Integer form of minors + nearMisses / K ≥ threshold.
    if (minors * ladderNearMissesPerMinor + nearMisses < ladderMinorThreshold * ladderNearMissesPerMinor) continue
    const { category } = group[0] as Failure
    out.push({
      rule: 'heinrich-ladder',
      patternKey: patternKeyOf('heinrich-ladder', category),
      severity: 'medium',
      subject: { category },
      evidence: group.map(toEvidence),
    })
  }
  return out
}

const customerOf = (f: Failure) => (f.customerId ? { customerId: f.customerId } : {})

/**
 * Rule 4: at least N promises of one department broken within the window, or a second broken
 * promise to the same customer within the customer window.
 */
export function brokenPromises(input: PatternInput, now: Date): Detection[] {
  const { brokenPromiseCount, brokenPromiseWindowDays, customerBrokenPromiseWindowDays } = input.settings
  const end = now.getTime()
  const broken = input.promises.flatMap((p) => {
    if (p.status !== 'broken') return []
    const iso = p.brokenAt ?? p.due
    const at = Date.parse(iso)
    return at > end ? [] : [{ p, at, evidence: { kind: 'promise' as const, id: p.id, at: iso } }]
  })
  const out: Detection[] = []
  const byDepartment = groupBy(
    broken.filter((b) => b.at > end - brokenPromiseWindowDays * dayMs),
    (b) => b.p.department,
  )
  for (const [department, group] of byDepartment) {
    if (group.length < brokenPromiseCount) continue
    out.push({
      rule: 'broken-promises',
      patternKey: patternKeyOf('broken-promises', 'department', department),
      severity: group.length >= 2 * brokenPromiseCount ? 'high' : 'medium',
      subject: { department },
      evidence: group.map((b) => b.evidence),
    })
  }
  const byCustomer = groupBy(
    broken.filter((b) => b.at > end - customerBrokenPromiseWindowDays * dayMs),
    (b) => b.p.customerId,
  )
  for (const [customerId, group] of byCustomer) {
    if (group.length < 2) continue
    out.push({
      rule: 'broken-promises',
      patternKey: patternKeyOf('broken-promises', 'customer', customerId),
      severity: 'high',
      subject: { customerId },
      evidence: group.map((b) => b.evidence),
    })
  }
  return out
}

/** Rule 5: a case past its resolution guarantee with Resolve not done. */
export function overdueRecoveries(input: PatternInput, now: Date): Detection[] {
  const due = input.resolutionDueAt ?? {}
  const out: Detection[] = []
  for (const c of input.cases) {
    const dueAt = due[c.id]
    if (!dueAt || Date.parse(dueAt) >= now.getTime() || c.status === 'closed') continue
    if (c.steps.find((s) => s.key === 'resolve')?.status !== 'pending') continue
    out.push({
      rule: 'recovery-overdue',
      patternKey: patternKeyOf('recovery-overdue', c.id),
      severity: c.severity === 'major' ? 'high' : 'medium',
      subject: { caseId: c.id, customerId: c.customerId, department: c.department, category: c.category },
      evidence: [{ kind: 'case', id: c.id, at: c.receivedAt }],
    })
  }
  return out
}

/**
 * Rule 6: the same customer with a second case within the window (a second failure wipes out
 * the goodwill of the first recovery). The customer's silent-churn signals join the evidence
 * and make it urgent: they are already on the way out.
 */
export function repeatComplainers(input: PatternInput, now: Date): Detection[] {
  const end = now.getTime()
  const start = end - input.settings.repeatComplainerDays * dayMs
  const recent = input.cases.filter((c) => {
    const at = Date.parse(c.receivedAt)
    return at > start && at <= end
  })
  const signals = groupBy(
    input.signals.filter((s) => Date.parse(s.detectedAt) <= end),
    (s) => s.customerId,
  )
  const out: Detection[] = []
  for (const [customerId, group] of groupBy(recent, (c) => c.customerId)) {
    if (group.length < 2) continue
    const churn = signals.get(customerId) ?? []
    out.push({
      rule: 'repeat-complainer',
      patternKey: patternKeyOf('repeat-complainer', customerId),
      severity: churn.length > 0 ? 'high' : group.length >= 3 ? 'medium' : 'low',
      subject: { customerId },
      evidence: [
        ...group.map((c): Evidence => ({ kind: 'case', id: c.id, at: c.receivedAt })),
        ...churn.map((s): Evidence => ({ kind: 'signal', id: s.id, at: s.detectedAt })),
      ],
    })
  }
  return out
}

/**
 * Rule 7: a department above its failure target for a month. The current month and the last
 * complete one are checked: management reviews the month that just ended (docs/domain.md).
 */
export function overTargets(input: PatternInput, now: Date): Detection[] {
  const end = now.getTime()
  const thisMonth = monthAt(end)
  const months = [previousMonth(thisMonth), thisMonth]
  const keyOf = (department: string, category: string, month: string) => `${department}\u0000${category}\u0000${month}`
  // Only failures a target counts are grouped: a sweep may hand over thousands, most of no target.
  const counted = new Set(input.settings.targets.flatMap((t) => months.map((m) => keyOf(t.department, t.category, m))))
  const byGroupMonth = new Map<string, Failure[]>()
  for (const f of failuresOf(input, end)) {
    const key = keyOf(f.department, f.category, monthOf(f.iso))
    if (!counted.has(key)) continue
    const group = byGroupMonth.get(key)
    if (group) group.push(f)
    else byGroupMonth.set(key, [f])
  }
  const out: Detection[] = []
  for (const target of input.settings.targets) {
    const over = months.flatMap((month) => {
      const group = byGroupMonth.get(keyOf(target.department, target.category, month)) ?? []
      return group.length > target.perMonth ? [group] : []
    })
    if (over.length === 0) continue
    const worst = Math.max(...over.map((g) => g.length))
    out.push({
      rule: 'over-target',
      patternKey: patternKeyOf('over-target', target.department, target.category),
      severity: worst >= 2 * Math.max(1, target.perMonth) ? 'high' : 'medium',
      subject: { department: target.department, category: target.category },
      evidence: over.flat().map(toEvidence),
    })
  }
  return out
}

/**
 * Evidence by time, then kind, then id (an escalation may hold thousands: this sorts them on every
 * sweep). Times in code-unit order: on ISO times it orders as the collation used before did, at a
 * fraction of the cost.
 */
export const byEvidenceOrder = (a: Evidence, b: Evidence) =>
  byCodeUnits(a.at, b.at) || a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id)

/** Detections in a stable order, by pattern key. */
export const byPatternKey = (a: Detection, b: Detection) => byCodeUnits(a.patternKey, b.patternKey)

/** One rule: the patterns of its kind in the input at one moment. */
export type PatternRule = (input: PatternInput, now: Date) => Detection[]

export const patternRules: readonly PatternRule[] = [
  recurringFailures,
  preventionFailures,
  heinrichMajors,
  heinrichLadder,
  brokenPromises,
  overdueRecoveries,
  repeatComplainers,
  overTargets,
]

/**
 * Every pattern in the data at `now` (or those of some rules), by pattern key, its evidence in the
 * order the rules found it: a sweep sorts only what it stores (thousands of pieces, at every save).
 */
export function findPatterns(input: PatternInput, now: Date, rules = patternRules): Detection[] {
  return rules.flatMap((rule) => rule(input, now)).sort(byPatternKey)
}

/** Every pattern in the data at `now`, in a stable order (by pattern key), evidence by time. */
export function detectPatterns(input: PatternInput, now: Date): Detection[] {
  return findPatterns(input, now).map((d) => ({ ...d, evidence: [...d.evidence].sort(byEvidenceOrder) }))
}
