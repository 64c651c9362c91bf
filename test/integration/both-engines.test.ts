import { afterEach, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/services'
import { type ServiceContext } from '../../src/main/services/context'
import { PgStore } from '../../src/main/store/postgres/pgStore'
import { teamInit } from '../../src/main/store/postgres/team'
import { type Method, type MethodOutput } from '../../src/shared/api'
import { type CustomerPromise } from '../../src/shared/promises/promises'
import { type Case } from '../../src/shared/schemas'
import { type TrashItem } from '../../src/shared/trash/schemas'
import { freshTeamDatabase } from '../helpers/pg'
import { openContext, tempDir } from '../helpers/temp'

/**
 * One day's work through the services, run on each engine: the data folder (lowdb) and the team
 * database (PostgreSQL). Every step expects the same answer from both, so the engines cannot drift.
 */

type Desk = ServiceContext & { setNow: (iso: string) => void }

const teamStores: PgStore[] = []
afterEach(async () => {
  for (const store of teamStores.splice(0)) await store.close()
})

async function dataFolderDesk(): Promise<Desk> {
  return openContext(await tempDir())
}

async function teamDesk(): Promise<Desk> {
  const { url } = await freshTeamDatabase()
  await teamInit(url, 'Anna Owner')
  const store = await PgStore.open(url)
  teamStores.push(store)
  let now = new Date('2026-11-23T10:00:00.000Z')
  return { store, now: () => now, setNow: (iso) => (now = new Date(iso)) }
}

async function call<M extends Method>(desk: Desk, method: M, input: unknown): Promise<MethodOutput<M>> {
  const result = await dispatch(desk, method, input)
  if (!result.ok) throw Object.assign(new Error(`${method}: ${result.error.message}`), result.error)
  return result.value
}

const guaranteesOf = (desk: Desk, caseId: string): CustomerPromise[] =>
  [...desk.store.all('promises')].filter((p) => p.caseId === caseId && p.guaranteeId)

describe.each([
  ['the data folder', dataFolderDesk],
  ['the team database', teamDesk],
])('the services on %s', (_engine, open) => {
  it('a complaint through contact, steps, a promise, Trash and back, with the same answers', async () => {
    const desk = await open()
    // The calendar's own zone: "today at close" must not depend on the machine's time zone.
    const { promises } = desk.store.settings
    await call(desk, 'settings:update', {
      currentUser: 'Anna Owner',
      departments: ['Kitchen'],
      promises: { ...promises, calendar: { ...promises.calendar, timeZone: 'Europe/London' } },
    })

    const c = await call(desk, 'cases:create', {
      customerName: 'Margaret Smith',
      summary: 'Soup served cold',
      remedySought: 'A hot soup',
      category: 'poor-quality',
      severity: 'minor',
      department: 'Kitchen',
    })
    expect(c.number).toBe('C-2026-0001')
    expect(guaranteesOf(desk, c.id).map((p) => p.status)).toEqual(['open', 'open'])

    // A call within the hour keeps the first-response guarantee; Resolve keeps the other.
    desk.setNow('2026-11-23T10:45:00.000Z')
    const called = await call(desk, 'contacts:log', {
      caseId: c.id,
      kind: 'call',
      direction: 'out',
      summary: 'Apologised to Margaret Smith; a fresh soup is on its way.',
    })
    expect(called.contacts).toHaveLength(1)
    await call(desk, 'cases:completeStep', { id: c.id, step: 'empathise', note: 'Listened to the whole story.' })
    await call(desk, 'cases:completeStep', { id: c.id, step: 'resolve', note: 'A fresh soup, on the house.' })
    expect(
      guaranteesOf(desk, c.id)
        .map((p) => p.status)
        .sort(),
    ).toEqual(['kept', 'kept'])

    const promise = await call(desk, 'promises:create', {
      caseId: c.id,
      what: 'Call Margaret tomorrow to check all is well',
      due: { kind: 'today' },
    })
    await call(desk, 'promises:keep', { id: promise.id })
    expect(desk.store.get('promises', promise.id)?.status).toBe('kept')

    // Search reaches a step note and the customer on either engine.
    const found = await call(desk, 'search:everywhere', { query: 'on the house' })
    expect(found.groups.find((g) => g.kind === 'stepNote')?.total).toBe(1)
    const byName = await call(desk, 'search:everywhere', { query: 'margaret' })
    expect(byName.groups.find((g) => g.kind === 'customer')?.total).toBe(1)

    // Delete moves the case with its promises to Trash; Restore brings all of it back unchanged.
    const before = desk.store.get('cases', c.id) as Case
    const promisesBefore = [...desk.store.all('promises')].filter((p) => p.caseId === c.id).length
    const item = await call<'cases:delete'>(desk, 'cases:delete', { id: c.id })
    expect((item as TrashItem).kind).toBe('case')
    expect(desk.store.get('cases', c.id)).toBeUndefined()
    expect([...desk.store.all('promises')].filter((p) => p.caseId === c.id)).toHaveLength(0)
    await call(desk, 'trash:restore', { id: (item as TrashItem).id })
    expect(desk.store.get('cases', c.id)).toEqual(before)
    expect([...desk.store.all('promises')].filter((p) => p.caseId === c.id)).toHaveLength(promisesBefore)

    // A refused change leaves the stored record exactly as it was.
    const refused = await dispatch(desk, 'cases:completeStep', { id: c.id, step: 'not-a-step' })
    expect(refused.ok).toBe(false)
    expect(desk.store.get('cases', c.id)).toEqual(before)

    // The month's report counts the same on both.
    const report = await call(desk, 'reports:get', { month: '2026-11' })
    expect(report.topCategories.map((t) => [t.category, t.count])).toEqual([['poor-quality', 1]])
    expect(report.departments.find((d) => d.department === 'Kitchen')?.failures).toBe(1)
  })
})
