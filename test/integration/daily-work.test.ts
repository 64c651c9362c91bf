import { describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/services'
import { type ServiceContext } from '../../src/main/services/context'
import { type MyWork, type ReadyToClose, type TeamWork } from '../../src/shared/api'
import { type Case } from '../../src/shared/schemas'
import { openContext, tempDir } from '../helpers/temp'

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
    const ctx = await openContext(await tempDir())
    await call(ctx, 'demo:load')
    const open = [...ctx.store.all('cases')].filter((c) => c.status !== 'closed')
    const someone = open.find((c) => c.owner)?.owner as string
    await call(ctx, 'settings:update', { currentUser: someone })
    const mine = await call<MyWork>(ctx, 'today:mine')
    expect(mine.person).toBe(someone)
    const owned = open.filter((c) => c.owner === someone)
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

    await call(ctx, 'settings:update', { currentUser: '' })
    expect(await call<MyWork>(ctx, 'today:mine')).toMatchObject({ person: '', cases: [], promises: [], escalations: [] })
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
