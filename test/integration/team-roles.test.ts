import { execFile } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Client } from 'pg'
import { afterEach, describe, expect, it } from 'vitest'
import { startHttpHost } from '../../src/main/hosts/http'
import { rendererDir } from '../../src/main/paths'
import { dispatch } from '../../src/main/services'
import { type ServiceContext } from '../../src/main/services/context'
import { addPerson, listPeople, removePerson, setRole } from '../../src/main/store/postgres/people'
import { PgStore } from '../../src/main/store/postgres/pgStore'
import { currentTeamVersion, firstKinds, teamMigrations } from '../../src/main/store/postgres/schema'
import { teamInit } from '../../src/main/store/postgres/team'
import { defaultSettings } from '../../src/shared/schemas'
import { type Escalation } from '../../src/shared/escalations/escalation'
import { type CustomerPromise } from '../../src/shared/promises/promises'
import { type Case } from '../../src/shared/schemas'
import { type Session } from '../../src/shared/team/contract'
import { cliEnv, cliTestTimeout } from '../helpers/cli-env'
import { asSuperuser, freshTeamDatabase, urlAs } from '../helpers/pg'
import { pgBin } from '../helpers/cluster'
import { ok } from '../helpers/results'

const run = promisify(execFile)
const bin = join(__dirname, '..', '..', 'bin', 'makegood.cjs')
const now = '2026-11-23T10:00:00.000Z'

const opened: PgStore[] = []
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close()
})

async function desk(url: string): Promise<ServiceContext & { store: PgStore }> {
  const store = await PgStore.open(url)
  opened.push(store)
  return { store, now: () => new Date(now) }
}

async function refused(promise: Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }>) {
  const result = await promise
  if (result.ok) throw new Error('expected a refusal')
  return result.error as { code: string; reason?: string }
}

/** An escalation as the sweep raises it: not yet answered. */
const raised: Escalation = {
  id: 'esc-kitchen',
  rule: 'recurring-failure',
  patternKey: 'test:kitchen',
  subject: { department: 'Kitchen' },
  severity: 'medium',
  status: 'raised',
  evidence: [],
  firstRaisedAt: '2026-11-20T10:00:00.000Z',
  lastSeenAt: '2026-11-20T10:00:00.000Z',
  updatedAt: '2026-11-20T10:00:00.000Z',
  isPreventionFailed: false,
  reopenCount: 0,
  history: [{ at: '2026-11-20T10:00:00.000Z', by: 'MakeGood', type: 'raised' }],
}

const newCase = {
  customerName: 'Margaret Smith',
  summary: 'Cold soup',
  remedySought: 'A hot soup',
  category: 'poor-quality',
  department: 'Kitchen',
}

/** A team with an owner (the login in `url`), an agent and a supervisor, and one raised escalation. */
async function team() {
  const { url, database, login } = await freshTeamDatabase()
  await teamInit(url, 'Anna Owner')
  const agent = await addPerson(url, { name: 'Tom Baker', role: 'agent' })
  const supervisor = await addPerson(url, { name: 'Sue Perkins', role: 'supervisor', login: 'sue' + database.slice(9) })
  const owner = await desk(url)
  await owner.store.commit([{ collection: 'escalations', value: raised }])
  return {
    url,
    database,
    login,
    agentUrl: urlAs(url, agent.login, agent.password),
    supervisorUrl: urlAs(url, supervisor.login, supervisor.password),
    agent,
    supervisor,
  }
}

/** The stored row, read as the cluster's superuser (not through any desk's memory). */
async function storedRecord(database: string, table: string, id: string): Promise<unknown> {
  return asSuperuser(async (client) => {
    const rows = await client.query<{ record: unknown }>(`select record from ${table} where id = $1`, [id])
    return rows.rows[0]?.record
  }, database)
}

async function storedSettings(database: string): Promise<unknown> {
  return asSuperuser(
    async (client) => (await client.query(`select version, record from makegood_settings`)).rows[0],
    database,
  )
}

describe('team roles and permissions on a real PostgreSQL server', () => {
  it('signs an agent in as their person and lets the database refuse what an agent may not do', async () => {
    const t = await team()
    expect(t.agent.login).toMatch(/^tom_baker$/)
    const agent = await desk(t.agentUrl)
    const session = await ok<Session>(dispatch(agent, 'session:get', {}))
    expect(session).toEqual({
      isTeam: true,
      login: 'tom_baker',
      name: 'Tom Baker',
      role: 'agent',
      permissions: {
        mayAnswerEscalations: false,
        mayEditSettings: false,
        mayManagePeople: false,
        mayDelete: false,
        mayTrash: false,
      },
      // Where "hand off to my superior" goes: the supervisor first, then the owner.
      superiors: ['Sue Perkins', 'Anna Owner'],
    })
    // What an agent does is signed with their name: the timeline, the promise.
    const created = await ok<Case>(dispatch(agent, 'cases:create', newCase))
    expect(created.timeline[0]).toMatchObject({ type: 'created', by: 'Tom Baker' })
    const promise = await ok<CustomerPromise>(
      dispatch(agent, 'promises:create', {
        caseId: created.id,
        what: 'Call back',
        due: { kind: 'tomorrow' },
        madeBy: 'Somebody',
      }),
    )
    expect(promise.madeBy).toBe('Tom Baker')

    // Working as cannot be changed.
    expect(await refused(dispatch(agent, 'settings:update', { currentUser: 'Sue Perkins' }))).toMatchObject({
      code: 'forbidden',
      reason: 'team.working_as_fixed',
    })
    // The rest is refused by the server itself (the services do not check roles), and nothing changes.
    const settingsBefore = await storedSettings(t.database)
    expect(await refused(dispatch(agent, 'settings:update', { businessName: 'Agent Ltd' }))).toMatchObject({
      code: 'forbidden',
      reason: 'team.forbidden',
    })
    expect(await storedSettings(t.database)).toEqual(settingsBefore)
    expect(agent.store.settings.businessName).toBe('')

    const escalationBefore = await storedRecord(t.database, 'escalations', raised.id)
    // One after the other: each starts from the stored escalation (a refused write is undone in memory).
    expect(
      await refused(dispatch(agent, 'escalations:acknowledge', { id: raised.id, manager: 'Tom Baker', note: 'Seen' })),
    ).toMatchObject({ code: 'forbidden', reason: 'team.forbidden' })
    expect(
      await refused(dispatch(agent, 'escalations:dismiss', { id: raised.id, reason: 'Not a pattern' })),
    ).toMatchObject({ code: 'forbidden', reason: 'team.forbidden' })
    expect(await storedRecord(t.database, 'escalations', raised.id)).toEqual(escalationBefore)
    expect(agent.store.get('escalations', raised.id)?.status).toBe('raised')

    // Deleting (replacing everything, as a restore or the sample data do) is refused too.
    const everything = agent.store.dataSet()
    await expect(agent.store.replaceAll(everything)).rejects.toMatchObject({ code: 'forbidden' })
    expect(await storedRecord(t.database, 'cases', created.id)).toEqual(agent.store.get('cases', created.id))
    expect(agent.store.dataSet()).toEqual(everything)
  })

  it('lets a supervisor answer an escalation, signed with their own name whatever name was typed', async () => {
    const t = await team()
    const supervisor = await desk(t.supervisorUrl)
    expect((await ok<Session>(dispatch(supervisor, 'session:get', {}))).permissions).toEqual({
      mayAnswerEscalations: true,
      mayEditSettings: true,
      mayManagePeople: false,
      mayDelete: false,
      mayTrash: true,
    })
    const answered = await ok<Escalation>(
      dispatch(supervisor, 'escalations:acknowledge', { id: raised.id, manager: 'Somebody Else', note: 'On it' }),
    )
    expect(answered.acknowledgement?.by).toBe('Sue Perkins')
    expect(await storedRecord(t.database, 'escalations', raised.id)).toMatchObject({
      status: 'acknowledged',
      acknowledgement: { by: 'Sue Perkins', note: 'On it' },
    })
    await ok(dispatch(supervisor, 'settings:update', { businessName: 'The Soup Kitchen' }))
    expect(await storedSettings(t.database)).toMatchObject({ record: { businessName: 'The Soup Kitchen' } })
    // Managing people stays with owners.
    await expect(addPerson(t.supervisorUrl, { name: 'Eve', role: 'owner' })).rejects.toMatchObject({
      code: 'forbidden',
      reason: 'team.owner_only',
    })
  })

  it('sets a role and removes a person: the login can no longer connect, the history keeps the name', async () => {
    const t = await team()
    const agent = await desk(t.agentUrl)
    const created = await ok<Case>(dispatch(agent, 'cases:create', newCase))
    await agent.store.close()

    expect(await setRole(t.url, t.agent.login, 'supervisor')).toMatchObject({ role: 'supervisor' })
    const promoted = await desk(t.agentUrl)
    expect(promoted.store.session.role).toBe('supervisor')
    await ok(dispatch(promoted, 'escalations:acknowledge', { id: raised.id, manager: '', note: 'Seen' }))
    await promoted.store.close()

    await removePerson(t.url, t.agent.login)
    await expect(PgStore.open(t.agentUrl)).rejects.toMatchObject({
      code: 'unauthorized',
      reason: 'team.login_refused',
    })
    const people = await listPeople(t.url)
    expect(people.find((p) => p.login === t.agent.login)).toEqual({
      login: 'tom_baker',
      name: 'Tom Baker',
      role: 'supervisor',
      isActive: false,
    })
    const owner = await desk(t.url)
    expect(owner.store.get('cases', created.id)?.timeline[0]?.by).toBe('Tom Baker')
    // A second owner, added by the first, manages people in turn; then the first may step down.
    const second = await addPerson(t.url, { name: 'Olga Owner', role: 'owner', login: `olga${t.database.slice(9)}` })
    const secondUrl = urlAs(t.url, second.login, second.password)
    const added = await addPerson(secondUrl, { name: 'Ned Agent', role: 'agent', login: `ned${t.database.slice(9)}` })
    expect(await setRole(secondUrl, added.login, 'supervisor')).toMatchObject({ role: 'supervisor' })
    expect(await removePerson(secondUrl, added.login)).toMatchObject({ isActive: false })
    expect(await setRole(secondUrl, t.login, 'supervisor')).toMatchObject({ role: 'supervisor' })
    expect((await desk(t.url)).store.session.role).toBe('supervisor')
    // The last owner stays one.
    await expect(setRole(secondUrl, second.login, 'agent')).rejects.toMatchObject({
      code: 'rule_violation',
      reason: 'team.last_owner',
    })
  })

  it('an open desk takes up a new role as soon as an owner sets it, without reconnecting', async () => {
    const t = await team()
    const supervisor = await desk(t.supervisorUrl)
    const seen: string[][] = []
    supervisor.store.onChange((kinds) => seen.push(kinds))
    expect((await ok<Session>(dispatch(supervisor, 'session:get', {}))).permissions.mayAnswerEscalations).toBe(true)

    await setRole(t.url, t.supervisor.login, 'agent')
    // Screens showing the session are told (session:get reads 'settings').
    await expect.poll(() => seen).toContainEqual(['settings'])
    const session = await ok<Session>(dispatch(supervisor, 'session:get', {}))
    expect(session).toMatchObject({
      role: 'agent',
      permissions: { mayAnswerEscalations: false, mayEditSettings: false },
    })
    // The database refuses what the old role could do, whatever the desk believed.
    const answer = await refused(
      dispatch(supervisor, 'escalations:acknowledge', { id: raised.id, manager: '', note: 'Seen' }),
    )
    expect(answer.code).toBe('forbidden')
  })

  it('updates a version 1 database (set up before roles) when an owner opens it; an agent waits for an owner', async () => {
    const { url, database, login } = await freshTeamDatabase()
    // Version 1 as the first team init left it: tables owned by the login, one grant for every kind.
    const client = new Client({ connectionString: url })
    await client.connect()
    try {
      for (const role of ['agent', 'supervisor', 'owner']) await client.query(`create role ${database}_${role} nologin`)
      await client.query(`grant ${database}_agent to ${database}_supervisor`)
      await client.query(`grant ${database}_supervisor to ${database}_owner`)
      await client.query(`grant ${database}_owner to ${login}`)
      await client.query(`grant usage on schema public to ${database}_agent`)
      await client.query(`create table makegood_migrations (version int primary key, applied_at timestamptz not null)`)
      for (const statement of teamMigrations[1]!) await client.query(statement)
      await client.query(`insert into makegood_migrations values (1, now())`)
      await client.query(`insert into makegood_settings values (1, 1, $1)`, [defaultSettings()])
      await client.query(`insert into makegood_people values ($1, 'Anna Owner', 'owner')`, [login])
      await client.query(`grant select, insert, update on ${firstKinds.join(', ')} to ${database}_agent`)
      await client.query(`grant select on makegood_settings, makegood_people, makegood_migrations to ${database}_agent`)
      await client.query(`insert into escalations values ($1, '2026-11', 1, $2)`, [raised.id, raised])
    } finally {
      await client.end()
    }
    const agent = await addPerson(url, { name: 'Tom Baker', role: 'agent' })
    const agentUrl = urlAs(url, agent.login, agent.password)
    await expect(PgStore.open(agentUrl)).rejects.toMatchObject({ code: 'forbidden', reason: 'team.update_by_owner' })

    const owner = await desk(url)
    expect(owner.store.get('escalations', raised.id)).toEqual(raised)
    const applied = await asSuperuser(
      async (c) => (await c.query(`select max(version)::int as v from makegood_migrations`)).rows[0],
      database,
    )
    expect(applied).toEqual({ v: currentTeamVersion })
    const desk2 = await desk(agentUrl)
    expect(
      await refused(dispatch(desk2, 'escalations:dismiss', { id: raised.id, reason: 'Not a pattern' })),
    ).toMatchObject({ code: 'forbidden' })
  })

  it('answers HTTP 403 with error code forbidden when an agent’s desk is asked to answer an escalation', async () => {
    const t = await team()
    const agent = await desk(t.agentUrl)
    const host = await startHttpHost(agent, { rendererDir: rendererDir() })
    try {
      const response = await fetch(new URL('/api/escalations:dismiss', host.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-makegood-token': host.token },
        body: JSON.stringify({ id: raised.id, reason: 'Not a pattern' }),
      })
      expect(response.status).toBe(403)
      expect(await response.json()).toMatchObject({ ok: false, error: { code: 'forbidden', reason: 'team.forbidden' } })
    } finally {
      await host.close()
    }
    expect(agent.store.get('escalations', raised.id)?.status).toBe('raised')
  })

  it('lets each person choose their own language: an agent may, and no one else’s screens change', async () => {
    const t = await team()
    const agent = await desk(t.agentUrl)
    const supervisor = await desk(t.supervisorUrl)
    const sharedBefore = await storedSettings(t.database)

    const chosen = await ok<{ language: string }>(dispatch(agent, 'settings:update', { language: 'zh-CN' }))
    expect(chosen.language).toBe('zh-CN')
    expect(agent.store.settings.language).toBe('zh-CN')
    expect(supervisor.store.settings.language).toBe('auto')
    // The shared settings row is untouched: the choice is kept with the agent's person record.
    expect(await storedSettings(t.database)).toEqual(sharedBefore)
    // The rest of the settings stay a supervisor's: the language does not open a way round that.
    const both = await refused(dispatch(agent, 'settings:update', { language: 'hu', businessName: 'Mine' }))
    expect(both.code).toBe('forbidden')
    expect(await storedSettings(t.database)).toEqual(sharedBefore)

    // A supervisor saving the shared settings keeps their own language out of the shared row.
    await ok(dispatch(supervisor, 'settings:update', { language: 'hu' }))
    await ok(dispatch(supervisor, 'settings:update', { businessName: 'The Corner Bistro' }))
    expect(((await storedSettings(t.database)) as { record: { language: string } }).record.language).toBe('auto')

    // The choice follows the person to the next desk they sign in at.
    const again = await desk(t.agentUrl)
    expect(again.store.settings.language).toBe('zh-CN')
    // With psql an agent can change no one's language directly, not even their own row.
    const psql = pgBin('psql')
    const direct = await run(
      psql,
      [t.agentUrl, '-X', '-v', 'ON_ERROR_STOP=1', '-c', `update makegood_people set language = 'en'`],
      {
        env: { ...process.env, LC_ALL: 'C' },
      },
    ).then(
      () => '',
      (e: { stderr: string }) => e.stderr,
    )
    expect(direct).toMatch(/ERROR: +permission denied for table makegood_people/)
    expect((await desk(t.supervisorUrl)).store.settings.language).toBe('hu')
  })

  it('the server itself refuses an agent’s writes made with psql', async () => {
    const t = await team()
    const psql = pgBin('psql')
    const asAgent = (sql: string) =>
      run(psql, [t.agentUrl, '-X', '-v', 'ON_ERROR_STOP=1', '-c', sql], { env: { ...process.env, LC_ALL: 'C' } }).then(
        (r) => ({ code: 0, stderr: r.stderr }),
        (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
      )
    const before = await storedRecord(t.database, 'escalations', raised.id)
    const settingsBefore = await storedSettings(t.database)

    const dismiss = await asAgent(
      `update escalations set record = jsonb_set(record, '{status}', '"dismissed"'), version = version + 1 where id = '${raised.id}'`,
    )
    expect(dismiss.code).not.toBe(0)
    expect(dismiss.stderr).toMatch(
      /ERROR: +permission denied: only a supervisor or an owner may set an escalation to dismissed/,
    )
    const settings = await asAgent(
      `update makegood_settings set record = jsonb_set(record, '{businessName}', '"Mine"')`,
    )
    expect(settings.stderr).toMatch(/ERROR: +permission denied for table makegood_settings/)
    const answered = await asAgent(
      `insert into escalations (id, month, version, record) values ('x', '2026-11', 1, jsonb_set('${JSON.stringify(raised)}'::jsonb, '{status}', '"resolved"'))`,
    )
    expect(answered.stderr).toMatch(/ERROR: +new row violates row-level security policy for table "escalations"/)
    const deleted = await asAgent(`delete from cases`)
    expect(deleted.stderr).toMatch(/ERROR: +permission denied for table cases/)
    const role = await asAgent(`create role mallory login`)
    expect(role.stderr).toMatch(/ERROR: +permission denied to create role/)

    expect(await storedRecord(t.database, 'escalations', raised.id)).toEqual(before)
    expect(await storedSettings(t.database)).toEqual(settingsBefore)
    // What an agent may do, the server lets through: the sweep re-raising with new evidence.
    const seen = await asAgent(
      `update escalations set record = jsonb_set(record, '{lastSeenAt}', '"2026-11-22T10:00:00.000Z"') where id = '${raised.id}'`,
    )
    expect(seen).toEqual({ code: 0, stderr: '' })
  })

  it(
    'team add-person --json prints one object; a non-owner gets exit code 4 and error code forbidden',
    { timeout: cliTestTimeout },
    async () => {
      const t = await team()
      const makegood = (url: string, args: string[]) =>
        run(process.execPath, [bin, '--db', url, '--now', now, ...args], { cwd: tmpdir(), env: cliEnv() }).then(
          (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
          (e: { code: number; stdout: string; stderr: string }) => ({
            code: e.code,
            stdout: e.stdout,
            stderr: e.stderr,
          }),
        )
      const added = await makegood(t.url, ['team', 'add-person', 'Béla Kovács', '--role', 'supervisor', '--json'])
      expect(added.code).toBe(0)
      const lines = added.stdout.trim().split('\n')
      expect(lines).toHaveLength(1)
      const person = JSON.parse(lines[0]!) as Record<string, string>
      expect(Object.keys(person)).toEqual(['login', 'password', 'role'])
      expect(person).toMatchObject({ login: 'bela_kovacs', role: 'supervisor' })
      expect(person.password!.length).toBeGreaterThanOrEqual(20)
      // The password works, and that login is Béla.
      const bela = await desk(urlAs(t.url, person.login!, person.password!))
      expect(bela.store.session).toMatchObject({ name: 'Béla Kovács', role: 'supervisor' })

      const listed = await makegood(t.url, ['team', 'list', '--json'])
      expect(JSON.parse(listed.stdout)).toContainEqual({
        login: 'bela_kovacs',
        name: 'Béla Kovács',
        role: 'supervisor',
        isActive: true,
      })

      const byAgent = await makegood(t.agentUrl, ['team', 'add-person', 'Mallory', '--role', 'owner', '--json'])
      expect(byAgent.code).toBe(4)
      expect(byAgent.stdout).toBe('')
      expect(JSON.parse(byAgent.stderr)).toMatchObject({ error: { code: 'forbidden', reason: 'team.owner_only' } })
      const settingsByAgent = await makegood(t.agentUrl, ['team', 'set-role', 'bela_kovacs', 'agent'])
      expect(settingsByAgent.code).toBe(4)

      const set = await makegood(t.url, ['team', 'set-role', 'bela_kovacs', 'agent'])
      expect(set).toMatchObject({ code: 0, stdout: 'Béla Kovács (bela_kovacs) is now agent\n' })
      const removed = await makegood(t.url, ['team', 'remove', 'bela_kovacs'])
      expect(removed.code).toBe(0)
      const client = new Client({ connectionString: urlAs(t.url, person.login!, person.password!) })
      await expect(client.connect()).rejects.toThrow(/not permitted to log in/)
    },
  )
})
