import { describe, expect, it } from 'vitest'
import { AppError } from '../../src/shared/core/errors'
import {
  closeCase,
  closeRefusals,
  completeStep,
  freshSteps,
  nextCaseNumber,
  nextPendingStep,
  reopenCase,
  skipStep,
} from '../../src/shared/cases/recovery'
import { type Case } from '../../src/shared/schemas'

const t0 = '2026-03-02T09:00:00.000Z'
const at = (minutes: number) => ({ by: 'Anna', at: new Date(Date.parse(t0) + minutes * 60_000).toISOString() })

function newCase(): Case {
  return {
    id: 'c1',
    number: 'C-2026-0001',
    customerId: 'u1',
    summary: 'Cold soup',
    description: '',
    remedySought: 'A hot soup',
    channel: 'formal',
    source: 'in-person',
    category: 'poor-quality',
    severity: 'minor',
    department: 'Kitchen',
    owner: 'Anna',
    status: 'open',
    receivedAt: t0,
    steps: freshSteps(),
    timeline: [],
    updatedAt: t0,
  }
}

function refusalOf(fn: () => unknown): AppError {
  try {
    fn()
  } catch (error) {
    if (error instanceof AppError) return error
    throw error
  }
  throw new Error('expected a refusal')
}

describe('recovery steps', () => {
  it('starts with six pending steps in the order of perfect recovery', () => {
    expect(freshSteps().map((s) => s.key)).toEqual([
      'empathise',
      'apologise',
      'resolve',
      'investigate',
      'add-plus',
      'prevent',
    ])
    expect(nextPendingStep(newCase())).toBe('empathise')
  })

  it('records who did a step, when and the note, and moves the case into recovery', () => {
    const c = completeStep(newCase(), 'empathise', '  Listened  ', at(5))
    expect(c.steps[0]).toEqual({ key: 'empathise', status: 'done', by: 'Anna', at: at(5).at, note: 'Listened' })
    expect(c.status).toBe('in-recovery')
    expect(nextPendingStep(c)).toBe('apologise')
    expect(c.timeline.map((e) => e.type)).toEqual(['step', 'status'])
  })

  it('marks the case resolved once Resolve is done', () => {
    const c = completeStep(newCase(), 'resolve', 'Replaced the soup', at(10))
    expect(c.status).toBe('resolved')
  })

  it('refuses to skip without a reason, and to record a step twice', () => {
    expect(refusalOf(() => skipStep(newCase(), 'add-plus', '   ', at(1))).reason).toBe('step.skip_needs_reason')
    const done = completeStep(newCase(), 'apologise', '', at(1))
    expect(refusalOf(() => completeStep(done, 'apologise', '', at(2))).reason).toBe('step.not_pending')
    expect(refusalOf(() => skipStep(done, 'apologise', 'no', at(2))).reason).toBe('step.not_pending')
  })

  it('never rewrites the timeline: each change appends', () => {
    const a = completeStep(newCase(), 'empathise', '', at(1))
    const b = completeStep(a, 'apologise', '', at(2))
    expect(b.timeline.slice(0, a.timeline.length)).toEqual(a.timeline)
  })
})

describe('closing a case', () => {
  const ready = () =>
    skipStep(completeStep(newCase(), 'resolve', 'Refund', at(1)), 'prevent', 'One-off supplier error', at(2))

  it('is refused while Resolve and Prevent are both pending, naming both', () => {
    expect(closeRefusals(newCase())).toEqual([
      { reason: 'close.step_pending', params: { step: 'resolve' } },
      { reason: 'close.step_pending', params: { step: 'prevent' } },
    ])
    const error = refusalOf(() => closeCase(newCase(), { reached: true, satisfaction: 4, wouldComeBack: 'yes' }, at(3)))
    expect(error.code).toBe('rule_violation')
    expect(error.reason).toBe('close.steps_pending')
    expect(error.params).toMatchObject({ steps: 'resolve, prevent' })
  })

  it('is refused while only Prevent is pending', () => {
    const c = completeStep(newCase(), 'resolve', '', at(1))
    expect(refusalOf(() => closeCase(c, { reached: false }, at(2))).params).toMatchObject({ steps: 'prevent' })
  })

  it('is refused while only Resolve is pending', () => {
    const c = completeStep(newCase(), 'prevent', '', at(1))
    expect(refusalOf(() => closeCase(c, { reached: false }, at(2))).params).toMatchObject({ steps: 'resolve' })
  })

  it('is refused for a case already closed', () => {
    const closed = closeCase(ready(), { reached: false }, at(3))
    expect(refusalOf(() => closeCase(closed, { reached: false }, at(4))).reason).toBe('close.already_closed')
  })

  it('records satisfaction and whether the customer would come back', () => {
    const closed = closeCase(ready(), { reached: true, satisfaction: 5, wouldComeBack: 'yes' }, at(3))
    expect(closed.status).toBe('closed')
    expect(closed.closure).toEqual({
      reached: true,
      satisfaction: 5,
      wouldComeBack: 'yes',
      closedAt: at(3).at,
      closedBy: 'Anna',
    })
  })

  it('records a customer who could not be reached', () => {
    const closed = closeCase(ready(), { reached: false }, at(3))
    expect(closed.closure).toEqual({ reached: false, closedAt: at(3).at, closedBy: 'Anna' })
  })

  it('refuses step changes on a closed case', () => {
    const closed = closeCase(ready(), { reached: false }, at(3))
    expect(refusalOf(() => completeStep(closed, 'empathise', '', at(4))).reason).toBe('case.closed')
  })
})

describe('reopening', () => {
  it('reopens a closed case and puts Resolve and Prevent back to pending', () => {
    const ready = completeStep(completeStep(newCase(), 'resolve', '', at(1)), 'prevent', '', at(2))
    const closed = closeCase(ready, { reached: true, satisfaction: 2, wouldComeBack: 'no' }, at(3))
    const reopened = reopenCase(closed, 'Same problem again', at(60))
    expect(reopened.status).toBe('reopened')
    expect(reopened.closure).toBeUndefined()
    expect(reopened.steps.find((s) => s.key === 'resolve')?.status).toBe('pending')
    expect(reopened.timeline.at(-1)).toMatchObject({ type: 'reopen', note: 'Same problem again' })
    expect(closeRefusals(reopened)).toHaveLength(2)
  })

  it('refuses to reopen a case that is not closed', () => {
    expect(refusalOf(() => reopenCase(newCase(), '', at(1))).reason).toBe('reopen.not_closed')
  })
})

describe('case numbers', () => {
  it('count within the year of receipt', () => {
    expect(nextCaseNumber([], 2026)).toBe('C-2026-0001')
    expect(nextCaseNumber(['C-2026-0041', 'C-2025-0100', 'C-2026-0007'], 2026)).toBe('C-2026-0042')
    expect(nextCaseNumber(['C-2026-9999'], 2026)).toBe('C-2026-10000')
  })
})
