import { describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/services'
import { type ServiceContext } from '../../src/main/services/context'
import { type MyWork, type ReadyToClose, type TeamWork } from '../../src/shared/api'
import { type Case } from '../../src/shared/schemas'
import { engine, openContext, tempDir } from '../helpers/temp'

async function call<T>(ctx: ServiceContext, method: Parameters<typeof dispatch>[1], input: unknown = {}): Promise<T> {
  const result = await dispatch(ctx, method, input)
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`)
  return result.value as T
}

describe('Today: Mine, Team and Ready to close, on the sample data', () => {
  it('lists every case with all six steps finished but not closed, waiting longest first', async () => {
    const ctx = await openContext(await tempDir())
    await call(ctx, 'demo:load')
    const ready = await call<ReadyToClose>(ctx, 'today:readyToClose')
    const expected = [...ctx.store.all('cases')].filter(
      (c) => c.status !== 'closed' && c.steps.every((s) => s.status !== 'pending'),
    )
    expect(expected.length).toBeGreaterThan(0)
    expect(ready.cases.map((c) => c.id).sort()).toEqual(expected.map((c) => c.id).sort())
    const since = ready.cases.map((c) => c.readySince)
    expect(since).toEqual([...since].sort())
    // None of them is on Today's next-step list: this section is the only place they show.
    const today = await call<{ cases: { id: string }[]; total: number }>(ctx, 'today:get')
    const onToday = new Set(today.cases.map((c) => c.id))
    expect(ready.cases.filter((c) => onToday.has(c.id))).toEqual([])

    // Closing one takes it off the list.
    const first = ready.cases[0] as (typeof ready.cases)[number]
    await call(ctx, 'cases:close', { id: first.id, reached: true, satisfaction: 5, wouldComeBack: 'yes' })
    const after = await call<ReadyToClose>(ctx, 'today:readyToClose')
    expect(after.cases.map((c) => c.id)).toEqual(ready.cases.slice(1).map((c) => c.id))
  })

  it('Mine holds only what the current user owns or promised; a hand-off moves a case there', async () => {
    // A person of the sample data: "Working as" on the folder, the login's person on the team database.
    const someone = 'Tom Baker'
    const ctx = await openContext(await tempDir(), { user: someone })
    await call(ctx, 'demo:load')
    const open = [...ctx.store.all('cases')].filter((c) => c.status !== 'closed')
    await call(ctx, 'settings:update', { currentUser: someone })
    const mine = await call<MyWork>(ctx, 'today:mine')
    expect(mine.person).toBe(someone)
    const owned = open.filter((c) => c.owner === someone)
    expect(owned.length).toBeGreaterThan(0)
    expect(mine.cases.map((c) => c.id).sort()).toEqual(owned.map((c) => c.id).sort())
    const ownedIds = new Set(owned.map((c) => c.id))
    for (const p of mine.promises) {
      expect(p.status).toBe('open')
      expect(p.madeBy === someone || (p.caseId !== undefined && ownedIds.has(p.caseId))).toBe(true)
    }
    for (const e of mine.escalations) expect(e.action?.owner).toBe(someone)

    const other = open.find((c) => c.owner !== someone) as Case
    await call(ctx, 'cases:assign', { id: other.id, owner: someone, note: 'You know this customer' })
    const later = await call<MyWork>(ctx, 'today:mine')
    expect(later.cases.map((c) => c.id)).toContain(other.id)
  })

  // Nobody working is a data folder's state only: a team desk always works as its login's person.
  it.runIf(engine === 'folder')('with nobody set as "Working as", Mine is empty', async () => {
    const ctx = await openContext(await tempDir())
    await call(ctx, 'demo:load')
    await call(ctx, 'settings:update', { currentUser: '' })
    expect(await call<MyWork>(ctx, 'today:mine')).toMatchObject({
      person: '',
      cases: [],
      promises: [],
      escalations: [],
    })
  })

  it('Team counts each person’s open cases and overdue promises, and names their oldest untouched case', async () => {
    const ctx = await openContext(await tempDir())
    await call(ctx, 'demo:load')
    const team = await call<TeamWork>(ctx, 'today:team')
    const open = [...ctx.store.all('cases')].filter((c) => c.status !== 'closed')
    for (const member of team.members) {
      const theirs = open.filter((c) => c.owner === member.person)
      expect(member.openCases).toBe(theirs.length)
      const oldest = [...theirs].sort((a, b) => a.updatedAt.localeCompare(b.updatedAt))[0]
      expect(member.oldestUntouched?.id ?? null).toBe(oldest?.id ?? null)
    }
    expect(team.members.reduce((n, m) => n + m.openCases, 0) + team.unowned).toBe(open.length)
    expect(team.members.some((m) => m.overduePromises > 0)).toBe(true)
    const raised = [...ctx.store.all('escalations')].filter((e) => e.status === 'raised').length
    expect(team.unacknowledgedEscalations).toBe(raised)
  })
})

describe('Undo and reopening a finished step', () => {
  async function newCase(ctx: ServiceContext) {
    await call(ctx, 'settings:update', { currentUser: 'Anna' })
    return call<Case>(ctx, 'cases:create', { customerName: 'Margaret Smith', summary: 'Cold soup', category: 'other' })
  }

  it('reopens a finished step only with a reason, and the timeline keeps both lines', async () => {
    const ctx = await openContext(await tempDir(), { user: 'Anna' })
    const c = await newCase(ctx)
    await call(ctx, 'cases:completeStep', { id: c.id, step: 'empathise', note: 'listened' })
    const refused = await dispatch(ctx, 'cases:reopenStep', { id: c.id, step: 'empathise', reason: ' ' })
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input', reason: 'step.reopen_needs_reason' } })
    const pending = await dispatch(ctx, 'cases:reopenStep', { id: c.id, step: 'apologise', reason: 'why' })
    expect(pending).toMatchObject({ ok: false, error: { reason: 'step.still_pending' } })
    const reopened = await call<Case>(ctx, 'cases:reopenStep', {
      id: c.id,
      step: 'empathise',
      reason: 'Pressed Done by mistake',
    })
    expect(reopened.steps[0]).toEqual({ key: 'empathise', status: 'pending' })
    // Every step pending again: the case is open as before the mistaken Done.
    expect(reopened.status).toBe('open')
    // Guarantee promises follow the steps and log their own lines: only the case's own lines here.
    const caseLines = reopened.timeline.filter((e) => e.type !== 'promise')
    expect(caseLines.slice(-4).map((e) => [e.type, e.field, e.before, e.after, e.note])).toEqual([
      ['step', 'empathise', 'pending', 'done', 'listened'],
      ['status', 'status', 'open', 'in-recovery', undefined],
      ['stepReopen', 'empathise', 'done', 'pending', 'Pressed Done by mistake'],
      ['status', 'status', 'in-recovery', 'open', undefined],
    ])
  })

  it('takes back a close while nothing has happened since, and refuses once something has', async () => {
    const ctx = await openContext(await tempDir(), { user: 'Anna' })
    const c = await newCase(ctx)
    for (const step of ['resolve', 'prevent'] as const) await call(ctx, 'cases:completeStep', { id: c.id, step })
    await call(ctx, 'cases:close', { id: c.id, reached: true, satisfaction: 4, wouldComeBack: 'yes' })
    const undone = await call<Case>(ctx, 'cases:undoClose', { id: c.id })
    expect(undone.status).toBe('resolved')
    expect(undone.closure).toBeUndefined()
    expect(undone.timeline.at(-1)).toMatchObject({ type: 'undo', before: 'closed', after: 'resolved' })

    await call(ctx, 'cases:close', { id: c.id, reached: false })
    // Something happens after the close: a promise made on the case and kept (guarantees follow the steps).
    const promise = await call<{ id: string }>(ctx, 'promises:create', {
      caseId: c.id,
      what: 'Send the voucher',
      due: { kind: 'business-days', n: 2 },
    })
    await call(ctx, 'promises:keep', { id: promise.id })
    const before = ctx.store.get('cases', c.id)
    const late = await dispatch(ctx, 'cases:undoClose', { id: c.id })
    expect(late).toMatchObject({ ok: false, error: { reason: 'undo.too_late' } })
    expect(ctx.store.get('cases', c.id)).toEqual(before)
  })

  it('takes back a Kept or a Broken promise: open again, and the case timeline says so', async () => {
    const ctx = await openContext(await tempDir(), { user: 'Anna' })
    const c = await newCase(ctx)
    // Promises made by a person: the two guarantee promises follow the recovery steps, not Kept/Broken.
    const due = { kind: 'business-days', n: 2 } as const
    const first = await call<{ id: string }>(ctx, 'promises:create', { caseId: c.id, what: 'Call back', due })
    const second = await call<{ id: string }>(ctx, 'promises:create', { caseId: c.id, what: 'Send a voucher', due })
    await call(ctx, 'promises:keep', { id: first.id })
    const reopened = await call<{ status: string; closedAt?: string }>(ctx, 'promises:undoClose', { id: first.id })
    expect(reopened).toMatchObject({ status: 'open' })
    expect(reopened.closedAt).toBeUndefined()
    await call(ctx, 'promises:break', { id: second.id, whatHappened: 'forgot', isLoggedOnCase: false })
    expect(await call(ctx, 'promises:undoClose', { id: second.id })).toMatchObject({ status: 'open' })
    const timeline = ctx.store.get('cases', c.id)?.timeline ?? []
    expect(timeline.filter((e) => e.type === 'promise').map((e) => e.field)).toEqual([
      'made',
      'made',
      'made',
      'made',
      'kept',
      'undone',
      'broken',
      'undone',
    ])
    await call(ctx, 'promises:cancel', { id: second.id, reason: 'customer moved away' })
    expect(await dispatch(ctx, 'promises:undoClose', { id: second.id })).toMatchObject({
      ok: false,
      error: { reason: 'undo.too_late' },
    })
  })
})
