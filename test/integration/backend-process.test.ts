import { type ChildProcess, fork } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { BackendClient } from '../../src/main/backend/client'
import { type Notice } from '../../src/main/backend/protocol'
import { dispatch } from '../../src/main/services'
import { Store } from '../../src/main/store/store'
import { teamInit } from '../../src/main/store/postgres/team'
import { freshTeamDatabase } from '../helpers/pg'
import { openContext, tempDir } from '../helpers/temp'

const entry = join(__dirname, '..', '..', 'src', 'main', 'backend', 'process.ts')
const children: ChildProcess[] = []

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
})

/**
 * The desktop app's backend in a real child process, driven by the same client the Electron
 * main process uses. Node's fork() stands in for utilityProcess.fork(): both deliver messages
 * by structured clone, and the entry picks whichever pipe it was given.
 */
function startBackend() {
  const child = fork(entry, [], { execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: 'pipe' })
  children.push(child)
  const notices: Notice[] = []
  const client = new BackendClient(
    { send: (message) => child.send(message), onMessage: (listener) => child.on('message', listener) },
    (more) => notices.push(...more),
  )
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      client.exited()
      resolve(code)
    }),
  )
  return { child, client, notices, exited }
}

describe('the backend process (store and services off the window process)', () => {
  it('opens the data folder, answers contract calls, and closes with everything on disk', async () => {
    const dir = await tempDir()
    const { client, exited } = startBackend()
    await client.start(dir, 'en-US')
    const created = await client.call('cases:create', {
      customerName: 'Margaret Smith',
      summary: 'Cold soup',
      category: 'poor-quality',
    })
    expect(created).toMatchObject({ ok: true, value: { summary: 'Cold soup' } })
    const listed = await client.call('cases:list', {})
    expect(listed).toMatchObject({ ok: true, value: [{ summary: 'Cold soup' }] })

    // Bad input gets the same typed error the HTTP host gives, and garbage on the pipe is ignored.
    const invalid = await client.call('cases:create', { summary: 42 })
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid_input' } })

    await client.close()
    expect(await exited).toBe(0)
    const store = await Store.open(dir)
    try {
      expect([...store.all('cases')].map((c) => c.summary)).toEqual(['Cold soup'])
    } finally {
      await store.close()
    }
  })

  it('switches to a team database from Settings and back to its data folder (the same Desk as serve)', async () => {
    const dir = await tempDir()
    const { url } = await freshTeamDatabase()
    await teamInit(url, 'Anna Owner')
    const { client, exited } = startBackend()
    await client.start(dir, 'en-US')
    await client.call('cases:create', {
      customerName: 'Margaret Smith',
      summary: 'On the folder',
      category: 'poor-quality',
    })
    // The desktop backend answers `this_session`: only the main process (safeStorage) can keep the password.
    const connected = await client.call('teamDatabase:connect', { url, password: '' })
    expect(connected).toMatchObject({
      ok: true,
      value: { engine: 'team', memory: 'this_session', team: { name: 'Anna Owner', role: 'owner' } },
    })
    expect(await client.call('cases:list', {})).toMatchObject({ ok: true, value: [] })
    await client.call('cases:create', {
      customerName: 'Margaret Smith',
      summary: 'On the team',
      category: 'poor-quality',
    })
    const back = await client.call('teamDatabase:disconnect', {})
    expect(back).toMatchObject({ ok: true, value: { engine: 'folder', folder: dir, team: null } })
    expect(await client.call('cases:list', {})).toMatchObject({ ok: true, value: [{ summary: 'On the folder' }] })
    await client.close()
    expect(await exited).toBe(0)
  })

  it('starts on a remembered team database and says so', async () => {
    const dir = await tempDir()
    const { url } = await freshTeamDatabase()
    await teamInit(url, 'Anna Owner')
    const { client, exited } = startBackend()
    await client.start(dir, 'en-US', { url, source: 'remembered' })
    const status = await client.call('teamDatabase:status', {})
    expect(status).toMatchObject({ ok: true, value: { engine: 'team', memory: 'remembered', folder: dir } })
    await client.close()
    expect(await exited).toBe(0)
  })

  it('refuses a folder another MakeGood is writing to, with the reason the window shows', async () => {
    const dir = await tempDir()
    const ctx = await openContext(dir)
    expect(ctx.store.isReadOnly).toBe(false)
    const { client, exited } = startBackend()
    await expect(client.start(dir, 'en-US')).rejects.toThrow(/already writing/)
    await client.close()
    expect(await exited).toBe(0)
  })

  it('answers waiting calls with a typed error when the process dies, and keeps acknowledged writes', async () => {
    const dir = await tempDir()
    const { child, client, exited } = startBackend()
    await client.start(dir, 'en-US')
    const saved = await client.call('cases:create', {
      customerName: 'David Chen',
      summary: 'Wrong bill',
      category: 'other',
    })
    expect(saved.ok).toBe(true)
    // Stopped first: on a busy machine a running backend could answer between the send and the kill.
    child.kill('SIGSTOP')
    const waiting = client.call('cases:list', {})
    child.kill('SIGKILL')
    await exited
    expect(await waiting).toMatchObject({ ok: false, error: { code: 'storage', reason: 'store.backend_stopped' } })
    expect(await client.call('cases:list', {})).toMatchObject({ ok: false, error: { reason: 'store.backend_stopped' } })
    const store = await Store.open(dir)
    try {
      expect([...store.all('cases')].map((c) => c.summary)).toEqual(['Wrong bill'])
    } finally {
      await store.close()
    }
  })

  it('sends translated notices for the main process to show: an overdue promise at start', async () => {
    const dir = await tempDir()
    // A promise made on a fixed Wednesday morning in a named zone, due at that day's close and never
    // kept: overdue whenever the backend starts (it reads the real clock), at any hour in any zone.
    const ctx = await openContext(dir, { now: '2026-03-11T09:00:00.000Z' })
    await dispatch(ctx, 'settings:update', { language: 'zh-CN' })
    const calendar = { ...ctx.store.settings.promises.calendar, timeZone: 'Europe/Budapest' }
    await dispatch(ctx, 'settings:update', { promises: { ...ctx.store.settings.promises, calendar } })
    const made = await dispatch(ctx, 'cases:create', { customerName: '王芳', summary: '汤是凉的', category: 'other' })
    if (!made.ok) throw new Error(made.error.message)
    const promised = await dispatch(ctx, 'promises:create', {
      caseId: made.value.id,
      what: '打电话给顾客',
      due: { kind: 'today' },
    })
    expect(promised.ok).toBe(true)
    await ctx.store.close()

    const { client, notices, exited } = startBackend()
    await client.start(dir, 'en-US')
    // Other notices may come first (the case's recovery is overdue too, depending on the day and
    // hour the backend starts at): wait for the promise's own.
    const promiseNotice = () => notices.find((n) => n.body.includes('王芳'))
    await expect.poll(promiseNotice, { timeout: 10_000 }).toBeDefined()
    expect(promiseNotice()?.title).toMatch(/[\u4e00-\u9fff]/)
    await client.close()
    expect(await exited).toBe(0)
  })
})
