import { z } from 'zod'
import { parseUnknown } from '../core/errors'
import { id, isoDateTime } from '../schemas'

/** An escalation as stored: a pattern raised to management, with its evidence, history and answers. */

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

/**
 * Pieces of evidence already checked, each frozen when checked so that it stays what was
 * checked: the sweep after a save adds one or two to an escalation of thousands, and checking
 * (and copying) every piece again took ~0.7 ms and 2,500 new objects a save at 100k cases.
 */
const checkedEvidence = new WeakSet<object>()
const isChecked = (item: unknown) => typeof item === 'object' && item !== null && checkedEvidence.has(item)

/**
 * An escalation as `Escalation.parse` makes it (the same checks, the same errors), its evidence
 * checked a piece at a time: pieces checked before are taken as they are.
 */
export function parseEscalation(value: unknown): Escalation {
  const evidence = (value as { evidence?: unknown } | null)?.evidence
  if (!Array.isArray(evidence)) return parseUnknown(Escalation, value)
  // By index, not filter and map: a hole in the list must be checked (and refused) too.
  const unchecked: unknown[] = []
  for (let i = 0; i < evidence.length; i++) if (!isChecked(evidence[i])) unchecked.push(evidence[i])
  const parsed = Escalation.safeParse({ ...(value as object), evidence: unchecked })
  // Checked whole again, so that the error names the piece where it is in the escalation.
  if (!parsed.success) return parseUnknown(Escalation, value)
  const fresh = parsed.data.evidence
  const all: Evidence[] = []
  for (let i = 0, next = 0; i < evidence.length; i++) {
    const item = evidence[i] as Evidence
    if (isChecked(item)) {
      all.push(item)
      continue
    }
    const checked = Object.freeze(fresh[next++]!)
    checkedEvidence.add(checked)
    all.push(checked)
  }
  parsed.data.evidence = all
  return parsed.data
}
