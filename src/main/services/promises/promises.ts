import { type z } from 'zod'
import { byCodeUnits } from '../../../shared/core/order'
import { storedTime } from '../../../shared/core/storedTime'
import {
  type BreakPromiseInput,
  type NewPromise,
  type PromiseFilter,
  type PromisePage,
  type PromisePageInput,
  type PromiseMetricsView,
  type PromiseSummary,
  type RenegotiateInput,
  type TodayPromises,
  type TodayPromisesInput,
} from '../../../shared/promises/contract'
import { AppError } from '../../../shared/core/errors'
import {
  type CustomerPromise,
  breakPromise,
  cancelPromise,
  keepPromise,
  makePromise,
  promiseMetricsGrouped,
  renegotiatePromise,
  resolveDue,
  stateAt,
  todayBuckets,
  undoPromiseClose,
} from '../../../shared/promises/promises'
import { type Actor } from '../../../shared/cases/recovery'
import { type Case, type TimelineEvent } from '../../../shared/schemas'
import { type Change } from '../../store/store'
import { calendarOf } from './calendar'
import { requireCase } from '../cases/cases'
import { type ServiceContext, actorOf, newId } from '../context'
import { requireCustomer, resolveCustomer } from '../customers/customerRecords'
import { promiseEvent, promiseLabel } from '../../../shared/promises/promiseEvents'
import { followsStep, guaranteeSteps } from '../../../shared/promises/guaranteeRule'
import { type PromiseFacts, openPromises, promiseFacts, promiseOf } from './oldPromises'

export function requirePromise(ctx: ServiceContext, id: string): CustomerPromise {
  const found = ctx.store.get('promises', id)
  if (!found) throw new AppError('not_found', `No promise ${id}`, { reason: 'promise.not_found' })
  return found
}

export function summarizePromise(ctx: ServiceContext, p: CustomerPromise, now = ctx.now()): PromiseSummary {
  return {
    ...p,
    state: stateAt(p, now),
    customerName: p.customerId ? (ctx.store.get('customers', p.customerId)?.name ?? '') : '',
    caseNumber: p.caseId ? (ctx.store.get('cases', p.caseId)?.number ?? null) : null,
  }
}

/** Every promise change is on its case's timeline: the case, with the events added, as one change. */
function caseWithEvents(
  ctx: ServiceContext,
  caseId: string | undefined,
  events: TimelineEvent[],
  at: string,
): Change[] {
  if (!caseId || events.length === 0) return []
  const c = requireCase(ctx, caseId)
  const updated: Case = { ...c, updatedAt: at, timeline: [...c.timeline, ...events] }
  return [{ collection: 'cases', value: updated }]
}

export function departmentOf(ctx: ServiceContext, madeBy: string, c?: Case): string {
  return ctx.store.settings.staff.find((s) => s.name === madeBy)?.department ?? c?.department ?? ''
}

/**
 * The promises a filter matches, in the ledger's order: by due time, then by when they were made
 * (times written by MakeGood are UTC ISO texts, which compare as text). States are read at `now`.
 */
function matchingPromises(
  ctx: ServiceContext,
  filter: Omit<z.output<typeof PromiseFilter>, 'limit'>,
  now: Date,
): PromiseFacts[] {
  const from = filter.dueFrom ? Date.parse(filter.dueFrom) : undefined
  const to = filter.dueTo ? Date.parse(filter.dueTo) : undefined
  const result: PromiseFacts[] = []
  for (const p of promiseFacts(ctx.store)) {
    if (filter.status && p.status !== filter.status) continue
    if (filter.madeBy !== undefined && p.madeBy !== filter.madeBy) continue
    if (filter.department !== undefined && p.department !== filter.department) continue
    if (filter.customerId && p.customerId !== filter.customerId) continue
    if (filter.caseId && p.caseId !== filter.caseId) continue
    if (from !== undefined || to !== undefined) {
      const due = storedTime(p.dueAt)
      if (from !== undefined && due < from) continue
      if (to !== undefined && due > to) continue
    }
    if (filter.states && !filter.states.includes(stateAt(p, now))) continue
    result.push(p)
  }
  return result.sort((a, b) => byCodeUnits(a.dueAt, b.dueAt) || byCodeUnits(a.madeAt, b.madeAt))
}

export function listPromises(ctx: ServiceContext, filter: z.output<typeof PromiseFilter>): PromiseSummary[] {
  const now = ctx.now()
  const matched = matchingPromises(ctx, filter, now)
  return (filter.limit ? matched.slice(0, filter.limit) : matched).map((p) => summarizePromise(ctx, promiseOf(p), now))
}

/** The Promises screen's rows from `offset` on, latest due first, and how many match. */
export function pagePromises(ctx: ServiceContext, input: z.output<typeof PromisePageInput>): PromisePage {
  const { offset, limit, ...filter } = input
  const now = ctx.now()
  const matched = matchingPromises(ctx, filter, now)
  const items: PromiseSummary[] = []
  const last = Math.max(0, matched.length - offset - limit)
  for (let i = matched.length - 1 - offset; i >= last; i--)
    items.push(summarizePromise(ctx, promiseOf(matched[i]!), now))
  return { total: matched.length, items, isComplete: ctx.store.isFullyLoaded }
}

export async function createPromise(ctx: ServiceContext, input: z.output<typeof NewPromise>): Promise<CustomerPromise> {
  const actor = actorOf(ctx)
  const changes: Change[] = []
  const c = input.caseId ? requireCase(ctx, input.caseId) : undefined
  let customerId = c?.customerId ?? input.customerId
  if (!customerId) {
    if (!input.customerName?.trim()) {
      throw new AppError('invalid_input', 'Say which customer the promise is made to', {
        reason: 'promise.customer_required',
        details: [{ path: 'customerName', message: 'Required' }],
      })
    }
    const { customer, isNew } = resolveCustomer(ctx, { name: input.customerName })
    if (isNew) changes.push({ collection: 'customers', value: customer })
    customerId = customer.id
  } else requireCustomer(ctx, customerId)
  // On a team database a promise is made by the person of the login (they are the one who made it).
  const madeBy = ctx.store.session ? actor.by : input.madeBy?.trim() || actor.by
  const dueAt = resolveDue(calendarOf(ctx), ctx.now(), input.due).toISOString()
  const made = makePromise(
    {
      id: newId(),
      what: input.what,
      customerId,
      ...(c ? { caseId: c.id } : {}),
      madeBy,
      department: departmentOf(ctx, madeBy, c),
      dueAt,
    },
    actor,
  )
  changes.push({ collection: 'promises', value: made })
  changes.push(...caseWithEvents(ctx, made.caseId, [promiseEvent(made, 'made', actor)], actor.at))
  await ctx.store.commit(changes)
  return made
}

async function closeWith(
  ctx: ServiceContext,
  id: string,
  close: (p: CustomerPromise, actor: Actor) => CustomerPromise,
  extraEvents: (p: CustomerPromise, actor: Actor) => TimelineEvent[] = () => [],
): Promise<CustomerPromise> {
  const actor = actorOf(ctx)
  const updated = close(requirePromise(ctx, id), actor)
  const events = [promiseEvent(updated, updated.status, actor, updated.note), ...extraEvents(updated, actor)]
  await ctx.store.commit([
    { collection: 'promises', value: updated },
    ...caseWithEvents(ctx, updated.caseId, events, actor.at),
  ])
  return updated
}

export async function keepPromiseService(ctx: ServiceContext, input: { id: string; note: string }) {
  const p = requirePromise(ctx, input.id)
  // A service guarantee is kept by the step it guarantees (docs/promises.md), not by hand.
  if (followsStep(p)) {
    const step = guaranteeSteps[p.guaranteeId!]!
    throw new AppError('rule_violation', `This guarantee is kept by the ${step} step: complete the step on the case`, {
      reason: 'promise.guarantee_follows_step',
      params: { step },
    })
  }
  return closeWith(ctx, input.id, (p, actor) => keepPromise(p, actor, input.note))
}

/**
 * A broken promise is itself a failure (docs/domain.md): besides the status line,
 * `isLoggedOnCase` logs it on the case as a failure of its own.
 */
export async function breakPromiseService(ctx: ServiceContext, input: z.output<typeof BreakPromiseInput>) {
  return closeWith(
    ctx,
    input.id,
    (p, actor) => breakPromise(p, actor, input.whatHappened),
    (p, actor) =>
      input.isLoggedOnCase && p.caseId
        ? [
            {
              at: actor.at,
              by: actor.by,
              type: 'failure',
              field: 'broken-promise',
              after: promiseLabel(p),
              note: input.whatHappened.trim(),
            },
          ]
        : [],
  )
}

export async function undoPromiseCloseService(ctx: ServiceContext, input: { id: string }) {
  const actor = actorOf(ctx)
  const before = requirePromise(ctx, input.id)
  const updated = undoPromiseClose(before, actor)
  const events = [promiseEvent(updated, 'undone', actor, '')]
  await ctx.store.commit([
    { collection: 'promises', value: updated },
    ...caseWithEvents(ctx, updated.caseId, events, actor.at),
  ])
  return updated
}

export async function cancelPromiseService(ctx: ServiceContext, input: { id: string; reason: string }) {
  return closeWith(ctx, input.id, (p, actor) => cancelPromise(p, actor, input.reason))
}

export async function renegotiatePromiseService(
  ctx: ServiceContext,
  input: z.output<typeof RenegotiateInput>,
): Promise<{ closed: CustomerPromise; successor: CustomerPromise }> {
  const actor = actorOf(ctx)
  const current = requirePromise(ctx, input.id)
  const dueAt = resolveDue(calendarOf(ctx), ctx.now(), input.due).toISOString()
  const result = renegotiatePromise(current, actor, {
    successorId: newId(),
    dueAt,
    ...(input.what ? { what: input.what } : {}),
    ...(input.note ? { note: input.note } : {}),
  })
  await ctx.store.commit([
    { collection: 'promises', value: result.closed },
    { collection: 'promises', value: result.successor },
    ...caseWithEvents(
      ctx,
      current.caseId,
      [promiseEvent(result.successor, 'renegotiated', actor, input.note)],
      actor.at,
    ),
  ])
  return result
}

export async function promiseMetricsService(
  ctx: ServiceContext,
  input: { from?: string | undefined; to?: string | undefined },
): Promise<PromiseMetricsView> {
  const now = ctx.now()
  const period = {
    ...(input.from ? { from: new Date(input.from) } : {}),
    ...(input.to ? { to: new Date(input.to) } : {}),
  }
  const { total, by } = promiseMetricsGrouped(
    promiseFacts(ctx.store),
    { byStaff: (p) => p.madeBy, byDepartment: (p) => p.department },
    period,
    now,
  )
  return { total, ...by }
}

/** Overdue, due today and due this week, first due first; with `limit`, only the first of each are summarised. */
export async function todayPromises(
  ctx: ServiceContext,
  input: z.output<typeof TodayPromisesInput>,
): Promise<TodayPromises> {
  const now = ctx.now()
  const buckets = todayBuckets(calendarOf(ctx), openPromises(ctx.store), now)
  const summarize = (list: CustomerPromise[]) =>
    list.slice(0, input.limit ?? list.length).map((p) => summarizePromise(ctx, p, now))
  return {
    overdue: summarize(buckets.overdue),
    dueToday: summarize(buckets.dueToday),
    dueThisWeek: summarize(buckets.dueThisWeek),
    totals: {
      overdue: buckets.overdue.length,
      dueToday: buckets.dueToday.length,
      dueThisWeek: buckets.dueThisWeek.length,
    },
  }
}
