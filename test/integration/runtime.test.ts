import { readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { type Notice } from '../../src/main/backend/protocol'
import { fileSink, logger, stderrSink } from '../../src/main/log/logger'
import { type Runtime, type Scheduler, createRuntime, jobEvery } from '../../src/main/runtime/runtime'
import { dispatch } from '../../src/main/services'
import { type StoreEngine } from '../../src/main/store/postgres/engine'
import { Store } from '../../src/main/store/store'
import { makeCase, makeCustomer, makePromise } from '../helpers/records'
import { engine, openContext, tempDir } from '../helpers/temp'

const minute = 60_000
const hour = 60 * minute

/**
 * The clock and the scheduler the runtime is given, moved by hand: `advance` runs every job
 * whose time comes, in order, each at its own instant, and waits for it. No wall clock.
 */
function manualTime(startIso: string) {
  let now = Date.parse(startIso)
  const jobs: { ms: number; job: () => Promise<void>; next: number }[] = []
  const scheduler: Scheduler = {
    every(ms, job) {
      const entry = { ms, job, next: now + ms }
      jobs.push(entry)
      return () => void jobs.splice(jobs.indexOf(entry), 1)
    },
  }
  async function advance(ms: number) {
    const target = now + ms
    for (;;) {
      const due = jobs.filter((j) => j.next <= target).sort((a, b) => a.next - b.next)[0]
      if (!due) break
      now = due.next
      due.next += due.ms
      await due.job()
    }
    now = target
  }
  return { now: () => new Date(now), scheduler, advance, count: () => jobs.length }
}

const running: Runtime[] = []

afterEach(() => {
  for (const runtime of running.splice(0)) runtime.stop()
  logger.setSinks([stderrSink])
})

/**
 * The store a desk starts with: the folder written first and then opened lazily as the app does,
 * or (team engine) a team database, with `dir` as the desk's own folder for backups and the log.
 */
async function openStore(dir: string, prepare?: (store: StoreEngine) => Promise<void>): Promise<StoreEngine> {
  if (engine === 'team') {
    const { store } = await openContext(dir)
    await prepare?.(store)
    return store
  }
  if (prepare) {
    const store = await Store.open(dir)
    await prepare(store)
    await store.close()
  }
  return Store.open(dir, { isLazy: true })
}

async function startRuntime(dir: string, startIso: string, prepare?: (store: StoreEngine) => Promise<void>) {
  const store = await openStore(dir, prepare)
  const time = manualTime(startIso)
  const notices: Notice[] = []
  const runtime = createRuntime({
    store,
    now: time.now,
    systemLanguage: 'en-US',
    announce: (more) => notices.push(...more),
    scheduler: time.scheduler,
    ...(engine === 'team' ? { filesDir: dir } : {}),
  })
  running.push(runtime)
  const stopAndClose = async () => {
    runtime.stop()
    await store.close()
  }
  await runtime.start()
  return { runtime, ctx: runtime.ctx, store, time, notices, stopAndClose }
}

const autoBackups = async (dir: string) =>
  (await readdir(join(dir, 'backups')).catch(() => [] as string[])).filter((n) => n.startsWith('makegood-auto-'))

describe('the background jobs, on a clock the test moves', () => {
  it('promise reminders: checked every minute, a promise is announced when due within the hour, once', async () => {
    const dir = await tempDir()
    const t0 = '2026-11-23T10:00:00.000Z'
    const { ctx, time, notices, stopAndClose } = await startRuntime(dir, t0, async (store) => {
      await store.commit([
        { collection: 'customers', value: makeCustomer(1) },
        { collection: 'cases', value: { ...makeCase(1, '2026-11-20T09:00:00.000Z'), customerId: 'cust-1' } },
        {
          collection: 'promises',
          value: {
            ...makePromise(0, '2026-11-20T09:00:00.000Z', 'case-1', 'cust-1'),
            id: 'p1',
            // 90 minutes after the start: "due within the hour" from 10:30 on.
            dueAt: '2026-11-23T11:30:00.000Z',
          },
        },
      ])
    })
    expect(jobEvery.reminders).toBe(minute)
    expect(notices).toEqual([])
    await time.advance(29 * minute)
    expect(notices).toEqual([])
    await time.advance(minute)
    expect(time.now().toISOString()).toBe('2026-11-23T10:30:00.000Z')
    expect(notices).toHaveLength(1)
    expect(notices[0]?.title).toMatch(/due/i)
    expect(notices[0]?.body).toContain(makeCustomer(1).name)
    await time.advance(30 * minute)
    expect(notices).toHaveLength(1)
    expect(ctx.store.get('promises', 'p1')?.status).toBe('open')
    await stopAndClose()
  })

  it('the escalation sweep: every 15 minutes, so a pattern formed by changes made elsewhere is raised', async () => {
    const dir = await tempDir()
    const { store, time, notices, stopAndClose } = await startRuntime(dir, '2026-10-01T09:00:00.000Z')
    expect([...store.all('escalations')]).toEqual([])
    // Three late deliveries in ten days, written straight to the store (as an import would): no
    // contract call, so nothing sweeps until the timer does.
    const late = ['2026-09-20T18:00:00.000Z', '2026-09-25T19:00:00.000Z', '2026-09-30T19:30:00.000Z']
    await store.commit([
      ...late.map((_, i) => ({ collection: 'customers' as const, value: makeCustomer(i) })),
      ...late.map((receivedAt, i) => ({
        collection: 'cases' as const,
        value: {
          ...makeCase(i, receivedAt),
          customerId: `cust-${i}`,
          category: 'long-wait',
          severity: 'minor' as const,
          department: 'Delivery',
          status: 'open' as const,
        },
      })),
    ])
    await time.advance(15 * minute - 1)
    expect([...store.all('escalations')]).toEqual([])
    await time.advance(1)
    expect([...store.all('escalations')]).toHaveLength(1)
    // The notice is translated after the sweep is saved.
    await expect.poll(() => notices.map((n) => n.title)).toEqual(['New escalation'])
    expect(notices[0]?.body).toMatch(/wait/i)
    await stopAndClose()
  })

  it('the daily backup: one at start, none for the next 23 hours, the next a day later', async () => {
    const dir = await tempDir()
    const { time, stopAndClose } = await startRuntime(dir, '2026-11-23T10:00:00.000Z', async (store) => {
      await store.commit([{ collection: 'customers', value: makeCustomer(1) }])
    })
    expect(await autoBackups(dir)).toEqual(['makegood-auto-2026-11-23T10-00-00-000Z.json'])
    await time.advance(23 * hour)
    expect(await autoBackups(dir)).toHaveLength(1)
    await time.advance(hour)
    expect((await autoBackups(dir)).sort()).toEqual([
      'makegood-auto-2026-11-23T10-00-00-000Z.json',
      'makegood-auto-2026-11-24T10-00-00-000Z.json',
    ])
    await stopAndClose()
  })

  it('the monthly export: not before the month turns, then once within the hour, and not again', async () => {
    const dir = await tempDir()
    const out = await tempDir('makegood-monthly-')
    const { time, notices, stopAndClose } = await startRuntime(dir, '2026-11-30T22:30:00.000Z', async (store) => {
      await store.commit([
        {
          collection: 'settings',
          value: {
            ...store.settings,
            reports: {
              autoExport: { isEnabled: true, folder: out, format: 'json', paper: 'a4', lastMonth: '2026-10' },
            },
          },
        },
      ])
    })
    expect(await readdir(out)).toEqual([])
    // 23:30: still November (the month is told in UTC).
    await time.advance(hour)
    expect(await readdir(out)).toEqual([])
    // 00:30 on 1 December: the hourly check writes November's report.
    await time.advance(hour)
    expect(await readdir(out)).toEqual(['makegood-report-2026-11.json'])
    expect(notices.map((n) => n.title)).toContain('Monthly report saved')
    await time.advance(5 * hour)
    expect(await readdir(out)).toEqual(['makegood-report-2026-11.json'])
    await stopAndClose()
  })

  it('a daily backup that cannot be written leaves a log line, a notice and an alert, until it succeeds', async () => {
    const dir = await tempDir()
    // A file where the backups folder should be: no write can succeed there, even as root.
    await writeFile(join(dir, 'backups'), 'not a folder')
    logger.setSinks([fileSink(dir)])
    const { ctx, time, notices, stopAndClose } = await startRuntime(dir, '2026-11-23T10:00:00.000Z')
    const log = await readFile(join(dir, 'logs', 'makegood.log'), 'utf8')
    expect(log).toMatch(/ERROR backup\.failed: .+/)
    expect((await stat(join(dir, 'logs', 'makegood.log'))).mode & 0o777).toBe(0o600)
    expect(notices).toEqual([expect.objectContaining({ title: 'Daily backup failed' })])
    const alerts = await dispatch(ctx, 'alerts:list', {})
    expect(alerts).toMatchObject({ ok: true, value: [{ kind: 'backup_failed', at: '2026-11-23T10:00:00.000Z' }] })

    // Still failing an hour later: logged again, but the person is told once.
    await time.advance(hour)
    expect((await readFile(join(dir, 'logs', 'makegood.log'), 'utf8')).match(/backup\.failed/g)).toHaveLength(2)
    expect(notices).toHaveLength(1)

    // The folder is mended: the next hourly check backs up and the alert goes away.
    await rm(join(dir, 'backups'))
    await time.advance(hour)
    expect(await autoBackups(dir)).toHaveLength(1)
    expect(await dispatch(ctx, 'alerts:list', {})).toEqual({ ok: true, value: [] })
    await stopAndClose()
  })

  // Damages a month file of the folder; the team database has no files to damage (an invalid row is
  // reported as a problem on load instead, which no test here writes).
  it.runIf(engine === 'folder')('a damaged file set aside at start leaves a log line and a notice', async () => {
    const dir = await tempDir()
    const store = await Store.open(dir)
    await store.commit([{ collection: 'customers', value: makeCustomer(1) }])
    await store.commit([{ collection: 'cases', value: makeCase(1, '2026-10-15T09:00:00.000Z', 1, 'cust-1') }])
    await store.close()
    const months = await readdir(join(dir, 'data', 'months'))
    expect(months.length).toBeGreaterThan(0)
    await writeFile(join(dir, 'data', 'months', months[0]!), '{ "cases": [')
    logger.setSinks([fileSink(dir)])
    const { notices, stopAndClose } = await startRuntime(dir, '2026-11-23T10:00:00.000Z')
    expect(await readFile(join(dir, 'logs', 'makegood.log'), 'utf8')).toMatch(/WARN storage\.damage: .+/)
    expect(notices.map((n) => n.title)).toContain('A damaged data file was set aside')
    await stopAndClose()
  })

  it('stop() ends every timer', async () => {
    const dir = await tempDir()
    const { runtime, time, stopAndClose } = await startRuntime(dir, '2026-11-23T10:00:00.000Z')
    // A team desk also looks at other desks' changes every few seconds (sweepChangesElsewhere).
    expect(time.count()).toBe(Object.keys(jobEvery).length + (engine === 'team' ? 1 : 0))
    runtime.stop()
    expect(time.count()).toBe(0)
    await stopAndClose()
  })
})

// The desk's own log file, whatever the engine: run once.
describe.runIf(engine === 'folder')('the log file', () => {
  it('rotates at its size limit and keeps three files, each owner-only', async () => {
    const dir = await tempDir()
    const sink = fileSink(dir, { maxBytes: 200, keep: 3 })
    for (let i = 0; i < 40; i++) {
      sink({ at: '2026-11-23T10:00:00.000Z', level: 'error', event: 'test.line', message: `line ${i}` })
    }
    const files = (await readdir(join(dir, 'logs'))).sort()
    expect(files).toEqual(['makegood.log', 'makegood.log.1', 'makegood.log.2'])
    for (const file of files) {
      const info = await stat(join(dir, 'logs', file))
      expect(info.size).toBeLessThanOrEqual(200)
      expect(info.mode & 0o777).toBe(0o600)
    }
    expect(await readFile(join(dir, 'logs', 'makegood.log'), 'utf8')).toContain('ERROR test.line: line 39')
    expect(await readFile(join(dir, 'logs', 'makegood.log.1'), 'utf8')).not.toContain('line 39')
  })
})
