import { describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/services'
import { type Rubric } from '../../src/shared/rubrics/rubrics'
import { makeCase, makeCustomer } from '../helpers/records'
import { openContext, tempDir, unnamedActor } from '../helpers/temp'

const scores = { timing: 4, information: 5, connection: 3, differentiation: 2 }

describe('rubrics on a real data folder', () => {
  it('scores a closed case; scoring again replaces it and keeps when it was first given', async () => {
    const ctx = await openContext(await tempDir(), { now: '2026-11-02T10:00:00.000Z' })
    const closed = makeCase(0, '2026-10-02T09:00:00.000Z', 1, 'cust-1')
    expect(closed.status).toBe('closed')
    await ctx.store.commit([
      { collection: 'customers', value: makeCustomer(1) },
      { collection: 'cases', value: closed },
    ])
    const first = await dispatch(ctx, 'rubrics:score', { caseId: closed.id, scores, comment: ' Good. ' })
    expect(first).toMatchObject({ ok: true, value: { caseId: closed.id, comment: 'Good.', scoredBy: unnamedActor } })
    ctx.setNow('2026-11-20T10:00:00.000Z')
    await dispatch(ctx, 'rubrics:score', { caseId: closed.id, scores: { ...scores, timing: 1 } })
    const got = await dispatch(ctx, 'rubrics:get', { caseId: closed.id })
    expect(got.ok && (got.value as Rubric)).toMatchObject({
      scores: { timing: 1 },
      scoredAt: '2026-11-20T10:00:00.000Z',
      firstScoredAt: '2026-11-02T10:00:00.000Z',
    })
    expect(ctx.store.count('rubrics')).toBe(1)
  })

  it('refuses an open case, a level outside 1–5 and an unknown case, writing nothing', async () => {
    const ctx = await openContext(await tempDir())
    const open = makeCase(1, '2026-10-02T09:00:00.000Z', 1, 'cust-1')
    expect(open.status).toBe('open')
    await ctx.store.commit([
      { collection: 'customers', value: makeCustomer(1) },
      { collection: 'cases', value: open },
    ])
    expect(await dispatch(ctx, 'rubrics:score', { caseId: open.id, scores })).toMatchObject({
      ok: false,
      error: { code: 'rule_violation', reason: 'rubric.case_not_closed', params: { number: open.number } },
    })
    expect(await dispatch(ctx, 'rubrics:score', { caseId: open.id, scores: { ...scores, timing: 6 } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    })
    expect(await dispatch(ctx, 'rubrics:score', { caseId: 'nope', scores })).toMatchObject({
      ok: false,
      error: { code: 'not_found', reason: 'case.not_found' },
    })
    expect(ctx.store.count('rubrics')).toBe(0)
  })

  it('averages per case owner and per department', async () => {
    const ctx = await openContext(await tempDir())
    // makeCase: cases 0 and 3 are Anna's in Kitchen, case 4 is Béla's in Front desk; all three closed here.
    const cases = [0, 3, 4].map((i) => ({
      ...makeCase(i, '2026-10-02T09:00:00.000Z', 1, 'cust-1'),
      status: 'closed' as const,
    }))
    await ctx.store.commit([
      { collection: 'customers', value: makeCustomer(1) },
      ...cases.map((value) => ({ collection: 'cases' as const, value })),
    ])
    await dispatch(ctx, 'rubrics:score', { caseId: cases[0]!.id, scores })
    await dispatch(ctx, 'rubrics:score', { caseId: cases[1]!.id, scores: { ...scores, timing: 1 } })
    await dispatch(ctx, 'rubrics:score', { caseId: cases[2]!.id, scores: { ...scores, connection: 5 } })
    const averages = await dispatch(ctx, 'rubrics:averages', {})
    if (!averages.ok) throw new Error(averages.error.message)
    expect(averages.value.scored).toBe(3)
    expect(averages.value.people).toEqual([
      { name: 'Anna', count: 2, timing: 2.5, information: 5, connection: 3, differentiation: 2, overall: 3.13 },
      { name: 'Béla', count: 1, timing: 4, information: 5, connection: 5, differentiation: 2, overall: 4 },
    ])
    expect(averages.value.departments.map((d) => [d.name, d.count])).toEqual([
      ['Front desk', 1],
      ['Kitchen', 2],
    ])
  })
})
