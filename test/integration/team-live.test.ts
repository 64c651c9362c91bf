import { afterEach, describe, expect, it } from 'vitest'
import { type LogEntry, logger, stderrSink } from '../../src/main/log/logger'
import { type Runtime, type Scheduler, createRuntime } from '../../src/main/runtime/runtime'
import { dispatch } from '../../src/main/services'
import { type ServiceContext } from '../../src/main/services/context'
import { sweepEscalations } from '../../src/main/services/escalations/escalations'
import { PgStore } from '../../src/main/store/postgres/pgStore'
import { teamInit } from '../../src/main/store/postgres/team'
import { type Case } from '../../src/shared/schemas'
import { asSuperuser, freshTeamDatabase } from '../helpers/pg'
import { makeCase, makeCustomer } from '../helpers/records'
import { tempDir } from '../helpers/temp'

const opened: PgStore[] = []
const runtimes: Runtime[] = []
const logged: LogEntry[] = []
afterEach(async () => {
  for (const runtime of runtimes.splice(0)) runtime.stop()
  for (const store of opened.splice(0)) await store.close()
  logger.setSinks([stderrSink])
  logged.splice(0)
})

const now = new Date('2026-10-01T09:00:00.000Z')

async function openTeam(url: string): Promise<PgStore> {
  const store = await PgStore.open(url)
  opened.push(store)
  return store
}

const contextOf = (store: PgStore): ServiceContext => ({ store, now: () => now })

/** Collects log lines instead of printing them: a test says which warnings it expects (none). */
function captureLog(): LogEntry[] {
  logger.setSinks([(entry) => logged.push(entry)])
  return logged
}

async function within(ms: number, check: () => boolean | Promise<boolean>): Promise<number> {
  const started = performance.now()
  while (!(await check())) {
    if (performance.now() - started > ms) throw new Error(`not within ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  return performance.now() - started
}

/** Long waits at three departments, three a department in ten days. */
function patternRecords() {
  const departments = ['Delivery', 'Kitchen', 'Front desk']
  const late = ['2026-09-20T18:00:00.000Z', '2026-09-25T19:00:00.000Z', '2026-09-30T19:30:00.000Z']
  const cases = departments.flatMap((department, d) =>
    late.map((receivedAt, i) => ({
      ...makeCase(d * 10 + i, receivedAt),
      customerId: `cust-${d * 10 + i}`,
      category: 'long-wait',
      severity: 'minor' as const,
      department,
      status: 'open' as const,
    })),
  )
  return [
    ...cases.map((c) => ({ collection: 'customers' as const, value: makeCustomer(Number(c.customerId.slice(5))) })),
    ...cases.map((value) => ({ collection: 'cases' as const, value })),
  ]
}

async function storedEscalations(url: string): Promise<{ key: string }[]> {
  return asSuperuser(
    async (client) =>
      (await client.query<{ key: string }>(`select record->>'patternKey' as key from escalations order by 1`)).rows,
    new URL(url).pathname.slice(1),
  )
}

const manualScheduler = (): Scheduler => ({ every: () => () => undefined })

describe('background work on the team database runs once per team', () => {
  it('four desks sweeping at the same moment raise each escalation once, with no failed sweep', async () => {
    const { url } = await freshTeamDatabase()
    await teamInit(url, 'Anna Owner')
    const desks = await Promise.all([1, 2, 3, 4].map(() => openTeam(url)))
    const log = captureLog()
    // Written straight to the store (as an import would): no contract call, so nothing swept yet.
    await desks[0]!.commit(patternRecords())
    await within(2000, () => desks.every((desk) => desk.count('cases') === 9))
    const rounds = await Promise.all(desks.map((desk) => sweepEscalations(contextOf(desk))))
    const raised = rounds.flat().filter((c) => c.change === 'raised')
    const keys = (await storedEscalations(url)).map((e) => e.key)
    // One a department, one for the category across them: each stored once, raised at one desk.
    expect(keys).toHaveLength(4)
    expect(new Set(keys).size).toBe(4)
    expect(raised).toHaveLength(4)
    // Every desk holds the three, and a second round at every desk raises nothing new.
    await within(2000, () => desks.every((desk) => desk.count('escalations') === 4))
    const again = await Promise.all(desks.map((desk) => sweepEscalations(contextOf(desk))))
    expect(again.flat().filter((c) => c.change === 'raised')).toEqual([])
    expect(log.filter((e) => e.level !== 'info')).toEqual([])
  })

  it('cases logged at four desks at once, each save sweeping: one escalation per pattern', async () => {
    const { url } = await freshTeamDatabase()
    await teamInit(url, 'Anna Owner')
    const desks = await Promise.all([1, 2, 3, 4].map(() => openTeam(url)))
    const log = captureLog()
    await ok(dispatch(contextOf(desks[0]!), 'settings:update', { departments: ['Delivery', 'Kitchen'] }))
    await within(2000, () => desks.every((desk) => desk.settings.departments.length === 2))
    // Three complaints a desk about the same department and category: a pattern forms at once.
    await Promise.all(
      desks.flatMap((desk, d) =>
        [1, 2, 3].map((n) =>
          ok<Case>(
            dispatch(contextOf(desk), 'cases:create', {
              customerName: `Customer ${d}-${n}`,
              summary: `Waited an hour (${d}-${n})`,
              remedySought: 'A refund',
              category: 'long-wait',
              department: d % 2 === 0 ? 'Delivery' : 'Kitchen',
              receivedAt: now.toISOString(),
            }),
          ),
        ),
      ),
    )
    const keys = (await storedEscalations(url)).map((e) => e.key)
    expect(keys.length).toBeGreaterThanOrEqual(2)
    expect(new Set(keys).size).toBe(keys.length)
    expect(log.filter((e) => e.level !== 'info')).toEqual([])
  })

  it('four desk runtimes started together: the start-up jobs run at one desk only', async () => {
    const { url } = await freshTeamDatabase()
    await teamInit(url, 'Anna Owner')
    const setup = await openTeam(url)
    await setup.commit(patternRecords())
    const desks = await Promise.all([1, 2, 3, 4].map(() => openTeam(url)))
    const log = captureLog()
    const folders = await Promise.all(desks.map(() => tempDir()))
    const started = desks.map((store, i) => {
      const runtime = createRuntime({
        store,
        now: () => now,
        systemLanguage: 'en-US',
        announce: () => undefined,
        scheduler: manualScheduler(),
        filesDir: folders[i]!,
      })
      runtimes.push(runtime)
      return runtime
    })
    await Promise.all(started.map((runtime) => runtime.start()))
    expect(await storedEscalations(url)).toHaveLength(4)
    // One desk holds the jobs lock and made the day's backup; the others made none.
    const { readdir } = await import('node:fs/promises')
    const backups = await Promise.all(folders.map((dir) => readdir(`${dir}/backups`).catch(() => [] as string[])))
    expect(backups.filter((names) => names.length > 0)).toHaveLength(1)
    expect(log.filter((e) => e.level !== 'info')).toEqual([])
  })
})

async function ok<T>(promise: Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }>): Promise<T> {
  const result = await promise
  if (!result.ok) throw new Error(JSON.stringify(result.error))
  return result.value as T
}
