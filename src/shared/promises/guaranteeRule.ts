import { type Case, type StepKey } from '../schemas'
import { type CustomerPromise } from './promises'
import { isNewsForCustomer } from '../contacts/rules'

/**
 * A service guarantee is kept by the event it guarantees, never by a click on the promise
 * (docs/promises.md, "Guarantees follow the recovery steps"). Pure: the case and any contact
 * log are parameters.
 */

/** A contact with the customer from outside the case record (the case's own logged contacts are read from it). */
export type CustomerContact = { at: string; by: string }

/** What kept (or ended) a guarantee: the step or contact, when, and by whom. */
export type GuaranteeEvent = {
  kind: 'kept' | 'skipped'
  at: string
  by: string
  source: StepKey | 'contact'
  note?: string
}

/** The recovery step each built-in guarantee waits for. */
export const guaranteeSteps: Record<string, StepKey> = { 'first-response': 'empathise', resolution: 'resolve' }

/** Whether a promise is a guarantee whose state follows a recovery step (custom guarantees are kept by hand). */
export function followsStep(p: Pick<CustomerPromise, 'guaranteeId'>): boolean {
  return p.guaranteeId !== undefined && p.guaranteeId in guaranteeSteps
}

/**
 * The first time the step was done: from the timeline (a reopened case resets Resolve to pending,
 * yet it was done), else from the step itself (data that kept no timeline line for it).
 */
function firstDone(c: Case, key: StepKey): { at: string; by: string; note?: string } | undefined {
  const candidates: { at: string; by: string; note?: string }[] = []
  for (const e of c.timeline) {
    if (e.type === 'step' && e.field === key && e.after === 'done') candidates.push({ at: e.at, by: e.by })
  }
  const step = c.steps.find((s) => s.key === key)
  if (step?.status === 'done' && step.at) candidates.push({ at: step.at, by: step.by ?? '' })
  return candidates.sort((a, b) => Date.parse(a.at) - Date.parse(b.at))[0]
}

/** The event that settles the guarantee's promise on this case, or undefined while it has not happened. */
export function guaranteeEvent(
  guaranteeId: string,
  c: Case,
  contacts: readonly CustomerContact[] = [],
): GuaranteeEvent | undefined {
  const key = guaranteeSteps[guaranteeId]
  if (!key) return undefined
  const done = firstDone(c, key)
  const kept: GuaranteeEvent[] = done ? [{ kind: 'kept', at: done.at, by: done.by, source: key }] : []
  // The first response is also given by the first logged contact that answers the customer
  // (an e-mail that came in answers nobody), whichever comes first.
  if (guaranteeId === 'first-response') {
    const logged = (c.contacts ?? []).filter(isNewsForCustomer)
    for (const contact of [...contacts, ...logged])
      kept.push({ kind: 'kept', at: contact.at, by: contact.by, source: 'contact' })
  }
  kept.sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
  if (kept[0]) return kept[0]
  // Skipped with a reason: the event will never come, so the guarantee is not measured.
  const step = c.steps.find((s) => s.key === key)
  if (step?.status === 'skipped') {
    return {
      kind: 'skipped',
      at: step.at ?? c.updatedAt,
      by: step.by ?? '',
      source: key,
      ...(step.note ? { note: step.note } : {}),
    }
  }
  return undefined
}

/** What the rule reads and rewrites of a promise (a promise's facts without its words will do). */
type FollowedPromise = Pick<
  CustomerPromise,
  'guaranteeId' | 'caseId' | 'status' | 'closedAt' | 'closedBy' | 'updatedAt'
> & {
  note?: string | undefined
}

/**
 * The promise as the rule says it stands: kept at the event's time (on time or late by that time),
 * cancelled when its step was skipped, open while neither happened. Decisions a person recorded
 * (broken, renegotiated, cancelled) are left as they are. Returns the same object when nothing changes.
 */
export function followGuarantee<P extends FollowedPromise>(
  p: P,
  c: Case,
  contacts: readonly CustomerContact[] = [],
): P {
  if (!followsStep(p) || (p.status !== 'open' && p.status !== 'kept')) return p
  const event = guaranteeEvent(p.guaranteeId!, c, contacts)
  const { closedAt: _at, closedBy: _by, note: _note, ...rest } = p
  if (!event) {
    if (p.status === 'open') return p
    return { ...rest, status: 'open', updatedAt: laterOf(p.updatedAt, c.updatedAt) } as P
  }
  const status = event.kind === 'kept' ? 'kept' : 'cancelled'
  if (p.status === status && p.closedAt === event.at && p.closedBy === event.by) return p
  // A skipped step cancels the guarantee; the skip's reason says why.
  return {
    ...rest,
    status,
    closedAt: event.at,
    closedBy: event.by,
    ...(event.note ? { note: event.note } : {}),
    updatedAt: laterOf(laterOf(p.updatedAt, event.at), c.updatedAt),
  } as P
}

function laterOf(a: string, b: string): string {
  return Date.parse(a) >= Date.parse(b) ? a : b
}

/**
 * Every guarantee promise whose stored state differs from the rule, recomputed from its case:
 * the migration to data version 3, the start-up recount and the demo data use this one function.
 */
export function recountGuarantees<P extends FollowedPromise>(
  cases: Iterable<Case>,
  promises: Iterable<P>,
): { before: P; after: P }[] {
  const byId = new Map<string, Case>()
  for (const c of cases) byId.set(c.id, c)
  const changed: { before: P; after: P }[] = []
  for (const p of promises) {
    if (!followsStep(p) || !p.caseId) continue
    const c = byId.get(p.caseId)
    if (!c) continue
    const after = followGuarantee(p, c)
    if (after !== p) changed.push({ before: p, after })
  }
  return changed
}
