import { describe, expect, it } from 'vitest'
import {
  type Escalation,
  type EscalationPromise,
  type PatternInput,
  type SweepChange,
  acknowledgeEscalation,
  byEvidenceOrder,
  defaultEscalationSettings,
  departmentFailures,
  detectPatterns,
  dismissEscalation,
  escalationIdOf,
  noticesFor,
  planEscalationAction,
  resolveEscalation,
  resolveRefusal,
  sweep,
} from '../../src/shared/escalations/escalation'
import { freshSteps } from '../../src/shared/cases/recovery'
import { type Case, type Severity } from '../../src/shared/schemas'

const now = new Date('2026-11-23T10:00:00.000Z')
const daysAgo = (days: number, from = now) => new Date(from.getTime() - days * 86_400_000).toISOString()

type CaseSpec = {
  id: string
  ago: number
  department?: string
  category?: string
  severity?: Severity
  status?: Case['status']
  customerId?: string
  /** Days ago the Prevent step was marked done. */
  preventAgo?: number
}

function aCase(spec: CaseSpec): Case {
  const receivedAt = daysAgo(spec.ago)
  const steps = freshSteps().map((s) =>
    s.key === 'prevent' && spec.preventAgo !== undefined
      ? { ...s, status: 'done' as const, by: 'Tom', at: daysAgo(spec.preventAgo) }
      : s,
  )
  return {
    id: spec.id,
    number: `C-2026-${spec.id.replace(/\D/g, '').padStart(4, '0')}`,
    customerId: spec.customerId ?? `cust-${spec.id}`,
    summary: 'Delivery arrived an hour late',
    description: '',
    remedySought: '',
    channel: 'formal',
    source: 'phone',
    category: spec.category ?? 'long-wait',
    severity: spec.severity ?? 'minor',
    department: spec.department ?? 'Delivery',
    owner: 'Tom',
    status: spec.status ?? 'open',
    receivedAt,
    steps,
    timeline: [],
    updatedAt: receivedAt,
  }
}

function input(parts: Partial<PatternInput>): PatternInput {
  return {
    cases: [],
    grumbles: [],
    promises: [],
    signals: [],
    settings: defaultEscalationSettings(),
    ...parts,
  }
}

const rulesOf = (i: PatternInput, at = now) => detectPatterns(i, at).map((d) => d.rule)
const keysOf = (i: PatternInput, at = now) => detectPatterns(i, at).map((d) => d.patternKey)
const closed = (spec: CaseSpec) => aCase({ ...spec, status: 'closed' })

/** Different customers, so rule 6 stays out of the way unless a test wants it. */
const late = (id: string, ago: number, extra: Partial<CaseSpec> = {}) => aCase({ id, ago, ...extra })

describe('rule 1: recurring failure', () => {
  it('escalates at 3 of one category and department within 30 days, one unresolved', () => {
    const cases = [closed({ id: 'c1', ago: 29 }), closed({ id: 'c2', ago: 10 }), late('c3', 1)]
    const found = detectPatterns(input({ cases }), now).filter((d) => d.rule === 'recurring-failure')
    expect(found).toHaveLength(1)
    expect(found[0]?.patternKey).toBe('recurring-failure/Delivery/long-wait')
    expect(found[0]?.evidence.map((e) => e.id)).toEqual(['c1', 'c2', 'c3'])
  })

  it('does not at 2, nor when the third is outside the window, nor when all are resolved', () => {
    expect(rulesOf(input({ cases: [closed({ id: 'c2', ago: 10 }), late('c3', 1)] }))).not.toContain('recurring-failure')
    expect(
      rulesOf(input({ cases: [closed({ id: 'c1', ago: 31 }), closed({ id: 'c2', ago: 10 }), late('c3', 1)] })),
    ).not.toContain('recurring-failure')
    const allDone = [
      closed({ id: 'c1', ago: 20 }),
      closed({ id: 'c2', ago: 10 }),
      late('c3', 1, { status: 'resolved' }),
    ]
    expect(rulesOf(input({ cases: allDone }))).not.toContain('recurring-failure')
  })

  it('does not mix departments or categories', () => {
    const cases = [late('c1', 3), late('c2', 2, { department: 'Kitchen' }), late('c3', 1, { category: 'hygiene' })]
    expect(rulesOf(input({ cases }))).not.toContain('recurring-failure')
  })

  it('counts grumbles, but a grumble that became a case only once', () => {
    const cases = [late('c1', 5), closed({ id: 'c2', ago: 4 })]
    const grumble = { id: 'g1', heardAt: daysAgo(2), category: 'long-wait', department: 'Delivery' }
    const found = detectPatterns(input({ cases, grumbles: [grumble] }), now).find((d) => d.rule === 'recurring-failure')
    expect(found?.evidence.map((e) => `${e.kind}:${e.id}`)).toEqual(['case:c1', 'case:c2', 'grumble:g1'])
    const linked = { ...grumble, caseId: 'c2' }
    expect(rulesOf(input({ cases, grumbles: [linked] }))).not.toContain('recurring-failure')
  })
})

describe('rule 2: prevention failed', () => {
  it('escalates when the failure recurs within 30 days after Prevent was done', () => {
    const cases = [closed({ id: 'c1', ago: 40, preventAgo: 35 }), late('c2', 6)]
    const found = detectPatterns(input({ cases }), now).find((d) => d.rule === 'prevention-failed')
    expect(found?.evidence).toEqual([
      { kind: 'case', id: 'c1', at: daysAgo(40), role: 'prevented' },
      { kind: 'case', id: 'c2', at: daysAgo(6) },
    ])
  })

  it('does not when it recurs 31 days after, or in another department', () => {
    expect(rulesOf(input({ cases: [closed({ id: 'c1', ago: 40, preventAgo: 36 }), late('c2', 5)] }))).not.toContain(
      'prevention-failed',
    )
    expect(
      rulesOf(
        input({ cases: [closed({ id: 'c1', ago: 40, preventAgo: 35 }), late('c2', 6, { department: 'Kitchen' })] }),
      ),
    ).not.toContain('prevention-failed')
  })
})

describe('rule 3: the Heinrich ladder', () => {
  it('escalates a major case at once, and not a minor one', () => {
    expect(keysOf(input({ cases: [late('c1', 0, { severity: 'major' })] }))).toEqual(['heinrich-major/c1'])
    expect(keysOf(input({ cases: [late('c1', 0)] }))).toEqual([])
  })

  it('escalates 10 minors of one category in 30 days across departments, and not 9', () => {
    const departments = ['Delivery', 'Kitchen', 'Front of house', 'Online orders', 'Bar', 'A', 'B', 'C', 'D', 'E']
    const ten = departments.map((department, i) => closed({ id: `c${i}`, ago: 2 + i, department }))
    expect(keysOf(input({ cases: ten }))).toEqual(['heinrich-ladder/long-wait'])
    expect(keysOf(input({ cases: ten.slice(0, 9) }))).toEqual([])
  })

  it('weighs ten near-misses as one minor', () => {
    const departments = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I']
    const minors = departments.map((department, i) => closed({ id: `m${i}`, ago: 2, department }))
    const nearMisses = (n: number) =>
      Array.from({ length: n }, (_, i) => closed({ id: `n${i}`, ago: 3, severity: 'near-miss', department: `N${i}` }))
    expect(keysOf(input({ cases: [...minors, ...nearMisses(10)] }))).toEqual(['heinrich-ladder/long-wait'])
    expect(keysOf(input({ cases: [...minors, ...nearMisses(9)] }))).toEqual([])
  })
})

describe('rule 4: broken promises', () => {
  const promise = (id: string, department: string, customerId: string, ago: number): EscalationPromise => ({
    id,
    customerId,
    department,
    status: 'broken',
    due: daysAgo(ago + 1),
    brokenAt: daysAgo(ago),
    madeBy: 'Tom',
  })

  it('escalates 2 broken in one department within 30 days, and not 1', () => {
    const two = [promise('p1', 'Delivery', 'a', 20), promise('p2', 'Delivery', 'b', 1)]
    expect(keysOf(input({ promises: two }))).toEqual(['broken-promises/department/Delivery'])
    expect(keysOf(input({ promises: two.slice(1) }))).toEqual([])
    expect(keysOf(input({ promises: [promise('p1', 'Delivery', 'a', 31), two[1] as EscalationPromise] }))).toEqual([])
  })

  it('escalates a second broken promise to the same customer within 90 days', () => {
    const twice = [promise('p1', 'Delivery', 'cust', 80), promise('p2', 'Kitchen', 'cust', 2)]
    expect(keysOf(input({ promises: twice }))).toEqual(['broken-promises/customer/cust'])
    const apart = [promise('p1', 'Delivery', 'cust', 91), promise('p2', 'Kitchen', 'cust', 2)]
    expect(keysOf(input({ promises: apart }))).toEqual([])
  })

  it('counts only broken promises', () => {
    const kept = [promise('p1', 'Delivery', 'a', 3), { ...promise('p2', 'Delivery', 'b', 1), status: 'kept' as const }]
    expect(keysOf(input({ promises: kept }))).toEqual([])
  })
})

describe('rule 5: recovery overdue', () => {
  it('escalates a case past its resolution guarantee with Resolve pending', () => {
    const cases = [closed({ id: 'c0', ago: 60 }), late('c1', 3)]
    expect(keysOf(input({ cases, resolutionDueAt: { c1: daysAgo(0.01) } }))).toEqual(['recovery-overdue/c1'])
  })

  it('does not before the guarantee runs out, or once Resolve is done', () => {
    const c1 = late('c1', 3)
    expect(keysOf(input({ cases: [c1], resolutionDueAt: { c1: now.toISOString() } }))).toEqual([])
    const resolved = {
      ...c1,
      steps: c1.steps.map((s) => (s.key === 'resolve' ? { ...s, status: 'done' as const } : s)),
    }
    expect(keysOf(input({ cases: [resolved], resolutionDueAt: { c1: daysAgo(1) } }))).toEqual([])
  })
})

describe('rule 6: repeat complainer', () => {
  it('escalates a second case from one customer within 90 days, and not 91 days apart', () => {
    const second = [
      closed({ id: 'c1', ago: 89, customerId: 'smith' }),
      late('c2', 0, { customerId: 'smith', category: 'hygiene' }),
    ]
    expect(keysOf(input({ cases: second }))).toEqual(['repeat-complainer/smith'])
    const apart = [closed({ id: 'c1', ago: 91, customerId: 'smith' }), late('c2', 0, { customerId: 'smith' })]
    expect(keysOf(input({ cases: apart }))).toEqual([])
  })

  it('is urgent when the customer also shows silent-churn signals', () => {
    const cases = [closed({ id: 'c1', ago: 30, customerId: 'smith' }), late('c2', 1, { customerId: 'smith' })]
    const signals = [{ id: 's1', customerId: 'smith', detectedAt: daysAgo(0.5), kind: 'visits-dropped' }]
    const found = detectPatterns(input({ cases, signals }), now)[0]
    expect(found?.severity).toBe('high')
    expect(found?.evidence.map((e) => e.kind)).toEqual(['case', 'case', 'signal'])
  })
})

describe('rule 7: department over target', () => {
  const settings = {
    ...defaultEscalationSettings(),
    targets: [{ department: 'Delivery', category: 'long-wait', perMonth: 4 }],
  }
  // 2026-11-23: five this month (days 2..20), all closed so rule 1 stays quiet.
  const inNovember = (n: number) =>
    Array.from({ length: n }, (_, i) => closed({ id: `c${i}`, ago: 1 + i * 4, department: 'Delivery' }))

  it('escalates 5 late deliveries in a month against "at most 4"', () => {
    expect(keysOf(input({ cases: inNovember(5), settings })).filter((k) => k.startsWith('over'))).toEqual([
      'over-target/Delivery/long-wait',
    ])
  })

  it('does not at 4', () => {
    expect(keysOf(input({ cases: inNovember(4), settings })).filter((k) => k.startsWith('over'))).toEqual([])
  })

  it('still shows last month’s miss early in the next month', () => {
    const early = new Date('2026-12-02T10:00:00.000Z')
    expect(keysOf(input({ cases: inNovember(5), settings }), early).filter((k) => k.startsWith('over'))).toEqual([
      'over-target/Delivery/long-wait',
    ])
  })

  it('tabulates each department month by month against its targets', () => {
    const table = departmentFailures(
      { ...input({ cases: inNovember(5), settings }), departments: ['Kitchen', 'Delivery'] },
      now,
      3,
    )
    expect(table.months).toEqual(['2026-09', '2026-10', '2026-11'])
    expect(table.departments).toEqual([
      { department: 'Kitchen', rows: [] },
      { department: 'Delivery', rows: [{ category: 'long-wait', counts: [0, 0, 5], target: 4 }] },
    ])
  })
})

const actor = (at: Date, by = 'Anna') => ({ by, at: at.toISOString() })
const apply = (existing: Escalation[], changes: SweepChange[]) => {
  const byId = new Map(existing.map((e) => [e.id, e]))
  for (const c of changes) byId.set(c.escalation.id, c.escalation)
  return [...byId.values()]
}

describe('the sweep', () => {
  const pattern = [closed({ id: 'c1', ago: 20 }), closed({ id: 'c2', ago: 10 }), late('c3', 1)]

  it('is deterministic and idempotent: same data and time, same result; twice changes nothing', () => {
    const first = sweep(input({ cases: pattern }), [], now)
    expect(sweep(input({ cases: pattern }), [], now)).toEqual(first)
    expect(first.map((c) => c.change)).toEqual(['raised'])
    expect(first[0]?.escalation.id).toBe(escalationIdOf('recurring-failure/Delivery/long-wait'))
    expect(sweep(input({ cases: pattern }), apply([], first), now)).toEqual([])
    expect(sweep(input({ cases: pattern }), apply([], first), new Date(now.getTime() + 3_600_000))).toEqual([])
  })

  it('never opens a second escalation for one pattern: new evidence joins the open one', () => {
    const raised = apply([], sweep(input({ cases: pattern }), [], now))
    const acknowledged = [acknowledgeEscalation(raised[0] as Escalation, { manager: 'Anna', note: 'Seen' }, actor(now))]
    const later = new Date(now.getTime() + 2 * 86_400_000)
    const changes = sweep(input({ cases: [...pattern, late('c4', -1)] }), acknowledged, later)
    expect(changes.map((c) => [c.change, c.added, c.escalation.status])).toEqual([['evidence', 1, 'acknowledged']])
    expect(changes[0]?.escalation.evidence.map((e) => e.id)).toEqual(['c1', 'c2', 'c3', 'c4'])
    expect(changes[0]?.escalation.lastSeenAt).toBe(daysAgo(-1))
  })

  it('resolves only after a quiet period, and reopens with "prevention failed" when the pattern returns', () => {
    const settings = defaultEscalationSettings()
    let [e] = apply([], sweep(input({ cases: pattern }), [], now)) as [Escalation]
    const active = (at: Date, cases: Case[]) => new Set(detectPatterns(input({ cases }), at).map((d) => d.patternKey))
    expect(resolveRefusal(e, active(now, pattern), settings, now)?.reason).toBe('escalation.no_action')
    e = acknowledgeEscalation(e, { manager: 'Anna', note: 'Seen' }, actor(now))
    e = planEscalationAction(e, { what: 'Second van', owner: 'Tom', dueAt: daysAgo(-14) }, actor(now))
    expect(resolveRefusal(e, active(now, pattern), settings, now)?.reason).toBe('escalation.still_active')
    // All three closed: not firing, but the last one was only 10 days ago.
    const fixed = pattern.map((c) => ({ ...c, status: 'closed' as const }))
    const soon = new Date(now.getTime() + 10 * 86_400_000)
    expect(resolveRefusal(e, active(soon, fixed), settings, soon)).toMatchObject({
      reason: 'escalation.not_quiet',
      params: { days: 30, quietUntil: daysAgo(-29) },
    })
    expect(() => resolveEscalation(e, '', resolveRefusal(e, active(soon, fixed), settings, soon), actor(soon))).toThrow(
      /not been quiet/,
    )
    const quiet = new Date(now.getTime() + 29 * 86_400_000)
    e = resolveEscalation(e, 'Vans on time', resolveRefusal(e, active(quiet, fixed), settings, quiet), actor(quiet))
    expect(e.status).toBe('resolved')
    expect(sweep(input({ cases: fixed }), [e], quiet)).toEqual([])

    const back = new Date(quiet.getTime() + 5 * 86_400_000)
    const returned = [...fixed, late('c5', -31), late('c6', -32), late('c7', -33)]
    const changes = sweep(input({ cases: returned }), [e], back)
    expect(changes.map((c) => c.change)).toEqual(['reopened'])
    const reopened = changes[0]?.escalation as Escalation
    expect(reopened).toMatchObject({ status: 'raised', isPreventionFailed: true, reopenCount: 1, severity: 'high' })
    expect(reopened.id).toBe(e.id)
    expect(reopened.action).toBeUndefined()
    expect(reopened.history.map((h) => h.type)).toEqual([
      'raised',
      'acknowledged',
      'action-planned',
      'resolved',
      'reopened',
    ])
    expect(noticesFor(changes)).toEqual([{ escalationId: e.id, kind: 'reopened', rule: 'recurring-failure' }])
  })

  it('keeps a dismissed escalation dismissed until new evidence arrives', () => {
    const [raised] = apply([], sweep(input({ cases: pattern }), [], now)) as [Escalation]
    expect(() => dismissEscalation(raised, '  ', actor(now))).toThrow(/needs a reason/)
    const dismissed = dismissEscalation(raised, 'Road works, once', actor(now))
    expect(sweep(input({ cases: pattern }), [dismissed], now)).toEqual([])
    const changes = sweep(input({ cases: [...pattern, late('c4', 0)] }), [dismissed], now)
    expect(changes.map((c) => [c.change, c.escalation.status, c.escalation.isPreventionFailed])).toEqual([
      ['re-raised', 'raised', false],
    ])
  })

  it('refuses steps out of order, and an acknowledgement without a note', () => {
    const [raised] = apply([], sweep(input({ cases: pattern }), [], now)) as [Escalation]
    expect(() => planEscalationAction(raised, { what: 'x', owner: 'y', dueAt: daysAgo(-1) }, actor(now))).toThrow(
      /cannot be planned while it is raised/,
    )
    expect(() => acknowledgeEscalation(raised, { manager: 'Anna', note: '' }, actor(now))).toThrow(/needs a note/)
  })
})

describe('evidence order', () => {
  it('orders evidence by its ISO time, then kind and id, exactly as the collation stored escalations were ordered by', () => {
    const evidence = [
      { kind: 'grumble' as const, id: 'b', at: '2026-03-01T10:00:00.500Z' },
      { kind: 'case' as const, id: 'z', at: '2026-03-01T10:00:00Z' },
      { kind: 'grumble' as const, id: 'a', at: '2026-03-01T10:00:00.500Z' },
      { kind: 'case' as const, id: 'y', at: '2026-03-01T09:59:59.999Z' },
      { kind: 'promise' as const, id: 'a', at: '2026-03-01T10:00:00.500Z' },
    ]
    const sorted = [...evidence].sort(byEvidenceOrder)
    expect(sorted.map((e) => `${e.kind}:${e.id}`)).toEqual(['case:y', 'grumble:a', 'grumble:b', 'promise:a', 'case:z'])
    const collated = [...evidence].sort(
      (a, b) => a.at.localeCompare(b.at) || a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id),
    )
    expect(sorted).toEqual(collated)
  })
})
