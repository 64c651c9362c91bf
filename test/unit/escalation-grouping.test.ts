import { describe, expect, it } from 'vitest'
import { type GroupableEscalation, groupEscalations, matchesFilter } from '../../src/shared/escalations/grouping'

let counter = 0
const e = (
  rule: GroupableEscalation['rule'],
  subject: GroupableEscalation['subject'],
  extra: Partial<GroupableEscalation> = {},
): GroupableEscalation => ({
  id: `esc-${++counter}`,
  rule,
  subject,
  severity: 'medium',
  status: 'raised',
  lastSeenAt: '2026-11-20T10:00:00.000Z',
  ...extra,
})

describe('grouping the escalation inbox', () => {
  it('makes one digest of every repeat complainer', () => {
    const repeaters = ['a', 'b', 'c', 'd'].map((customerId) => e('repeat-complainer', { customerId }))
    const groups = groupEscalations(repeaters)
    expect(groups).toHaveLength(1)
    expect(groups[0]).toMatchObject({ kind: 'repeat-complainers', key: 'repeat-complainers' })
    expect(groups[0]?.escalations.map((x) => x.subject.customerId)).toEqual(['a', 'b', 'c', 'd'])
    // A digest stays a digest for one customer, so the row reads the same every day.
    expect(groupEscalations(repeaters.slice(0, 1))[0]?.kind).toBe('repeat-complainers')
  })

  it('puts a pattern, its "prevention failed" follow-up and its missed target in one row', () => {
    const delivery = { department: 'Delivery', category: 'long-wait' }
    const list = [
      e('recurring-failure', delivery),
      e('prevention-failed', { department: 'Kitchen', category: 'long-wait' }),
      e('prevention-failed', delivery, { severity: 'high' }),
      e('over-target', delivery),
    ]
    const groups = groupEscalations(list)
    expect(groups.map((g) => [g.kind, g.escalations.map((x) => x.rule)])).toEqual([
      ['pattern', ['recurring-failure', 'prevention-failed', 'over-target']],
      ['single', ['prevention-failed']],
    ])
    // The row is as severe as its worst member.
    expect(groups[0]?.severity).toBe('high')
  })

  it('joins a major case and its overdue recovery, and leaves unrelated ones alone', () => {
    const list = [
      e('heinrich-major', { caseId: 'c1', department: 'Kitchen', category: 'poor-quality' }),
      e('broken-promises', { department: 'Kitchen' }),
      e('recovery-overdue', { caseId: 'c1', department: 'Kitchen', category: 'poor-quality' }),
      e('heinrich-ladder', { category: 'poor-quality' }),
      e('recovery-overdue', { caseId: 'c2' }),
    ]
    const groups = groupEscalations(list)
    expect(groups.map((g) => [g.kind, g.escalations.length])).toEqual([
      ['case', 2],
      ['single', 1],
      ['single', 1],
      ['single', 1],
    ])
    // Keys stay stable, so an open row stays open after a refresh.
    expect(groupEscalations(list).map((g) => g.key)).toEqual(groups.map((g) => g.key))
  })

  it('keeps the order of each group’s first member (the list comes sorted)', () => {
    const list = [
      e('heinrich-major', { caseId: 'c9' }),
      e('repeat-complainer', { customerId: 'a' }),
      e('recurring-failure', { department: 'Bar', category: 'other' }),
      e('repeat-complainer', { customerId: 'b' }),
    ]
    expect(groupEscalations(list).map((g) => g.kind)).toEqual(['single', 'repeat-complainers', 'single'])
  })

  it('filters by status (open = not yet resolved or dismissed), rule, department, severity and owner', () => {
    const planned = {
      ...e('recurring-failure', { department: 'Delivery', category: 'long-wait' }, { status: 'action-planned' }),
      action: {
        what: 'x',
        owner: 'Tom Baker',
        dueAt: '2026-12-01T00:00:00.000Z',
        by: 'Anna',
        at: '2026-11-20T00:00:00.000Z',
      },
    }
    const resolved = e(
      'heinrich-major',
      { caseId: 'c1', department: 'Kitchen' },
      { status: 'resolved', severity: 'high' },
    )
    const overdue = { ...e('recovery-overdue', { caseId: 'c2', department: 'Kitchen' }), caseOwner: 'Li Wei' }
    expect(matchesFilter(planned, { status: 'open' })).toBe(true)
    expect(matchesFilter(resolved, { status: 'open' })).toBe(false)
    expect(matchesFilter(resolved, { status: 'resolved' })).toBe(true)
    expect(matchesFilter(resolved, { status: '' })).toBe(true)
    expect(matchesFilter(planned, { rule: 'recurring-failure', department: 'Delivery' })).toBe(true)
    expect(matchesFilter(planned, { department: 'Kitchen' })).toBe(false)
    expect(matchesFilter(resolved, { severity: 'high' })).toBe(true)
    expect(matchesFilter(planned, { severity: 'high' })).toBe(false)
    // The owner is the planned action's, else the case's.
    expect(matchesFilter(planned, { owner: 'Tom Baker' })).toBe(true)
    expect(matchesFilter(overdue, { owner: 'Li Wei' })).toBe(true)
    expect(matchesFilter(overdue, { owner: 'Tom Baker' })).toBe(false)
  })
})
