import { AppError } from '../core/errors'
import {
  type Case,
  type Closure,
  type RecoveryStep,
  type StepKey,
  type TimelineEvent,
  type WouldComeBack,
  stepKeys,
} from '../schemas'

/** Who does something, and when: time is always a parameter in the domain. */
export type Actor = { by: string; at: string }

export function freshSteps(): RecoveryStep[] {
  return stepKeys.map((key) => ({ key, status: 'pending' }))
}

export function isClosed(c: Pick<Case, 'status'>): boolean {
  return c.status === 'closed'
}

/**
 * Ready to close: every step done or skipped, only the satisfaction call left. When the last
 * step was finished; undefined while one is still pending.
 */
export function readyToCloseSince(c: Pick<Case, 'steps' | 'updatedAt'>): string | undefined {
  let latest = ''
  for (const step of c.steps) {
    if (step.status === 'pending') return undefined
    if (step.at && step.at > latest) latest = step.at
  }
  return latest || c.updatedAt
}

/** The first step still pending, in the order of the six steps; undefined when none is. */
export function nextPendingStep(c: Pick<Case, 'steps'>): StepKey | undefined {
  return c.steps.find((step) => step.status === 'pending')?.key
}

function event(actor: Actor, type: string, extra: Omit<TimelineEvent, 'at' | 'by' | 'type'> = {}): TimelineEvent {
  return { at: actor.at, by: actor.by, type, ...extra }
}

function statusAfterSteps(steps: RecoveryStep[], current: Case['status'] = 'in-recovery'): Case['status'] {
  const isResolveDone = steps.some((s) => s.key === 'resolve' && s.status === 'done')
  if (isResolveDone) return 'resolved'
  // With every step pending again (an undo), a new case is open again and a reopened one stays so.
  if (steps.every((s) => s.status === 'pending')) return current === 'reopened' ? 'reopened' : 'open'
  return 'in-recovery'
}

function withStatus(c: Case, status: Case['status'], actor: Actor, events: TimelineEvent[]): Case {
  if (status === c.status) return c
  return {
    ...c,
    status,
    timeline: [...c.timeline, ...events, event(actor, 'status', { field: 'status', before: c.status, after: status })],
  }
}

function changeStep(c: Case, key: StepKey, next: RecoveryStep, actor: Actor): Case {
  if (isClosed(c)) {
    throw new AppError('rule_violation', `Case ${c.number} is closed; reopen it first`, {
      reason: 'case.closed',
      params: { number: c.number },
    })
  }
  const current = c.steps.find((s) => s.key === key)
  if (!current) throw new AppError('not_found', `Unknown step ${key}`, { reason: 'step.unknown' })
  if (current.status !== 'pending') {
    throw new AppError('rule_violation', `Step ${key} is already ${current.status}`, {
      reason: 'step.not_pending',
      params: { step: key, status: current.status },
    })
  }
  const steps = c.steps.map((s) => (s.key === key ? next : s))
  const stepEvent = event(actor, 'step', {
    field: key,
    before: current.status,
    after: next.status,
    ...(next.note ? { note: next.note } : {}),
  })
  const updated: Case = { ...c, steps, updatedAt: actor.at, timeline: [...c.timeline, stepEvent] }
  return withStatus(updated, statusAfterSteps(steps), actor, [])
}

export function completeStep(c: Case, key: StepKey, note: string, actor: Actor): Case {
  const trimmed = note.trim()
  return changeStep(
    c,
    key,
    { key, status: 'done', by: actor.by, at: actor.at, ...(trimmed ? { note: trimmed } : {}) },
    actor,
  )
}

/** Skipping a step is allowed only with a reason: the reason is what makes the skip honest. */
export function skipStep(c: Case, key: StepKey, reason: string, actor: Actor): Case {
  const trimmed = reason.trim()
  if (!trimmed) {
    throw new AppError('rule_violation', 'Skipping a step needs a reason', {
      reason: 'step.skip_needs_reason',
      details: [{ path: 'reason', message: 'Required' }],
    })
  }
  return changeStep(c, key, { key, status: 'skipped', by: actor.by, at: actor.at, note: trimmed }, actor)
}

/**
 * A finished step (done or skipped) back to pending, with the reason on the timeline: a mistaken
 * Done is undone, or the work turned out not to hold. Its earlier record stays in the timeline.
 */
export function reopenStep(c: Case, key: StepKey, reason: string, actor: Actor): Case {
  if (isClosed(c)) {
    throw new AppError('rule_violation', `Case ${c.number} is closed; reopen it first`, {
      reason: 'case.closed',
      params: { number: c.number },
    })
  }
  const current = c.steps.find((s) => s.key === key)
  if (!current) throw new AppError('not_found', `Unknown step ${key}`, { reason: 'step.unknown' })
  if (current.status === 'pending') {
    throw new AppError('rule_violation', `Step ${key} is still pending`, {
      reason: 'step.still_pending',
      params: { step: key },
    })
  }
  const trimmed = reason.trim()
  if (!trimmed) {
    throw new AppError('invalid_input', 'Reopening a step needs a reason', {
      reason: 'step.reopen_needs_reason',
      details: [{ path: 'reason', message: 'Required' }],
    })
  }
  const steps = c.steps.map((s): RecoveryStep => (s.key === key ? { key, status: 'pending' } : s))
  const stepEvent = event(actor, 'stepReopen', { field: key, before: current.status, after: 'pending', note: trimmed })
  const updated: Case = { ...c, steps, updatedAt: actor.at, timeline: [...c.timeline, stepEvent] }
  return withStatus(updated, statusAfterSteps(steps, c.status), actor, [])
}

/**
 * Takes back a close made by mistake, while nothing else has happened to the case since: the
 * status before the close returns and the closure is dropped. Later, Reopen is the honest path.
 */
export function undoClose(c: Case, actor: Actor): Case {
  const last = c.timeline[c.timeline.length - 1]
  if (!isClosed(c) || last?.type !== 'close') {
    throw new AppError('rule_violation', `Case ${c.number} cannot be un-closed; reopen it instead`, {
      reason: 'undo.too_late',
      params: { number: c.number },
    })
  }
  const before = (last.before ?? 'resolved') as Case['status']
  const { closure: _closure, ...rest } = c
  return {
    ...rest,
    status: before,
    updatedAt: actor.at,
    timeline: [...c.timeline, event(actor, 'undo', { field: 'status', before: 'closed', after: before })],
  }
}

/** The steps that must be finished (done, or skipped with a reason) before a case can close. */
export const stepsRequiredToClose: readonly StepKey[] = ['resolve', 'prevent']

export type CloseRefusal = { reason: string; params?: Record<string, string> }

/** Every reason a case cannot close right now; empty when it can. */
export function closeRefusals(c: Pick<Case, 'status' | 'steps'>): CloseRefusal[] {
  if (isClosed(c)) return [{ reason: 'close.already_closed' }]
  return stepsRequiredToClose
    .filter((key) => c.steps.find((s) => s.key === key)?.status === 'pending')
    .map((key) => ({ reason: 'close.step_pending', params: { step: key } }))
}

export type CloseOutcome = { reached: true; satisfaction: number; wouldComeBack: WouldComeBack } | { reached: false }

export function closeCase(c: Case, outcome: CloseOutcome, actor: Actor): Case {
  const refusals = closeRefusals(c)
  if (refusals.length > 0) {
    const pending = refusals.flatMap((r) => (r.params?.step ? [r.params.step] : []))
    const message =
      refusals[0]?.reason === 'close.already_closed'
        ? `Case ${c.number} is already closed`
        : `Case ${c.number} cannot close: ${pending.join(' and ')} must be done or skipped with a reason`
    throw new AppError('rule_violation', message, {
      reason: refusals[0]?.reason === 'close.already_closed' ? 'close.already_closed' : 'close.steps_pending',
      params: { number: c.number, steps: pending.join(', ') },
      details: refusals.map((r) => ({ path: r.params?.step ?? '', message: r.reason })),
    })
  }
  const closure: Closure = outcome.reached
    ? {
        reached: true,
        satisfaction: outcome.satisfaction,
        wouldComeBack: outcome.wouldComeBack,
        closedAt: actor.at,
        closedBy: actor.by,
      }
    : { reached: false, closedAt: actor.at, closedBy: actor.by }
  const note = outcome.reached
    ? `satisfaction ${outcome.satisfaction}/5, would come back: ${outcome.wouldComeBack}`
    : 'customer could not be reached'
  return {
    ...c,
    status: 'closed',
    closure,
    updatedAt: actor.at,
    timeline: [...c.timeline, event(actor, 'close', { field: 'status', before: c.status, after: 'closed', note })],
  }
}

/**
 * Reopening means the fix did not hold, so Resolve and Prevent go back to pending: the case
 * cannot close again until they are done anew. Their earlier values stay in the timeline.
 */
export function reopenCase(c: Case, reason: string, actor: Actor): Case {
  if (!isClosed(c)) {
    throw new AppError('rule_violation', `Case ${c.number} is not closed`, {
      reason: 'reopen.not_closed',
      params: { number: c.number },
    })
  }
  const steps = c.steps.map((s): RecoveryStep =>
    stepsRequiredToClose.includes(s.key) ? { key: s.key, status: 'pending' } : s,
  )
  const { closure: _closure, ...rest } = c
  const trimmed = reason.trim()
  return {
    ...rest,
    status: 'reopened',
    steps,
    updatedAt: actor.at,
    timeline: [
      ...c.timeline,
      event(actor, 'reopen', {
        field: 'status',
        before: 'closed',
        after: 'reopened',
        ...(trimmed ? { note: trimmed } : {}),
      }),
    ],
  }
}

/** `C-2026-0042`: the year it was received and its place in that year. */
export function nextCaseNumber(existingNumbers: Iterable<string>, year: number): string {
  let highest = 0
  for (const number of existingNumbers) {
    const parts = caseNumberParts(number)
    if (parts?.year === String(year)) highest = Math.max(highest, parts.place)
  }
  return `C-${year}-${String(highest + 1).padStart(4, '0')}`
}

/** `C-2026-0042` → year "2026", place 42; another shape (an imported number) has none. */
export function caseNumberParts(number: string): { year: string; place: number } | undefined {
  const year = /^C-(\d+)-/.exec(number)?.[1]
  return year === undefined ? undefined : { year, place: Number(number.slice(`C-${year}-`.length)) }
}
