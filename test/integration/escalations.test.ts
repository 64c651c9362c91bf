import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { dispatch, handlers } from '../../src/main/services'
import { type ServiceContext } from '../../src/main/services/context'
import { Store } from '../../src/main/store/store'
import { patternInputOf } from '../../src/main/services/escalations/escalations'
import { type Escalation, detectPatterns } from '../../src/shared/escalations/escalation'
import { type Case } from '../../src/shared/schemas'
import { engine, openContext, tempDir } from '../helpers/temp'
import { cliEnv, cliTestTimeout } from '../helpers/cli-env'

const run = promisify(execFile)
const bin = join(__dirname, '..', '..', 'bin', 'makegood.cjs')
const makegood = (args: string[]) => run(process.execPath, [bin, ...args], { env: cliEnv() })

async function call<T>(ctx: ServiceContext, method: Parameters<typeof dispatch>[1], input: unknown): Promise<T> {
  const result = await dispatch(ctx, method, input)
  if (!result.ok) throw Object.assign(new Error(result.error.message), { apiError: result.error })
  return result.value as T
}

/** Straight to the service, not through dispatch: written with no sweep, as an import would be. */
const unsweptLateDelivery = (ctx: ServiceContext, customerName: string, receivedAt: string) =>
  handlers['cases:create'](ctx, {
    customerName,
    summary: 'Delivery arrived an hour late',
    description: '',
    remedySought: '',
    channel: 'formal',
    source: 'phone',
    category: 'long-wait',
    severity: 'minor',
    department: 'Delivery',
    owner: '',
    receivedAt,
  })

const lateDelivery = (ctx: ServiceContext, customerName: string, receivedAt: string) =>
  call<Case>(ctx, 'cases:create', {
    customerName,
    summary: 'Delivery arrived an hour late',
    category: 'long-wait',
    department: 'Delivery',
    receivedAt,
  })

async function fix(ctx: ServiceContext, c: Case) {
  for (const step of ['empathise', 'apologise', 'resolve', 'investigate', 'add-plus', 'prevent']) {
    await call(ctx, 'cases:completeStep', { id: c.id, step, note: '' })
  }
  await call(ctx, 'cases:close', { id: c.id, reached: true, satisfaction: 4, wouldComeBack: 'yes' })
}

/**
 * These stories are about recurring failures: service guarantees (on by default, issue 5) would
 * add overdue guarantee promises as further evidence, so they are switched off here.
 */
async function withoutGuarantees(ctx: ServiceContext) {
  const promises = ctx.store.settings.promises
  await call(ctx, 'settings:update', {
    promises: { ...promises, guarantees: promises.guarantees.map((g) => ({ ...g, isActive: false })) },
  })
}

/** Services on a real folder, closed afterwards so the CLI can take the folder. */
async function withStore(dir: string, now: string, work: (ctx: ServiceContext) => Promise<void>) {
  const store = await Store.open(dir)
  try {
    const ctx = { store, now: () => new Date(now) }
    await withoutGuarantees(ctx)
    await work(ctx)
  } finally {
    await store.close()
  }
}

const jsonLines = (stdout: string) =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Escalation & { change?: string; added?: number })

describe('escalations through the services', () => {
  it('sweeps after each change that matters, and one pattern stays one escalation', async () => {
    const ctx = await openContext(await tempDir(), { now: '2026-10-01T09:00:00.000Z' })
    await withoutGuarantees(ctx)
    await lateDelivery(ctx, 'A', '2026-09-20T18:00:00Z')
    await lateDelivery(ctx, 'B', '2026-09-25T18:00:00Z')
    expect(ctx.store.count('escalations')).toBe(0)
    await lateDelivery(ctx, 'C', '2026-09-30T18:00:00Z')
    expect(ctx.store.count('escalations')).toBe(1)
    await lateDelivery(ctx, 'D', '2026-10-01T08:00:00Z')
    const [only] = [...ctx.store.all('escalations')]
    expect(ctx.store.count('escalations')).toBe(1)
    expect(only?.evidence).toHaveLength(4)
    expect(await call(ctx, 'escalations:sweep', {})).toEqual([])
    expect(await call(ctx, 'escalations:counts', {})).toEqual({ unacknowledged: 1, open: 1 })
  })

  it('keeps its thresholds when other settings are saved', async () => {
    const ctx = await openContext(await tempDir())
    const targets = [{ department: 'Delivery', category: 'long-wait', perMonth: 4 }]
    await call(ctx, 'settings:update', {
      escalation: { ...ctx.store.settings.escalation, quietDays: 45, targets },
    })
    await call(ctx, 'settings:update', { language: 'hu' })
    expect(ctx.store.settings.escalation).toMatchObject({ quietDays: 45, targets })
  })

  it('refuses to resolve too early with a clear reason, and writes nothing', async () => {
    const dir = await tempDir()
    const ctx = await openContext(dir, { now: '2026-10-01T09:00:00.000Z' })
    await withoutGuarantees(ctx)
    for (const [name, at] of [
      ['A', '2026-09-20T18:00:00Z'],
      ['B', '2026-09-25T18:00:00Z'],
      ['C', '2026-09-30T18:00:00Z'],
    ] as const)
      await lateDelivery(ctx, name, at)
    const [raised] = [...ctx.store.all('escalations')] as [Escalation]
    const early = await dispatch(ctx, 'escalations:resolve', { id: raised.id })
    expect(early).toMatchObject({ ok: false, error: { code: 'rule_violation', reason: 'escalation.no_action' } })
    await call(ctx, 'escalations:acknowledge', { id: raised.id, manager: 'Anna', note: 'Seen' })
    await call(ctx, 'escalations:planAction', {
      id: raised.id,
      what: 'Second van',
      owner: 'Tom',
      dueAt: '2026-10-15T17:00:00Z',
    })
    const before = ctx.store.get('escalations', raised.id)
    const refused = await dispatch(ctx, 'escalations:resolve', { id: raised.id, note: 'done' })
    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'rule_violation', reason: 'escalation.still_active', params: { days: 30 } },
    })
    expect(ctx.store.get('escalations', raised.id)).toEqual(before)
    const list = await call<{ escalations: { resolveBlock?: { reason: string } }[] }>(ctx, 'escalations:list', {})
    expect(list.escalations[0]?.resolveBlock?.reason).toBe('escalation.still_active')
  })

  it('loads sample data with an escalation answered by an action and a department over its target', async () => {
    const ctx = await openContext(await tempDir(), { now: '2026-11-23T10:00:00.000Z' })
    await call(ctx, 'demo:load', {})
    const all = [...ctx.store.all('escalations')]
    expect(all.find((e) => e.patternKey === 'recurring-failure/Delivery/long-wait')).toMatchObject({
      status: 'action-planned',
      acknowledgement: { by: 'Anna Kovács' },
      action: { owner: 'Tom Baker', dueAt: '2026-12-07T10:00:00.000Z' },
    })
    expect(all.some((e) => e.rule === 'over-target' && e.subject.department === 'Delivery')).toBe(true)
    expect(all.filter((e) => e.status === 'raised').length).toBeGreaterThan(0)
    expect(await call(ctx, 'escalations:sweep', {})).toEqual([])
    const table = await call<{
      departments: { department: string; rows: { category: string; counts: number[]; target?: number }[] }[]
    }>(ctx, 'escalations:departments', {})
    const delivery = table.departments
      .find((d) => d.department === 'Delivery')
      ?.rows.find((r) => r.category === 'long-wait')
    expect(delivery?.target).toBe(2)
    expect(Math.max(...(delivery?.counts.slice(-2) ?? []))).toBeGreaterThan(2)
  })
})

describe('the sweep after a change looks only at grumbles that can still count', () => {
  it('finds exactly the patterns a look at the whole history finds, on six months of sample data (and lists them a page at a time)', async () => {
    const ctx = await openContext(await tempDir(), { now: '2026-11-23T10:00:00.000Z' })
    await dispatch(ctx, 'demo:load', {})
    const grumbles = ctx.store.count('grumbles')
    const trimmed = patternInputOf(ctx, true)
    const whole = patternInputOf(ctx)
    // The sample spans six months; the rules' windows are a month or two: most grumbles are history.
    expect(trimmed.grumbles.length).toBeLessThan(whole.grumbles.length)
    expect(whole.grumbles.length).toBeGreaterThan(grumbles / 2)
    // The list hands out the first N in its order, and how many there are in all.
    const all = await call<{ escalations: { id: string }[]; total: number }>(ctx, 'escalations:list', {})
    const first = await call<{ escalations: { id: string }[]; total: number }>(ctx, 'escalations:list', { limit: 5 })
    expect(all.total).toBe(all.escalations.length)
    expect(first.total).toBe(all.total)
    expect(first.escalations.map((e) => e.id)).toEqual(all.escalations.slice(0, 5).map((e) => e.id))
    for (const at of ['2026-11-23T10:00:00.000Z', '2026-10-01T09:00:00.000Z', '2026-08-15T12:00:00.000Z']) {
      ctx.setNow(at)
      expect(detectPatterns(patternInputOf(ctx, true), new Date(at))).toEqual(detectPatterns(whole, new Date(at)))
    }
  })
})

// The CLI spawned on a data folder it writes with Store.open: the same run on either engine, so once
// (the CLI on the team database is team-cli.test.ts).
describe.runIf(engine === 'folder')(
  'the sweep and escalations commands, spawned as processes',
  { timeout: cliTestTimeout },
  () => {
    it('follows a late-delivery problem that is fixed and comes back', async () => {
      const dir = await tempDir()
      const first: Case[] = []
      // Week 0: three late deliveries, seeded at a time before the pattern forms.
      await withStore(dir, '2026-09-19T00:00:00Z', async (ctx) => {
        await call(ctx, 'settings:update', { departments: ['Delivery'] })
      })
      const store = await Store.open(dir)
      const seeded = { store, now: () => new Date('2026-10-01T00:00:00Z') }
      for (const [name, at] of [
        ['A', '2026-09-20T18:00:00Z'],
        ['B', '2026-09-25T18:00:00Z'],
        ['C', '2026-09-30T18:00:00Z'],
      ] as const) {
        first.push(await unsweptLateDelivery(seeded, name, at))
      }
      await store.close()
      expect((await makegood(['--data', dir, 'escalations'])).stdout).toContain('No escalations.')

      const raised = jsonLines(
        (await makegood(['--data', dir, 'sweep', '--now', '2026-10-01T09:00:00Z', '--json'])).stdout,
      )
      expect(raised.map((e) => [e.change, e.rule, e.status, e.evidence.length])).toEqual([
        ['raised', 'recurring-failure', 'raised', 3],
      ])
      // Idempotent: the same time, or an hour later, changes nothing.
      expect((await makegood(['--data', dir, 'sweep', '--now', '2026-10-01T09:00:00Z', '--json'])).stdout).toBe('')
      expect((await makegood(['--data', dir, '--now', '2026-10-01T10:00:00Z', 'sweep'])).stdout).toBe(
        'No new or changed escalations.\n',
      )
      const text = (await makegood(['--data', dir, 'escalations'])).stdout
      expect(text).toBe('2026-10-01  Raised  Medium  Recurring: Waiting too long in Delivery  (3)\n')

      // Management answers; the team fixes every case (Prevent done).
      const id = raised[0]?.id ?? ''
      await withStore(dir, '2026-10-02T10:00:00Z', async (ctx) => {
        await call(ctx, 'escalations:acknowledge', { id, manager: 'Anna', note: 'Seen' })
        await call(ctx, 'escalations:planAction', {
          id,
          what: 'Second van',
          owner: 'Tom',
          dueAt: '2026-10-15T17:00:00Z',
        })
        for (const c of first) await fix(ctx, c)
      })
      expect((await makegood(['--data', dir, 'sweep', '--now', '2026-11-05T09:00:00Z'])).stdout).toBe(
        'No new or changed escalations.\n',
      )
      await withStore(dir, '2026-11-05T09:00:00Z', async (ctx) => {
        await call(ctx, 'escalations:resolve', { id, note: 'Two vans' })
      })
      expect(
        jsonLines((await makegood(['--data', dir, 'escalations', '--status', 'resolved', '--json'])).stdout),
      ).toHaveLength(1)

      // It comes back in November.
      const back = await Store.open(dir)
      const later = { store: back, now: () => new Date('2026-11-14T20:00:00Z') }
      for (const [name, at] of [
        ['D', '2026-11-10T19:00:00Z'],
        ['E', '2026-11-12T19:00:00Z'],
        ['F', '2026-11-14T19:00:00Z'],
      ] as const) {
        await unsweptLateDelivery(later, name, at)
      }
      await back.close()
      const reopened = jsonLines(
        (await makegood(['--data', dir, 'sweep', '--now', '2026-11-15T09:00:00Z', '--json'])).stdout,
      )
      expect(
        reopened.map((e) => [e.change, e.id, e.status, e.isPreventionFailed, e.reopenCount, e.evidence.length]),
      ).toEqual([['reopened', id, 'raised', true, 1, 6]])
      expect((await makegood(['--data', dir, 'sweep', '--now', '2026-11-15T09:00:00Z'])).stdout).toBe(
        'No new or changed escalations.\n',
      )
      const listed = jsonLines((await makegood(['--data', dir, 'escalations', '--status', 'raised', '--json'])).stdout)
      expect(listed.map((e) => [e.id, e.isPreventionFailed])).toEqual([[id, true]])
      const bad = await makegood(['--data', dir, 'escalations', '--status', 'open']).catch(
        (error: { code: number; stderr: string }) => error,
      )
      expect(bad).toMatchObject({ code: 2 })
    }, 180_000)
  },
)
