import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { contract, type EscalationView, type Method } from '../../src/shared/api'
import { AppError } from '../../src/shared/core/errors'
import { handlers } from '../../src/main/services'
import { type ServiceContext } from '../../src/main/services/context'
import {
  patternInputOf,
  sweepAfterChange,
  sweepEscalations,
  warmSweep,
} from '../../src/main/services/escalations/escalations'
import {
  type Escalation,
  detectPatterns,
  isOpenEscalation,
  resolveRefusal,
  sweep,
} from '../../src/shared/escalations/escalation'
import { openContext, tempDir } from '../helpers/temp'

/**
 * The sweep after a change looks only at the patterns the change (and the time passed) can
 * touch. Over random histories it must give exactly what a sweep of the whole history gives,
 * after every single step.
 */

const departments = ['Kitchen', 'Delivery', '']
const categories = ['long-wait', 'poor-quality', 'hygiene']
const customers = ['Ana', 'Ben', 'Cai', 'Dee']
const hourMs = 3_600_000

type Op =
  | { op: 'case'; customer: number; category: number; department: number; severity: number; hoursAgo: number }
  | { op: 'edit'; pick: number; category: number; department: number; severity: number }
  | { op: 'step'; pick: number; step: number }
  | { op: 'close'; pick: number; reached: boolean }
  | { op: 'reopen'; pick: number }
  | { op: 'grumble'; category: number; department: number; hoursAgo: number; customer: number }
  | { op: 'promote'; pick: number }
  | { op: 'promise'; customer: number; onCase: boolean; pick: number; hours: number }
  | { op: 'keep' | 'break'; pick: number }
  | { op: 'signal'; customer: number }
  | { op: 'escalation'; pick: number; action: 'acknowledge' | 'plan' | 'resolve' | 'dismiss' }
  | { op: 'wait'; hours: number }
  | { op: 'untilDue'; pick: number }
  | { op: 'timer' }
  | { op: 'warm' }

const pick = fc.nat(1000)
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('case' as const),
      customer: fc.nat(3),
      category: fc.nat(2),
      department: fc.nat(2),
      severity: fc.nat(2),
      hoursAgo: fc.oneof(fc.constant(0), fc.nat(24 * 45)),
    }),
  },
  fc.record({
    op: fc.constant('edit' as const),
    pick,
    category: fc.nat(2),
    department: fc.nat(2),
    severity: fc.nat(2),
  }),
  { weight: 4, arbitrary: fc.record({ op: fc.constant('step' as const), pick, step: fc.nat(5) }) },
  fc.record({ op: fc.constant('close' as const), pick, reached: fc.boolean() }),
  fc.record({ op: fc.constant('reopen' as const), pick }),
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('grumble' as const),
      category: fc.nat(2),
      department: fc.nat(2),
      hoursAgo: fc.oneof(fc.constant(0), fc.nat(24 * 70)),
      customer: fc.nat(4),
    }),
  },
  fc.record({ op: fc.constant('promote' as const), pick }),
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('promise' as const),
      customer: fc.nat(3),
      onCase: fc.boolean(),
      pick,
      hours: fc.integer({ min: 1, max: 24 * 10 }),
    }),
  },
  fc.record({ op: fc.constantFrom('keep' as const, 'break' as const), pick }),
  fc.record({ op: fc.constant('signal' as const), customer: fc.nat(3) }),
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('escalation' as const),
      pick,
      action: fc.constantFrom('acknowledge' as const, 'plan' as const, 'resolve' as const, 'dismiss' as const),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('wait' as const),
      // Now and then long enough for a pattern to go quiet (its records leave the rules' windows).
      hours: fc.oneof(
        { weight: 3, arbitrary: fc.integer({ min: 1, max: 24 * 20 }) },
        fc.integer({ min: 24 * 20, max: 24 * 120 }),
      ),
    }),
  },
  // To the very millisecond an open promise falls due: not overdue yet, and then it is.
  { weight: 2, arbitrary: fc.record({ op: fc.constant('untilDue' as const), pick }) },
  fc.record({ op: fc.constant('timer' as const) }),
  // The start-up's rehearsal of the busiest groups, at any point of a history.
  fc.record({ op: fc.constant('warm' as const) }),
)

/** A service call as the dispatcher makes it (input parsed by the contract), without its sweep. */
async function call(ctx: ServiceContext, name: Method, input: unknown): Promise<unknown> {
  const handler = handlers[name] as (c: ServiceContext, i: unknown) => Promise<unknown>
  try {
    return await handler(ctx, contract[name].input.parse(input))
  } catch (error) {
    // A refusal (a closed case closed again, a promise already kept…) leaves the data as it was.
    if (error instanceof AppError) return undefined
    throw error
  }
}

const nth = <T>(list: readonly T[], n: number): T | undefined => (list.length ? list[n % list.length] : undefined)
const byId = (list: Iterable<Escalation>) => [...list].sort((a, b) => (a.id < b.id ? -1 : 1))

async function apply(ctx: ServiceContext & { setNow: (iso: string) => void }, op: Op): Promise<void> {
  const now = ctx.now().getTime()
  const cases = [...ctx.store.all('cases')].sort((a, b) => (a.id < b.id ? -1 : 1))
  const customerIds = [...ctx.store.all('customers')].map((c) => c.id).sort()
  switch (op.op) {
    case 'case':
      await call(ctx, 'cases:create', {
        customerName: customers[op.customer],
        summary: 'Something went wrong',
        category: categories[op.category],
        department: departments[op.department],
        severity: ['minor', 'major', 'near-miss'][op.severity],
        receivedAt: new Date(now - op.hoursAgo * hourMs).toISOString(),
      })
      return
    case 'edit': {
      const c = nth(cases, op.pick)
      if (c)
        await call(ctx, 'cases:update', {
          id: c.id,
          category: categories[op.category],
          department: departments[op.department],
          severity: ['minor', 'major', 'near-miss'][op.severity],
        })
      return
    }
    case 'step': {
      const c = nth(cases, op.pick)
      const step = ['empathise', 'apologise', 'resolve', 'investigate', 'add-plus', 'prevent'][op.step]
      if (c) await call(ctx, 'cases:completeStep', { id: c.id, step, note: '' })
      return
    }
    case 'close': {
      const c = nth(cases, op.pick)
      if (c)
        await call(
          ctx,
          'cases:close',
          op.reached
            ? { id: c.id, reached: true, satisfaction: 4, wouldComeBack: 'yes' }
            : { id: c.id, reached: false },
        )
      return
    }
    case 'reopen': {
      const c = nth(cases, op.pick)
      if (c) await call(ctx, 'cases:reopen', { id: c.id, reason: 'It happened again' })
      return
    }
    case 'grumble':
      await call(ctx, 'grumbles:log', {
        text: 'Not great',
        category: categories[op.category],
        department: departments[op.department],
        heardAt: new Date(now - op.hoursAgo * hourMs).toISOString(),
        ...(op.customer < customers.length ? { customerName: customers[op.customer] } : {}),
      })
      return
    case 'promote': {
      const grumbles = [...ctx.store.all('grumbles')].filter((g) => !g.caseId).sort((a, b) => (a.id < b.id ? -1 : 1))
      const g = nth(grumbles, op.pick)
      if (g) await call(ctx, 'grumbles:promote', { id: g.id, customerName: 'Eve' })
      return
    }
    case 'promise': {
      const c = op.onCase ? nth(cases, op.pick) : undefined
      await call(ctx, 'promises:create', {
        what: 'Call back',
        ...(c ? { caseId: c.id } : { customerName: customers[op.customer] }),
        due: { kind: 'at', at: new Date(now + op.hours * hourMs).toISOString() },
      })
      return
    }
    case 'keep':
    case 'break': {
      const open = [...ctx.store.all('promises')]
        .filter((p) => p.status === 'open')
        .sort((a, b) => (a.id < b.id ? -1 : 1))
      const p = nth(open, op.pick)
      if (!p) return
      if (op.op === 'keep') await call(ctx, 'promises:keep', { id: p.id, note: '' })
      else await call(ctx, 'promises:break', { id: p.id, whatHappened: 'Forgot' })
      return
    }
    case 'signal': {
      const customerId = nth(customerIds, op.customer)
      if (customerId) await call(ctx, 'signals:raise', { customerId, note: 'Stopped coming' })
      return
    }
    case 'escalation': {
      const e = nth(byId(ctx.store.all('escalations')), op.pick)
      if (!e) return
      if (op.action === 'acknowledge')
        await call(ctx, 'escalations:acknowledge', { id: e.id, manager: 'Mo', note: 'Seen' })
      else if (op.action === 'plan') {
        // Planned, an escalation may be resolved once its pattern is quiet: the inbox checks which.
        if (e.status === 'raised') await call(ctx, 'escalations:acknowledge', { id: e.id, manager: 'Mo', note: 'Seen' })
        const dueAt = new Date(ctx.now().getTime() + 7 * 24 * hourMs).toISOString()
        await call(ctx, 'escalations:planAction', { id: e.id, what: 'Retrain', owner: 'Mo', dueAt })
      } else if (op.action === 'resolve') await call(ctx, 'escalations:resolve', { id: e.id, note: 'Fixed' })
      else await call(ctx, 'escalations:dismiss', { id: e.id, reason: 'Chance' })
      return
    }
    case 'wait':
      ctx.setNow(new Date(now + op.hours * hourMs).toISOString())
      return
    case 'untilDue': {
      const due = [...ctx.store.all('promises')]
        .filter((p) => p.status === 'open' && Date.parse(p.dueAt) > now)
        .map((p) => p.dueAt)
        .sort()
      const at = nth(due, op.pick)
      if (at) ctx.setNow(at)
      return
    }
    case 'timer':
      return
    case 'warm': {
      const before = JSON.stringify(ctx.store.dataSet())
      await warmSweep(ctx)
      // It writes nothing: what the sweep after the next change finds is checked as after any step.
      expect(JSON.stringify(ctx.store.dataSet())).toBe(before)
      return
    }
  }
}

async function expectResolveBlocksAsFromWholeHistory(ctx: ServiceContext): Promise<void> {
  const now = ctx.now()
  const active = new Set(detectPatterns(patternInputOf(ctx, true), now).map((d) => d.patternKey))
  const listed = (await call(ctx, 'escalations:list', {})) as { escalations: EscalationView[] }
  for (const view of listed.escalations) {
    const e = ctx.store.get('escalations', view.id)!
    const expected = isOpenEscalation(e) ? resolveRefusal(e, active, ctx.store.settings.escalation, now) : undefined
    expect([view.id, view.resolveBlock?.reason]).toEqual([view.id, expected?.reason])
  }
}

describe('the sweep after a change', () => {
  it('gives exactly the escalations a sweep of the whole history gives, after every step of random histories', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 5, maxLength: 40 }), async (ops) => {
        const ctx = await openContext(await tempDir('makegood-incremental-'), { now: '2026-03-02T09:00:00.000Z' })
        // Low thresholds and a target, so every rule fires in a short history.
        await ctx.store.commit([
          {
            collection: 'settings',
            value: {
              ...ctx.store.settings,
              escalation: {
                ...ctx.store.settings.escalation,
                recurringCount: 2,
                ladderMinorThreshold: 2,
                brokenPromiseCount: 2,
                targets: [{ department: 'Kitchen', category: 'hygiene', perMonth: 1 }],
              },
            },
          },
        ])
        await sweepEscalations(ctx)
        for (const op of ops) {
          await apply(ctx, op)
          if (op.op === 'timer') {
            await sweepEscalations(ctx)
            continue
          }
          // The inbox says which escalations may be resolved as a look at the whole history would,
          // though it looks only at their patterns' groups, and before the sweep has run.
          await expectResolveBlocksAsFromWholeHistory(ctx)
          // What a sweep of the whole history would change now, not committed…
          const expected = sweep(patternInputOf(ctx, true), [...ctx.store.all('escalations')], ctx.now())
          // …against what the sweep after a change does commit.
          const changes = await sweepAfterChange(ctx)
          expect(byId(changes.map((c) => c.escalation))).toEqual(byId(expected.map((c) => c.escalation)))
          // And afterwards the whole history holds nothing more to raise.
          expect(sweep(patternInputOf(ctx, true), [...ctx.store.all('escalations')], ctx.now())).toEqual([])
        }
      }),
      { numRuns: 60, seed: 18 },
    )
  }, 600_000)
})
