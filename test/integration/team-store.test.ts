import { type Client } from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/services'
import { type ServiceContext } from '../../src/main/services/context'
import { PgStore } from '../../src/main/store/postgres/pgStore'
import { groupRole, teamInit } from '../../src/main/store/postgres/team'
import { AppError } from '../../src/shared/core/errors'
import { type Case } from '../../src/shared/schemas'
import { asSuperuser, freshTeamDatabase } from '../helpers/pg'
import { makeCase, makeCustomer } from '../helpers/records'
import { ok, within } from '../helpers/results'

const opened: PgStore[] = []
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close()
})

async function openTeam(url: string, options: { isReadOnly?: boolean } = {}): Promise<PgStore> {
  const store = await PgStore.open(url, options)
  opened.push(store)
  return store
}

function contextOf(store: PgStore): ServiceContext {
  const now = new Date('2026-11-23T10:00:00.000Z')
  return { store, now: () => now }
}

const newCase = (summary: string) => ({
  customerName: 'Margaret Smith',
  summary,
  remedySought: 'A hot soup',
  category: 'poor-quality',
  department: 'Kitchen',
})

describe('the team engine on a real PostgreSQL server', () => {
  it('keeps what the services write and reads it back on a new connection', async () => {
    const { url } = await freshTeamDatabase()
    await teamInit(url, 'Anna Owner')
    const store = await openTeam(url)
    const ctx = contextOf(store)
    await ok(dispatch(ctx, 'settings:update', { departments: ['Kitchen'] }))
    const created = await ok<Case>(dispatch(ctx, 'cases:create', newCase('Cold soup')))
    expect(created.number).toBe('C-2026-0001')
    await ok(dispatch(ctx, 'cases:completeStep', { id: created.id, step: 'empathise', note: 'Called back' }))
    const written = store.dataSet()

    const again = await openTeam(url)
    expect(again.dataSet()).toEqual(written)
    // Working as: the person of the login, not a name anyone typed.
    expect(again.settings.currentUser).toBe('Anna Owner')
    expect(again.settings.departments).toEqual(['Kitchen'])
    const types = again.get('cases', created.id)?.timeline.map((e) => e.type) ?? []
    expect(types[0]).toBe('created')
    expect(types).toContain('step')
  })

  it('shows a change made on one connection on another within a second (LISTEN/NOTIFY)', async () => {
    const { url } = await freshTeamDatabase()
    await teamInit(url, 'Anna Owner')
    const desk1 = await openTeam(url)
    const desk2 = await openTeam(url)
    const changed: string[][] = []
    desk2.onChange((kinds) => changed.push(kinds))
    const created = await ok<Case>(dispatch(contextOf(desk1), 'cases:create', newCase('Cold soup')))
    // Within the second the other desk holds the case and has told its listeners (which it does
    // once every kind the notice names is read again, so not necessarily at the same instant).
    const took = await within(
      1000,
      () => desk2.get('cases', created.id) !== undefined && changed.flat().includes('cases'),
    )
    expect(desk2.get('cases', created.id)).toEqual(created)
    await ok(dispatch(contextOf(desk1), 'cases:update', { id: created.id, summary: 'Cold soup, again' }))
    await within(1000, () => desk2.get('cases', created.id)?.summary === 'Cold soup, again')
    process.stdout.write(`change to other desk: ${took.toFixed(0)} ms\n`)
  })

  it('answers conflict to an update based on an older version and keeps the other writer’s change', async () => {
    const { url } = await freshTeamDatabase()
    await teamInit(url, 'Anna Owner')
    const desk1 = await openTeam(url)
    const created = await ok<Case>(dispatch(contextOf(desk1), 'cases:create', newCase('Cold soup')))
    // Another writer changes the row without a notice this desk hears: its copy is now stale.
    await asSuperuser(
      (client) =>
        client.query(
          `update cases set version = version + 1, record = jsonb_set(record, '{summary}', '"Edited elsewhere"') where id = $1`,
          [created.id],
        ),
      new URL(url).pathname.slice(1),
    )
    const stale = await dispatch(contextOf(desk1), 'cases:update', { id: created.id, summary: 'Edited at desk 1' })
    expect(stale.ok).toBe(false)
    if (!stale.ok) expect(stale.error).toMatchObject({ code: 'conflict', reason: 'store.stale_version' })
    // The refused desk now holds the current copy, and the stored row is desk 2's.
    expect(desk1.get('cases', created.id)?.summary).toBe('Edited elsewhere')
    const fresh = await openTeam(url)
    expect(fresh.get('cases', created.id)?.summary).toBe('Edited elsewhere')
    // Based on the current copy, the same edit goes through.
    await ok(dispatch(contextOf(desk1), 'cases:update', { id: created.id, summary: 'Edited at desk 1' }))
    await within(1000, () => fresh.get('cases', created.id)?.summary === 'Edited at desk 1')
  })

  it('keeps case numbers unique when four desks create cases at the same time', async () => {
    const { url } = await freshTeamDatabase()
    await teamInit(url, 'Anna Owner')
    const desks = await Promise.all([1, 2, 3, 4].map(() => openTeam(url)))
    const made = await Promise.all(
      desks.flatMap((desk, d) =>
        [1, 2, 3, 4, 5].map((n) => ok<Case>(dispatch(contextOf(desk), 'cases:create', newCase(`desk ${d} case ${n}`)))),
      ),
    )
    const numbers = made.map((c) => c.number)
    expect(new Set(numbers).size).toBe(20)
    const stored = await openTeam(url)
    expect(new Set([...stored.all('cases')].map((c) => c.number)).size).toBe(20)
    expect(stored.count('cases')).toBe(20)
  })

  it('refuses a write the database refuses, leaving memory as it was', async () => {
    const { url } = await freshTeamDatabase()
    await teamInit(url, 'Anna Owner')
    const store = await openTeam(url)
    const customer = makeCustomer(1)
    await store.commit([{ collection: 'customers', value: customer }])
    const before = store.dataSet()
    // Another writer takes the id of the case this desk is about to create.
    const taken = makeCase(1, '2026-11-02T09:00:00.000Z', 1, customer.id)
    await asSuperuser(
      (client: Client) =>
        client.query(`insert into cases (id, month, version, record) values ($1, '2026-11', 1, $2)`, [
          taken.id,
          { ...taken, number: 'C-2026-999999' },
        ]),
      new URL(url).pathname.slice(1),
    )
    const failed = await store.commit([{ collection: 'cases', value: { ...taken, summary: 'mine' } }]).catch((e) => e)
    expect(failed).toBeInstanceOf(AppError)
    expect(failed).toMatchObject({ code: 'conflict', reason: 'store.stale_version' })
    expect(store.dataSet().collections.customers).toEqual(before.collections.customers)
    expect(store.get('cases', taken.id)?.number).toBe('C-2026-999999')
  })

  it('opens read-only: reads, and refuses commits', async () => {
    const { url } = await freshTeamDatabase()
    await teamInit(url, 'Anna Owner')
    const store = await openTeam(url, { isReadOnly: true })
    await expect(store.commit([{ collection: 'customers', value: makeCustomer(2) }])).rejects.toMatchObject({
      code: 'read_only',
    })
  })

  it('team init sets up roles named after the database and refuses a database that holds tables', async () => {
    const { url, database, login } = await freshTeamDatabase()
    expect(await teamInit(url, 'Anna Owner')).toEqual({ database, login })
    const facts = await asSuperuser(async (client) => {
      const roles = await client.query<{ rolname: string }>(
        `select rolname from pg_roles where rolname like $1 order by rolname`,
        [`${database}\\_%`],
      )
      const member = await client.query<{ is: boolean }>(`select pg_has_role($1, $2, 'member') as is`, [
        login,
        groupRole(database, 'owner'),
      ])
      const publicConnect = await client.query<{ can: boolean }>(
        `select has_database_privilege('public', $1, 'connect') as can`,
        [database],
      )
      return {
        roles: roles.rows.map((r) => r.rolname),
        isOwner: member.rows[0]!.is,
        canPublicConnect: publicConnect.rows[0]!.can,
      }
    })
    expect(facts).toEqual({
      roles: [`${database}_agent`, `${database}_owner`, `${database}_supervisor`].sort(),
      isOwner: true,
      canPublicConnect: false,
    })
    const people = await asSuperuser(
      (client) => client.query(`select login, name, role from makegood_people`),
      database,
    )
    expect(people.rows).toEqual([{ login, name: 'Anna Owner', role: 'owner' }])

    await expect(teamInit(url, 'Anna Owner')).rejects.toMatchObject({ code: 'conflict', reason: 'team.not_empty' })
    const other = await freshTeamDatabase()
    await asSuperuser((client) => client.query(`create table invoices (id int)`), other.database)
    await expect(teamInit(other.url, 'Béla')).rejects.toMatchObject({ code: 'conflict', reason: 'team.not_empty' })
    const untouched = await asSuperuser(
      (client) => client.query(`select count(*)::int as n from pg_tables where schemaname = 'public'`),
      other.database,
    )
    expect(untouched.rows[0]).toEqual({ n: 1 })
  })

  it('refuses to open a database team init never set up', async () => {
    const { url } = await freshTeamDatabase()
    await expect(PgStore.open(url)).rejects.toMatchObject({ code: 'storage', reason: 'db.not_initialized' })
  })

  it('answers storage / db.unreachable when the server cannot be reached', async () => {
    const { url } = await freshTeamDatabase()
    const nowhere = new URL(url)
    nowhere.port = '1'
    await expect(PgStore.open(nowhere.toString())).rejects.toMatchObject({ code: 'storage', reason: 'db.unreachable' })
  })
})
