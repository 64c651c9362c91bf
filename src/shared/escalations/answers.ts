import { AppError } from '../core/errors'
import { type EscalationSettings } from './settings'
import { type Actor } from '../cases/recovery'
import { type Escalation, isOpenEscalation } from './schemas'

import { dayMs } from './patterns'
import { severityRank } from './sweep'
/** Management's answers: acknowledge, plan an action, resolve or dismiss, and the order escalations are listed in. */

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
