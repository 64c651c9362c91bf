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
 * Pieces of evidence and history events already checked, each frozen when checked so that it
 * stays what was checked: the sweep after a save adds one or two to an escalation of thousands,
 * and checking (and copying) every piece again took ~0.7 ms and 2,500 new objects a save at 100k
 * cases. Kept pieces stay the same objects, which also lets the store journal only what was added.
 */
const checkedPieces = new WeakSet<object>()
const isChecked = (item: unknown) => typeof item === 'object' && item !== null && checkedPieces.has(item)
/**
 * Lists whose every piece is checked: an escalation whose lists did not change (or grew by
 * pieces the sweep checked as it made them) is taken without a look at its thousands of pieces.
 * Records are never changed in place, so a list stays what it was when it was checked.
 */
const checkedLists = new WeakSet<readonly unknown[]>()

/** A piece of evidence checked and frozen once, as `parseEscalation` would: made by the sweep. */
export function checkedEvidence(piece: Evidence): Evidence {
  return isChecked(piece) ? piece : markChecked(parseUnknown(Evidence, piece))
}

/** An event of an escalation's history checked and frozen once, as `parseEscalation` would. */
export function checkedEvent(event: EscalationEvent): EscalationEvent {
  return isChecked(event) ? event : markChecked(parseUnknown(EscalationEvent, event))
}

/**
 * Takes note that `list`, made only of the pieces of `from` and `added`, holds checked pieces only
 * when they all are: the sweep's evidence after a save, known checked without a look at each of
 * its thousands of pieces.
 */
export function noteMadeOfChecked(list: readonly unknown[], from: readonly unknown[], added: readonly unknown[]): void {
  if (checkedLists.has(from) && added.every(isChecked)) checkedLists.add(list)
}

/**
 * Escalations read from storage and known valid (a shard MakeGood wrote and trusts, a team row a
 * desk with these schemas stamped, or one just checked): their pieces and lists are taken as
 * checked, so the first save after a start that adds to a busy pattern does not check, copy and
 * compare its thousands of pieces again.
 */
export function noteCheckedEscalations(escalations: readonly Escalation[]): void {
  for (const { evidence, history } of escalations) {
    for (const piece of evidence) markChecked(piece)
    for (const event of history) markChecked(event)
    checkedLists.add(evidence)
    checkedLists.add(history)
  }
}

function markChecked<T extends object>(piece: T): T {
  const checked = Object.freeze(piece)
  checkedPieces.add(checked)
  return checked
}

/**
 * An escalation as `Escalation.parse` makes it (the same checks, the same errors), its evidence
 * and history checked a piece at a time: pieces checked before are taken as they are.
 */
export function parseEscalation(value: unknown): Escalation {
  const record = value as Record<string, unknown> | null
  const evidence = record?.evidence
  const history = record?.history
  if (!Array.isArray(evidence) || !Array.isArray(history)) return parseUnknown(Escalation, value)
  const parsed = Escalation.safeParse({ ...record, evidence: uncheckedOf(evidence), history: uncheckedOf(history) })
  // Checked whole again, so that the error names the piece where it is in the escalation.
  if (!parsed.success) return parseUnknown(Escalation, value)
  parsed.data.evidence = withChecked(evidence, parsed.data.evidence)
  parsed.data.history = withChecked(history, parsed.data.history)
  return parsed.data
}

/** By index, not filter: a hole in a list must be checked (and refused) too. */
function uncheckedOf(list: readonly unknown[]): unknown[] {
  const out: unknown[] = []
  if (checkedLists.has(list)) return out
  for (let i = 0; i < list.length; i++) if (!isChecked(list[i])) out.push(list[i])
  return out
}

/**
 * The list with each piece not checked before replaced by its checked (frozen) copy (`fresh`, in
 * order): the list itself when every piece was checked.
 */
function withChecked<T extends object>(list: readonly unknown[], fresh: T[]): T[] {
  if (fresh.length === 0) {
    checkedLists.add(list)
    return list as T[]
  }
  const all: T[] = []
  for (let i = 0, next = 0; i < list.length; i++) {
    const item = list[i]
    all.push(isChecked(item) ? (item as T) : markChecked(fresh[next++]!))
  }
  checkedLists.add(all)
  return all
}
