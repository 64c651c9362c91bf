import { type ChildProcess, fork } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { BackendClient } from '../../src/main/backend/client'
import { type Notice } from '../../src/main/backend/protocol'
import { dispatch } from '../../src/main/services'
import { Store } from '../../src/main/store/store'
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
    // A promise made last week, due last week and never kept: overdue now.
    const ctx = await openContext(dir, { now: new Date(Date.now() - 7 * 86_400_000).toISOString() })
    await dispatch(ctx, 'settings:update', { language: 'zh-CN' })
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
    await expect.poll(() => notices.length, { timeout: 10_000 }).toBeGreaterThan(0)
    expect(notices.map((n) => n.body).join('\n')).toContain('王芳')
    expect(notices.map((n) => n.title).join('\n')).toMatch(/[\u4e00-\u9fff]/)
    await client.close()
    expect(await exited).toBe(0)
  })
})
