import { z } from 'zod'
import { AppError } from '../core/errors'
import { type EscalationSettings } from './settings'
import { type Actor } from '../cases/recovery'
import { type Case, type Severity, id, isoDateTime } from '../schemas'

export { EscalationSettings, FailureTarget, defaultEscalationSettings } from './settings'

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

/** A promise from the ledger (issue 5). Only `broken` ones count; `brokenAt` falls back to `due`. */
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
// Records
// ---------------------------------------------------------------------------------------------

export const escalationRules = [
  'recurring-failure',
  'prevention-failed',
  'heinrich-major',
  'heinrich-ladder',
  'broken-promises',
  'recovery-overdue',
  'repeat-complainer',
  'over-target',
] as const
export const EscalationRule = z.enum(escalationRules)
export type EscalationRule = z.infer<typeof EscalationRule>

export const escalationSeverities = ['low', 'medium', 'high'] as const
export const EscalationSeverity = z.enum(escalationSeverities)
export type EscalationSeverity = z.infer<typeof EscalationSeverity>

export const escalationStatuses = ['raised', 'acknowledged', 'action-planned', 'resolved', 'dismissed'] as const
export const EscalationStatus = z.enum(escalationStatuses)
export type EscalationStatus = z.infer<typeof EscalationStatus>
export const openEscalationStatuses: readonly EscalationStatus[] = ['raised', 'acknowledged', 'action-planned']

export const EvidenceKind = z.enum(['case', 'grumble', 'signal', 'promise'])
export type EvidenceKind = z.infer<typeof EvidenceKind>

/** A link to one record behind the pattern; `at` is when that failure happened. */
export const Evidence = z.object({
  kind: EvidenceKind,
  id,
  at: isoDateTime,
  /** `prevented`: the case whose Prevent step the recurrence proved ineffective. */
  role: z.enum(['prevented']).optional(),
})
export type Evidence = z.infer<typeof Evidence>

/** What the pattern is about, for showing and filtering; which fields are set depends on the rule. */
export const EscalationSubject = z.object({
  department: z.string().max(200).optional(),
  category: z.string().max(200).optional(),
  customerId: z.string().max(64).optional(),
  caseId: z.string().max(64).optional(),
})
export type EscalationSubject = z.infer<typeof EscalationSubject>

export const escalationEventTypes = [
  'raised',
  'evidence',
  'acknowledged',
  'action-planned',
  'resolved',
  'dismissed',
  'reopened',
  're-raised',
] as const
export const EscalationEvent = z.object({
  at: isoDateTime,
  by: z.string().max(200),
  type: z.enum(escalationEventTypes),
  note: z.string().max(10_000).optional(),
  /** For `evidence`: how many records joined. */
  count: z.number().int().optional(),
})
export type EscalationEvent = z.infer<typeof EscalationEvent>

export const ActionPlan = z.object({
  what: z.string().trim().min(1).max(10_000),
  owner: z.string().trim().min(1).max(200),
  dueAt: isoDateTime,
  by: z.string().max(200),
  at: isoDateTime,
  /** The promise that records the plan in the ledger, once the promise feature is connected. */
  promiseId: z.string().max(64).optional(),
})
export type ActionPlan = z.infer<typeof ActionPlan>

const Signed = z.object({ by: z.string().max(200), at: isoDateTime, note: z.string().max(10_000) })

export const Escalation = z.object({
  id,
  rule: EscalationRule,
  patternKey: z.string().min(1).max(1000),
  subject: EscalationSubject,
  severity: EscalationSeverity,
  status: EscalationStatus,
  evidence: z.array(Evidence),
  firstRaisedAt: isoDateTime,
  /** When the newest evidence happened: the pattern's last sighting. */
  lastSeenAt: isoDateTime,
  updatedAt: isoDateTime,
  acknowledgement: Signed.optional(),
  action: ActionPlan.optional(),
  resolution: Signed.optional(),
  dismissal: Signed.optional(),
  /** Set when the pattern came back after it was resolved: the action did not prevent it. */
  isPreventionFailed: z.boolean().default(false),
  reopenCount: z.number().int().min(0).default(0),
  history: z.array(EscalationEvent),
})
export type Escalation = z.infer<typeof Escalation>

export function isOpenEscalation(e: Pick<Escalation, 'status'>): boolean {
  return openEscalationStatuses.includes(e.status)
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

const dayMs = 86_400_000

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

function failuresOf(input: PatternInput, now: number): readonly Failure[] {
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
const failureOfRecord = new WeakMap<object, Failure>()

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

function listFailures(input: PatternInput, now: number): Failure[] {
  const caseIds = new Set(input.cases.map((c) => c.id))
  const out: Failure[] = []
  for (const c of input.cases) {
    const failure = caseFailure(c)
    if (failure.at <= now) out.push(failure)
  }
  for (const g of input.grumbles) {
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

const toEvidence = (f: Failure): Evidence => ({ kind: f.kind, id: f.id, at: f.iso })

function groupBy<T>(items: Iterable<T>, keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) {
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

/**
 * Rule 3 (Heinrich, 1 : 29 : 300): a major case escalates at once (while it is open or recent);
 * minor and near-miss failures of one category escalate when minors + near-misses ÷ K reach the
 * threshold within the window (K near-misses weigh as one minor).
 */
export function heinrichLadder(input: PatternInput, now: Date): Detection[] {
  const { ladderWindowDays, ladderMinorThreshold, ladderNearMissesPerMinor } = input.settings
  const end = now.getTime()
  const start = end - ladderWindowDays * dayMs
  const failures = failuresOf(input, end)
  const out: Detection[] = []
  const closedCaseIds = new Set(input.cases.filter((c) => c.status === 'closed').map((c) => c.id))
  for (const f of failures) {
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
  const lower = failures.filter((f) => f.at > start && f.severity !== 'major')
  for (const group of groupBy(lower, (f) => f.category).values()) {
    const minors = group.filter((f) => f.severity === 'minor').length
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

/** `2026-11` for an instant, in UTC like the store's month shards. */
export function monthKey(at: number | string): string {
  return new Date(at).toISOString().slice(0, 7)
}

/** The month before `yyyy-mm`. */
export function previousMonth(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number]
  return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, '0')}`
}

/**
 * Rule 7: a department above its failure target for a month. The current month and the last
 * complete one are checked: management reviews the month that just ended (DOMAIN.md §4).
 */
export function overTargets(input: PatternInput, now: Date): Detection[] {
  const end = now.getTime()
  const thisMonth = monthKey(end)
  const months = [previousMonth(thisMonth), thisMonth]
  // Stored times are UTC ISO strings, so their first seven characters are monthKey(at).
  const byGroupMonth = groupBy(
    failuresOf(input, end).filter((f) => months.includes(f.iso.slice(0, 7))),
    (f) => JSON.stringify([f.department, f.category, f.iso.slice(0, 7)]),
  )
  const out: Detection[] = []
  for (const target of input.settings.targets) {
    const over = months.flatMap((month) => {
      const group = byGroupMonth.get(JSON.stringify([target.department, target.category, month])) ?? []
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

const byEvidenceOrder = (a: Evidence, b: Evidence) =>
  a.at.localeCompare(b.at) || a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id)

/** Every pattern in the data at `now`, in a stable order (by pattern key), evidence by time. */
export function detectPatterns(input: PatternInput, now: Date): Detection[] {
  const all = [
    ...recurringFailures(input, now),
    ...preventionFailures(input, now),
    ...heinrichLadder(input, now),
    ...brokenPromises(input, now),
    ...overdueRecoveries(input, now),
    ...repeatComplainers(input, now),
    ...overTargets(input, now),
  ]
  return all
    .map((d) => ({ ...d, evidence: [...d.evidence].sort(byEvidenceOrder) }))
    .sort((a, b) => (a.patternKey < b.patternKey ? -1 : a.patternKey > b.patternKey ? 1 : 0))
}

// ---------------------------------------------------------------------------------------------
// The sweep
// ---------------------------------------------------------------------------------------------

/** Who the sweep acts as in an escalation's history. */
export const sweepActor = 'MakeGood'

/**
 * A stable id from the pattern key (FNV-1a, two 32-bit lanes): one pattern, one record for
 * ever, and the same data gives the same ids on every machine.
 */
export function escalationIdOf(patternKey: string): string {
  let a = 0x811c9dc5
  let b = 0x01000193 ^ 0x5bd1e995
  for (let i = 0; i < patternKey.length; i++) {
    const code = patternKey.charCodeAt(i)
    a = Math.imul(a ^ code, 0x01000193) >>> 0
    b = Math.imul(b ^ code, 0x5bd1e995) >>> 0
    b ^= b >>> 13
  }
  return `esc-${a.toString(16).padStart(8, '0')}${(b >>> 0).toString(16).padStart(8, '0')}`
}

export type SweepChangeKind = 'raised' | 'evidence' | 'reopened' | 're-raised'
export type SweepChange = { change: SweepChangeKind; escalation: Escalation; added: number }

const severityRank: Record<EscalationSeverity, number> = { low: 0, medium: 1, high: 2 }
const maxSeverity = (a: EscalationSeverity, b: EscalationSeverity) => (severityRank[a] >= severityRank[b] ? a : b)
const evidenceKey = (e: Evidence) => `${e.kind}:${e.id}`
const latest = (evidence: readonly Evidence[], fallback: string) =>
  evidence.reduce((max, e) => (e.at > max ? e.at : max), evidence[0]?.at ?? fallback)

/**
 * Runs the rules at `now` and says what changes: new escalations, new evidence joining an open
 * one, a resolved one reopened ("prevention failed"), a dismissed one raised again by new
 * evidence. Deterministic and idempotent: applying the result and sweeping again at the same
 * time yields no changes.
 */
export function sweep(input: PatternInput, existing: readonly Escalation[], now: Date): SweepChange[] {
  const at = now.toISOString()
  const byKey = new Map(existing.map((e) => [e.patternKey, e]))
  const changes: SweepChange[] = []
  for (const detection of detectPatterns(input, now)) {
    const current = byKey.get(detection.patternKey)
    if (!current) {
      changes.push({ change: 'raised', added: detection.evidence.length, escalation: raise(detection, at) })
      continue
    }
    const known = new Set(current.evidence.map(evidenceKey))
    const added = detection.evidence.filter((e) => !known.has(evidenceKey(e)))
    const evidence = [...current.evidence, ...added].sort(byEvidenceOrder)
    const lastSeenAt = latest(evidence, current.lastSeenAt)
    if (isOpenEscalation(current)) {
      const severity = maxSeverity(current.severity, detection.severity)
      if (added.length === 0 && severity === current.severity) continue
      const history: EscalationEvent[] =
        added.length > 0 ? [{ at, by: sweepActor, type: 'evidence', count: added.length }] : []
      changes.push({
        change: 'evidence',
        added: added.length,
        escalation: {
          ...current,
          evidence,
          lastSeenAt,
          severity,
          updatedAt: at,
          history: [...current.history, ...history],
        },
      })
      continue
    }
    // Resolved: it was quiet when resolved, so any return is the pattern coming back.
    // Dismissed: management judged that evidence; only new evidence raises it again.
    if (current.status === 'dismissed' && added.length === 0) continue
    const isReturn = current.status === 'resolved'
    const {
      acknowledgement: _acknowledgement,
      action: _action,
      resolution: _resolution,
      dismissal: _dismissal,
      ...rest
    } = current
    changes.push({
      change: isReturn ? 'reopened' : 're-raised',
      added: added.length,
      escalation: {
        ...rest,
        status: 'raised',
        severity: isReturn ? 'high' : maxSeverity(current.severity, detection.severity),
        evidence,
        lastSeenAt,
        updatedAt: at,
        isPreventionFailed: current.isPreventionFailed || isReturn,
        reopenCount: current.reopenCount + 1,
        history: [
          ...current.history,
          { at, by: sweepActor, type: isReturn ? 'reopened' : 're-raised', count: added.length },
        ],
      },
    })
  }
  return changes
}

function raise(detection: Detection, at: string): Escalation {
  return {
    id: escalationIdOf(detection.patternKey),
    rule: detection.rule,
    patternKey: detection.patternKey,
    subject: detection.subject,
    severity: detection.severity,
    status: 'raised',
    evidence: detection.evidence,
    firstRaisedAt: at,
    lastSeenAt: latest(detection.evidence, at),
    updatedAt: at,
    isPreventionFailed: false,
    reopenCount: 0,
    history: [{ at, by: sweepActor, type: 'raised', count: detection.evidence.length }],
  }
}

// ---------------------------------------------------------------------------------------------
// Management's answers
// ---------------------------------------------------------------------------------------------

function wrongStatus(e: Escalation, action: string): AppError {
  return new AppError('rule_violation', `Escalation cannot be ${action} while it is ${e.status}`, {
    reason: 'escalation.wrong_status',
    params: { status: e.status, action },
  })
}

function required(text: string, path: string, reason: string, message: string): string {
  const trimmed = text.trim()
  if (!trimmed) throw new AppError('invalid_input', message, { reason, details: [{ path, message: 'Required' }] })
  return trimmed
}

/** raised → acknowledged: a manager has seen it and says so, in their own words. */
export function acknowledgeEscalation(e: Escalation, input: { manager: string; note: string }, actor: Actor) {
  if (e.status !== 'raised') throw wrongStatus(e, 'acknowledged')
  const manager = required(input.manager, 'manager', 'escalation.needs_manager', 'Say which manager acknowledges it')
  const note = required(input.note, 'note', 'escalation.needs_note', 'Acknowledging needs a note')
  return {
    ...e,
    status: 'acknowledged',
    acknowledgement: { by: manager, at: actor.at, note },
    updatedAt: actor.at,
    history: [...e.history, { at: actor.at, by: manager, type: 'acknowledged', note }],
  } satisfies Escalation
}

export type PlanInput = { what: string; owner: string; dueAt: string }

/** acknowledged → action planned: what will change, who owns it, by when. Re-planning is allowed. */
export function planEscalationAction(e: Escalation, input: PlanInput, actor: Actor, promiseId?: string): Escalation {
  if (e.status !== 'acknowledged' && e.status !== 'action-planned') throw wrongStatus(e, 'planned')
  const what = required(input.what, 'what', 'escalation.needs_what', 'Say what will change')
  const owner = required(input.owner, 'owner', 'escalation.needs_owner', 'Name who owns the action')
  if (Number.isNaN(Date.parse(input.dueAt))) {
    throw new AppError('invalid_input', 'The action needs a due date', {
      reason: 'escalation.needs_due',
      details: [{ path: 'dueAt', message: 'Required' }],
    })
  }
  const dueAt = new Date(input.dueAt).toISOString()
  return {
    ...e,
    status: 'action-planned',
    action: { what, owner, dueAt, by: actor.by, at: actor.at, ...(promiseId ? { promiseId } : {}) },
    updatedAt: actor.at,
    history: [...e.history, { at: actor.at, by: actor.by, type: 'action-planned', note: `${what} (${owner})` }],
  }
}

export type ResolveRefusal = { reason: string; message: string; params?: Record<string, string | number> }

/**
 * Why an escalation cannot be resolved now, or undefined when it can: an action must be planned,
 * and the pattern must be quiet — not firing now, and no evidence within the quiet period.
 */
export function resolveRefusal(
  e: Escalation,
  activePatternKeys: ReadonlySet<string>,
  settings: EscalationSettings,
  now: Date,
): ResolveRefusal | undefined {
  if (!isOpenEscalation(e)) {
    return { reason: 'escalation.wrong_status', message: `It is already ${e.status}`, params: { status: e.status } }
  }
  if (e.status !== 'action-planned') {
    return { reason: 'escalation.no_action', message: 'Plan an action before resolving' }
  }
  const quietUntil = new Date(Date.parse(e.lastSeenAt) + settings.quietDays * dayMs).toISOString()
  if (activePatternKeys.has(e.patternKey)) {
    return {
      reason: 'escalation.still_active',
      message: 'The pattern is still happening',
      params: { days: settings.quietDays, quietUntil },
    }
  }
  if (quietUntil > now.toISOString()) {
    return {
      reason: 'escalation.not_quiet',
      message: `The pattern has not been quiet for ${settings.quietDays} days yet (until ${quietUntil})`,
      params: { days: settings.quietDays, quietUntil },
    }
  }
  return undefined
}

/** → resolved, only when `resolveRefusal` has no objection. */
export function resolveEscalation(e: Escalation, note: string, refusal: ResolveRefusal | undefined, actor: Actor) {
  if (refusal) {
    throw new AppError('rule_violation', `Cannot resolve: ${refusal.message}`, {
      reason: refusal.reason,
      ...(refusal.params ? { params: refusal.params } : {}),
    })
  }
  const trimmed = note.trim()
  return {
    ...e,
    status: 'resolved',
    resolution: { by: actor.by, at: actor.at, note: trimmed },
    updatedAt: actor.at,
    history: [...e.history, { at: actor.at, by: actor.by, type: 'resolved', ...(trimmed ? { note: trimmed } : {}) }],
  } satisfies Escalation
}

/** → dismissed, with the reason it is not a real pattern. */
export function dismissEscalation(e: Escalation, reason: string, actor: Actor): Escalation {
  if (!isOpenEscalation(e)) throw wrongStatus(e, 'dismissed')
  const why = required(reason, 'reason', 'escalation.needs_reason', 'Dismissing needs a reason')
  return {
    ...e,
    status: 'dismissed',
    dismissal: { by: actor.by, at: actor.at, note: why },
    updatedAt: actor.at,
    history: [...e.history, { at: actor.at, by: actor.by, type: 'dismissed', note: why }],
  }
}

/** Open first; then by severity, then oldest first (it has waited longest); closed ones last. */
export function compareEscalations(a: Escalation, b: Escalation): number {
  const open = Number(isOpenEscalation(b)) - Number(isOpenEscalation(a))
  if (open !== 0) return open
  const severity = severityRank[b.severity] - severityRank[a.severity]
  if (severity !== 0) return severity
  return a.firstRaisedAt.localeCompare(b.firstRaisedAt) || a.id.localeCompare(b.id)
}

// ---------------------------------------------------------------------------------------------
// Notifications and the Departments view
// ---------------------------------------------------------------------------------------------

export type EscalationNotice =
  { kind: 'raised' | 'reopened'; escalationId: string; rule: EscalationRule } | { kind: 'many'; count: number }

/**
 * Which sweep changes deserve a desktop notification: a new escalation, or one that came back.
 * New evidence joining an open one does not: management already has it. More than `max` at once
 * (a first start, an import) become one summary notice instead of a flood.
 */
export function noticesFor(changes: readonly SweepChange[], max = 3): EscalationNotice[] {
  const notices = changes.flatMap((c): EscalationNotice[] =>
    c.change === 'evidence'
      ? []
      : [
          {
            escalationId: c.escalation.id,
            kind: c.change === 'raised' ? 'raised' : 'reopened',
            rule: c.escalation.rule,
          },
        ],
  )
  return notices.length > max ? [{ kind: 'many', count: notices.length }] : notices
}

export type DepartmentRow = { category: string; counts: number[]; target?: number }
export type DepartmentTable = { department: string; rows: DepartmentRow[] }

/**
 * Each department's failures by category, month by month (the `monthCount` months up to and
 * including now's), beside its targets. Departments with a target or a failure appear.
 */
export function departmentFailures(
  input: Pick<PatternInput, 'cases' | 'grumbles' | 'settings'> & { departments: readonly string[] },
  now: Date,
  monthCount = 6,
): { months: string[]; departments: DepartmentTable[] } {
  const months: string[] = [monthKey(now.getTime())]
  while (months.length < monthCount) months.unshift(previousMonth(months[0] as string))
  const index = new Map(months.map((m, i) => [m, i]))
  const full: PatternInput = { ...input, promises: [], signals: [] }
  const counts = new Map<string, Map<string, number[]>>()
  const cell = (department: string, category: string) => {
    let byCategory = counts.get(department)
    if (!byCategory) counts.set(department, (byCategory = new Map()))
    let row = byCategory.get(category)
    if (!row) byCategory.set(category, (row = months.map(() => 0)))
    return row
  }
  for (const department of input.departments) cell(department, '')
  for (const target of input.settings.targets) cell(target.department, target.category)
  for (const f of failuresOf(full, now.getTime())) {
    const i = index.get(f.iso.slice(0, 7))
    if (i === undefined) continue
    const row = cell(f.department, f.category)
    row[i] = (row[i] ?? 0) + 1
  }
  const departments = [...counts.entries()].map(([department, byCategory]) => ({
    department,
    rows: [...byCategory.entries()]
      .filter(([category]) => category !== '')
      .map(([category, row]) => {
        const target = input.settings.targets.find((t) => t.department === department && t.category === category)
        return { category, counts: row, ...(target ? { target: target.perMonth } : {}) }
      })
      .sort((a, b) => a.category.localeCompare(b.category)),
  }))
  const order = (d: string) => {
    const at = input.departments.indexOf(d)
    return at < 0 ? input.departments.length : at
  }
  departments.sort((a, b) => order(a.department) - order(b.department) || a.department.localeCompare(b.department))
  return { months, departments }
}

/** The records of `input` that already existed at `at`: what a sweep at that moment would have seen. */
export function patternInputAsOf(input: PatternInput, at: Date): PatternInput {
  const iso = at.toISOString()
  return {
    ...input,
    cases: input.cases.filter((c) => c.receivedAt <= iso),
    grumbles: input.grumbles.filter((g) => g.heardAt <= iso),
    promises: input.promises.flatMap((p) => {
      if (p.status !== 'broken') return [p]
      const brokenAt = p.brokenAt ?? p.due
      // Broken later than `at`: at that moment it was still an open promise.
      return brokenAt <= iso ? [p] : [{ ...p, status: 'open' as const }]
    }),
    signals: input.signals.filter((s) => s.detectedAt <= iso),
  }
}

/**
 * Sweeps at every instant of `instants` in turn, as if MakeGood had been running all along:
 * escalations then carry the dates they would have had. Used for imported or sample history;
 * returns the escalations that exist at the end, new or changed.
 */
export function replaySweeps(
  input: PatternInput,
  existing: readonly Escalation[],
  instants: readonly Date[],
): Escalation[] {
  const byKey = new Map(existing.map((e) => [e.patternKey, e]))
  const changed = new Map<string, Escalation>()
  for (const at of instants) {
    for (const { escalation } of sweep(patternInputAsOf(input, at), [...byKey.values()], at)) {
      byKey.set(escalation.patternKey, escalation)
      changed.set(escalation.patternKey, escalation)
    }
  }
  return [...changed.values()]
}
