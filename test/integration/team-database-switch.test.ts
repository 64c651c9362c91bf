import { createHash } from 'node:crypto'
import { readFile, readdir, stat } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { Client } from 'pg'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type Method, type MethodOutput } from '../../src/shared/api'
import { type ApiError } from '../../src/shared/core/errors'
import { currentTeamVersion } from '../../src/main/store/postgres/schema'
import { PgStore } from '../../src/main/store/postgres/pgStore'
import { addPerson } from '../../src/main/store/postgres/people'
import { teamInit } from '../../src/main/store/postgres/team'
import { Store } from '../../src/main/store/store'
import { Desk } from '../../src/main/teamDatabase/desk'
import { freePort, startCluster } from '../helpers/cluster'
import { tempDir } from '../helpers/temp'

// A cluster of its own that asks every login for its password (SCRAM), as a real server does: the
// shared test cluster trusts every login, so a wrong password could not be seen there.
let cluster: Awaited<ReturnType<typeof startCluster>> | undefined
let base: URL
const annaPassword = 'anna-Secret-1'
/** The URL a desk types: no password in it. */
let tomUrl = ''
let tomPassword = ''
let annaUrl = ''
let strayUrl = ''
let otherUrl = ''
let outsiderUrl = ''

const urlFor = (login: string, database: string) => {
  const url = new URL(base)
  url.username = login
  url.password = ''
  url.pathname = `/${database}`
  return url.toString()
}
const withPassword = (url: string, password: string) => {
  const full = new URL(url)
  full.password = encodeURIComponent(password)
  return full.toString()
}

beforeAll(async () => {
  cluster = await startCluster({ isPasswordRequired: true })
  base = new URL(cluster.url)
  const admin = new Client({ connectionString: cluster.url })
  await admin.connect()
  await admin.query(`create role anna login createrole password '${annaPassword}'`)
  await admin.query('create database makegood owner anna')
  // A database MakeGood never set up, which anna may open.
  await admin.query('create database other owner anna')
  await admin.end()
  annaUrl = urlFor('anna', 'makegood')
  otherUrl = urlFor('anna', 'other')
  await teamInit(withPassword(annaUrl, annaPassword), 'Anna Owner')
  const tom = await addPerson(withPassword(annaUrl, annaPassword), { name: 'Tom Baker', role: 'agent' })
  tomUrl = urlFor(tom.login, 'makegood')
  tomPassword = tom.password
  // A login that may connect (it is in the agents' group) but that nobody added as a person.
  const owner = new Client({ connectionString: withPassword(annaUrl, annaPassword) })
  await owner.connect()
  await owner.query(`create role stray login password 'stray-pw'`)
  await owner.query('grant makegood_agent to stray')
  await owner.end()
  strayUrl = urlFor('stray', 'makegood')
  // A login of the same server outside the team: `team init` took CONNECT away from PUBLIC.
  const admin2 = new Client({ connectionString: cluster.url })
  await admin2.connect()
  await admin2.query(`create role outsider login password 'outsider-pw'`)
  await admin2.end()
  outsiderUrl = urlFor('outsider', 'makegood')
}, 120_000)

afterAll(() => cluster?.stop())

const desks: Desk[] = []
afterEach(async () => {
  for (const desk of desks.splice(0)) await desk.close()
})

/** A desk on a data folder, as `serve` makes one: the same Desk the desktop backend uses. */
async function deskOnFolder(): Promise<{ desk: Desk; dir: string }> {
  const dir = await tempDir('makegood-desk-')
  const openFolder = () => Store.open(dir, { isLazy: true })
  const now = new Date('2026-11-23T10:00:00.000Z')
  const desk = new Desk(
    {
      folder: dir,
      openFolder,
      now: () => now,
      systemLanguage: 'en',
      announce: () => undefined,
      connectMemory: 'browser',
      // The timers never fire by themselves here: only the start-up round runs.
      scheduler: { every: () => () => undefined },
    },
    await openFolder(),
    null,
  )
  desks.push(desk)
  await desk.start()
  return { desk, dir }
}

async function ok<M extends Method>(desk: Desk, method: M, input: unknown): Promise<MethodOutput<M>> {
  const result = await desk.dispatch(method, input)
  if (!result.ok) throw new Error(`${method}: ${JSON.stringify(result.error)}`)
  return result.value
}

async function refused(desk: Desk, method: Method, input: unknown): Promise<ApiError> {
  const result = await desk.dispatch(method, input)
  if (result.ok) throw new Error(`${method} was expected to fail`)
  return result.error
}

const newCase = (summary: string) => ({
  customerName: 'Margaret Smith',
  summary,
  remedySought: 'A hot soup',
  category: 'poor-quality',
})

/** Every file of the data folder and its digest, but the log and backups (this desk's own files in team mode too). */
async function folderDigest(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  const walk = async (at: string) => {
    for (const name of await readdir(at)) {
      const path = join(at, name)
      const rel = relative(dir, path)
      if (rel === 'backups' || rel.endsWith('.log')) continue
      if ((await stat(path)).isDirectory()) await walk(path)
      else
        out[rel] = createHash('sha256')
          .update(await readFile(path))
          .digest('hex')
    }
  }
  await walk(dir)
  return out
}

describe('Settings → Team database on a real PostgreSQL server that asks for passwords', () => {
  it('Test connection says what it found: server, MakeGood schema, who the login is — or why not', async () => {
    const { desk } = await deskOnFolder()
    const good = await ok(desk, 'teamDatabase:test', { url: tomUrl, password: tomPassword })
    expect(good).toMatchObject({
      isReady: true,
      isReachable: true,
      isMakeGood: true,
      schemaVersion: currentTeamVersion,
      knownSchemaVersion: currentTeamVersion,
      database: 'makegood',
      person: { name: 'Tom Baker', role: 'agent' },
      problem: null,
    })
    expect(good.serverVersion).toMatch(/^\d+/)

    const wrong = await ok(desk, 'teamDatabase:test', { url: tomUrl, password: 'not-his-password' })
    expect(wrong).toMatchObject({ isReady: false, isReachable: false, person: null })
    expect(wrong.problem?.reason).toBe('login_refused')

    const notMakeGood = await ok(desk, 'teamDatabase:test', { url: otherUrl, password: annaPassword })
    expect(notMakeGood).toMatchObject({ isReady: false, isReachable: true, isMakeGood: false, schemaVersion: null })
    expect(notMakeGood.serverVersion).toBe(good.serverVersion)
    expect(notMakeGood.problem?.reason).toBe('not_makegood')

    const stray = await ok(desk, 'teamDatabase:test', { url: strayUrl, password: 'stray-pw' })
    expect(stray).toMatchObject({ isReady: false, isMakeGood: true, person: null })
    expect(stray.problem?.reason).toBe('no_person')

    const outsider = await ok(desk, 'teamDatabase:test', { url: outsiderUrl, password: 'outsider-pw' })
    expect(outsider).toMatchObject({ isReady: false, isReachable: false, person: null })
    expect(outsider.problem?.reason).toBe('no_person')

    const nowhere = await ok(desk, 'teamDatabase:test', {
      url: `postgres://tom@127.0.0.1:${await freePort()}/makegood`,
      password: 'x',
    })
    expect(nowhere).toMatchObject({ isReady: false, isReachable: false })
    expect(nowhere.problem?.reason).toBe('unreachable')

    // The password never travels inside the URL.
    const inUrl = await refused(desk, 'teamDatabase:test', { url: withPassword(tomUrl, tomPassword), password: '' })
    expect(inUrl.code).toBe('invalid_input')
  })

  it('Connect switches the desk to the team database: new work is in the database, the folder untouched; and back', async () => {
    const { desk, dir } = await deskOnFolder()
    expect(await ok(desk, 'teamDatabase:status', {})).toMatchObject({ engine: 'folder', folder: dir, team: null })
    const before = await ok(desk, 'cases:create', newCase('Written on the folder'))

    const status = await ok(desk, 'teamDatabase:connect', { url: tomUrl, password: tomPassword })
    expect(status).toMatchObject({
      engine: 'team',
      folder: dir,
      memory: 'browser',
      team: {
        host: '127.0.0.1',
        database: 'makegood',
        login: new URL(tomUrl).username,
        name: 'Tom Baker',
        role: 'agent',
      },
    })
    expect(JSON.stringify(status)).not.toContain(tomPassword)
    // Working as: the person of the login.
    expect(await ok(desk, 'session:get', {})).toMatchObject({ isTeam: true, name: 'Tom Baker', role: 'agent' })
    const folderAfterSwitch = await folderDigest(dir)

    const created = await ok(desk, 'cases:create', newCase('Written on the team database'))
    expect(created.timeline[0]?.by).toBe('Tom Baker')
    const team = await PgStore.open(withPassword(annaUrl, annaPassword))
    try {
      expect(team.get('cases', created.id)?.summary).toBe('Written on the team database')
      expect(team.get('cases', before.id)).toBeUndefined()
    } finally {
      await team.close()
    }
    await desk.whenStarted()
    expect(await folderDigest(dir)).toEqual(folderAfterSwitch)

    const back = await ok(desk, 'teamDatabase:disconnect', {})
    expect(back).toMatchObject({ engine: 'folder', team: null, memory: null })
    const summaries = (await ok(desk, 'cases:list', {})).map((c) => c.summary)
    expect(summaries).toEqual(['Written on the folder'])
    expect((await ok(desk, 'session:get', {})).isTeam).toBe(false)
  })

  it('a failed Connect leaves the desk on its store, unchanged and still working', async () => {
    const { desk, dir } = await deskOnFolder()
    await ok(desk, 'cases:create', newCase('Kept'))
    await desk.whenStarted()
    const digest = await folderDigest(dir)

    const wrong = await refused(desk, 'teamDatabase:connect', { url: tomUrl, password: 'wrong' })
    expect(wrong).toMatchObject({ code: 'unauthorized', reason: 'teamDatabase.login_refused' })
    const notMakeGood = await refused(desk, 'teamDatabase:connect', { url: otherUrl, password: annaPassword })
    expect(notMakeGood).toMatchObject({ code: 'storage', reason: 'teamDatabase.not_makegood' })
    const stray = await refused(desk, 'teamDatabase:connect', { url: strayUrl, password: 'stray-pw' })
    expect(stray).toMatchObject({ code: 'forbidden', reason: 'teamDatabase.no_person' })

    expect(await folderDigest(dir)).toEqual(digest)
    expect(await ok(desk, 'teamDatabase:status', {})).toMatchObject({ engine: 'folder', team: null })
    // The store was never closed: it still takes work.
    await ok(desk, 'cases:create', newCase('After the failed connect'))
    expect((await ok(desk, 'cases:list', {})).map((c) => c.summary).sort()).toEqual([
      'After the failed connect',
      'Kept',
    ])

    // On the team database, a failed connect elsewhere keeps the desk there too.
    await ok(desk, 'teamDatabase:connect', { url: tomUrl, password: tomPassword })
    await refused(desk, 'teamDatabase:connect', { url: annaUrl, password: 'wrong' })
    expect((await ok(desk, 'teamDatabase:status', {})).team?.name).toBe('Tom Baker')
    await ok(desk, 'cases:create', newCase('Still on the team database'))
  })

  it('loses nothing asked while it switches: the calls under way finish on the folder first', async () => {
    const { desk, dir } = await deskOnFolder()
    const creates = Array.from({ length: 5 }, (_, i) => desk.dispatch('cases:create', newCase(`In flight ${i}`)))
    const connected = desk.dispatch('teamDatabase:connect', { url: tomUrl, password: tomPassword })
    const results = await Promise.all(creates)
    expect(results.every((r) => r.ok)).toBe(true)
    expect((await connected).ok).toBe(true)
    await ok(desk, 'teamDatabase:disconnect', {})
    const saved = await ok(desk, 'cases:list', {})
    expect(saved.map((c) => c.summary).sort()).toEqual([0, 1, 2, 3, 4].map((i) => `In flight ${i}`))
    // And they are on disk: a fresh open of the folder reads them.
    await desk.close()
    desks.splice(desks.indexOf(desk), 1)
    const reopened = await Store.open(dir)
    try {
      expect(reopened.count('cases')).toBe(5)
    } finally {
      await reopened.close()
    }
  })
})
