import {
  type EscalationGrumble,
  type EscalationPromise,
  type EscalationSignal,
} from '../../../shared/escalations/escalation'
import { type Grumble, type Signal } from '../../../shared/iceberg/schemas'
import { type PromiseFacts } from '../promises/oldPromises'

/**
 * The other features' records, one at a time, mapped onto the rules' minimal input types: the
 * full sweep and the incremental one (sweepIndex.ts) map them the same way.
 */

/**
 * One view per stored record (records are replaced, never changed): the rules cache their work
 * on it, so a sweep after one change does not redo a million grumbles.
 */
export function escalationGrumbleOf(g: Grumble & { category: string }): EscalationGrumble {
  let seen = grumbleViews.get(g)
  if (!seen) {
    seen = {
      id: g.id,
      heardAt: g.heardAt,
      category: g.category,
      department: g.department ?? '',
      ...(g.caseId ? { caseId: g.caseId } : {}),
    }
    grumbleViews.set(g, seen)
  }
  return seen
}
const grumbleViews = new WeakMap<Grumble, EscalationGrumble>()

export function escalationPromiseOf(p: PromiseFacts, now: number): EscalationPromise | undefined {
  if (!p.customerId) return undefined
  const isOverdue = p.status === 'open' && Date.parse(p.dueAt) < now
  return {
    id: p.id,
    customerId: p.customerId,
    ...(p.caseId ? { caseId: p.caseId } : {}),
    department: p.department,
    status: isOverdue ? 'broken' : p.status,
    due: p.dueAt,
    ...(p.status === 'broken' && p.closedAt ? { brokenAt: p.closedAt } : {}),
    madeBy: p.madeBy,
  }
}

export function escalationSignalOf(
  s: Pick<Signal, 'id' | 'customerId' | 'raisedAt' | 'level' | 'outcome'>,
): EscalationSignal | undefined {
  if (s.outcome === 'false-alarm') return undefined
  return { id: s.id, customerId: s.customerId, detectedAt: s.raisedAt, kind: s.level }
}

/** A promise that carries a case's resolution guarantee (rule 5). */
export const isResolutionPromise = (p: PromiseFacts): p is PromiseFacts & { caseId: string } =>
  p.guaranteeId === 'resolution' && Boolean(p.caseId)

/**
 * Of a case's resolution-guarantee promises, the one that counts: not cancelled, the end of its
 * renegotiation chain first, then the latest due time, then the id. The choice depends on the
 * promises alone, never on the order they were loaded in, so a sweep of one case agrees with a
 * sweep of all.
 */
export function isBetterResolution(p: PromiseFacts, than: PromiseFacts | undefined): boolean {
  if (!than) return true
  const live = (q: PromiseFacts) => (q.successorId ? 0 : 1)
  return (
    live(p) - live(than) > 0 ||
    (live(p) === live(than) && (p.dueAt > than.dueAt || (p.dueAt === than.dueAt && p.id > than.id)))
  )
}

export function resolutionDueOf(promises: Iterable<PromiseFacts>): string | undefined {
  let best: PromiseFacts | undefined
  for (const p of promises) if (p.status !== 'cancelled' && isBetterResolution(p, best)) best = p
  return best?.dueAt
}
