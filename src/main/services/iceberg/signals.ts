import { type z } from 'zod'
import {
  type ChurnAssessment,
  assessChurn,
  closeSignal,
  episodeOf,
  planSignals,
  suggestWinBack,
  valueAtRisk,
  winBackRate,
} from '../../../shared/iceberg/churn'
import { AppError } from '../../../shared/core/errors'
import {
  type ManualSignal,
  type SignalDetail,
  type SignalList,
  type SignalPage,
  type SignalPageInput,
} from '../../../shared/iceberg/contract'
import { type Signal } from '../../../shared/iceberg/schemas'
import { type Change } from '../../store/store'
import { derivedOnce } from '../derived'
import { cancelPromise, makePromise } from '../../../shared/promises/promises'
import { type ServiceContext, actorOf, newId } from '../context'
import { requireCustomer } from '../customers/customerRecords'
import { requireKnownChoice } from '../settings/knownChoices'
import { activitiesByCustomer, assessmentOf } from './byCustomer'

/** Silent-churn signals: customers who went quiet, detected from activity or raised by hand, and won back. */

function requireSignal(ctx: ServiceContext, id: string): Signal {
  const found = ctx.store.get('signals', id)
  if (!found) throw new AppError('not_found', `No signal ${id}`, { reason: 'signal.not_found' })
  return found
}

/** Churn detection over every customer with activity; re-running on the same data changes nothing. */
export async function detectSignals(
  ctx: ServiceContext,
): Promise<{ assessed: number; raised: number; updated: number }> {
  const now = ctx.now()
  const settings = ctx.store.settings.iceberg
  const assessments: { customerId: string; assessment: ChurnAssessment }[] = []
  for (const [customerId, visits] of activitiesByCustomer(ctx)) {
    const assessment = assessChurn(visits, now, settings)
    if (assessment) assessments.push({ customerId, assessment })
  }
  const plan = planSignals(assessments, ctx.store.all('signals'), actorOf(ctx), newId)
  const changes: Change[] = [...plan.create, ...plan.update].map((value) => ({ collection: 'signals' as const, value }))
  if (changes.length > 0) await ctx.store.commit(changes)
  return { assessed: assessments.length, raised: plan.create.length, updated: plan.update.length }
}

/**
 * The Signals screen's order: the largest value at risk first, then the newest raised (by
 * collation, as the list always was: it runs once per change to signals, not per page).
 */
const bySignalOrder = (a: Signal, b: Signal) =>
  (b.valueAtRisk?.value ?? 0) - (a.valueAtRisk?.value ?? 0) || b.raisedAt.localeCompare(a.raisedAt)

type Ordered = { signals: Signal[]; winBack: SignalList['winBack']; totalValueAtRisk: number }

/**
 * Every signal in the screen's order, with the figures over all of them, made once per change to
 * signals: a page then filters 200,000 sorted signals instead of sorting them again. The sort is
 * stable, so a filter of the sorted list is the sorted filter.
 */
function signalsInOrder(ctx: ServiceContext): Ordered {
  const { store } = ctx
  return derivedOnce(store, 'signals in order', [store.revision('signals')], () => {
    const signals = [...store.all('signals')]
    let totalValueAtRisk = 0
    for (const s of signals) totalValueAtRisk += s.status === 'open' ? (s.valueAtRisk?.value ?? 0) : 0
    return { signals: signals.sort(bySignalOrder), winBack: winBackRate(signals), totalValueAtRisk }
  })
}

type SignalFilter = { status?: 'open' | 'closed'; customerId?: string }

function matchingSignals(ctx: ServiceContext, input: SignalFilter): Signal[] {
  return signalsInOrder(ctx).signals.filter(
    (s) => (!input.status || s.status === input.status) && (!input.customerId || s.customerId === input.customerId),
  )
}

const withCustomerName = (ctx: ServiceContext, s: Signal) => ({
  ...s,
  customerName: ctx.store.get('customers', s.customerId)?.name ?? '',
})

export async function listSignals(ctx: ServiceContext, input: SignalFilter): Promise<SignalList> {
  const { winBack, totalValueAtRisk } = signalsInOrder(ctx)
  return { signals: matchingSignals(ctx, input).map((s) => withCustomerName(ctx, s)), winBack, totalValueAtRisk }
}

/** A page of the Signals screen; the figures are over every signal, as in `signals:list`. */
export function pageSignals(ctx: ServiceContext, input: z.output<typeof SignalPageInput>): SignalPage {
  const { offset, limit, ...filter } = input
  const { winBack, totalValueAtRisk } = signalsInOrder(ctx)
  const matched = matchingSignals(ctx, filter)
  return {
    total: matched.length,
    items: matched.slice(offset, offset + limit).map((s) => withCustomerName(ctx, s)),
    winBack,
    totalValueAtRisk,
    isComplete: ctx.store.isFullyLoaded,
  }
}

export async function getSignal(ctx: ServiceContext, input: { id: string }): Promise<SignalDetail> {
  const signal = requireSignal(ctx, input.id)
  const customer = requireCustomer(ctx, signal.customerId)
  const assessment = assessmentOf(ctx, customer.id) ?? null
  const hasNewActivity =
    assessment !== null &&
    signal.lastActivityAt !== undefined &&
    assessment.lastAt.slice(0, 10) > signal.lastActivityAt.slice(0, 10)
  return { signal, customer, assessment, hasNewActivity, suggestion: suggestWinBack(signal, ctx.now()) }
}

/** `Customer went quiet`: raised by hand with what is known; one open signal per customer. */
export async function raiseSignal(ctx: ServiceContext, input: z.output<typeof ManualSignal>): Promise<Signal> {
  const customer = requireCustomer(ctx, input.customerId)
  requireKnownChoice(ctx, 'category', input.category, 'grumble')
  requireKnownChoice(ctx, 'department', input.department, 'grumble')
  const open = [...ctx.store.all('signals')].find((s) => s.customerId === customer.id && s.status === 'open')
  if (open) {
    throw new AppError('conflict', `${customer.name} already has an open signal`, {
      reason: 'signal.already_open',
      params: { name: customer.name },
    })
  }
  const actor = actorOf(ctx)
  const assessment = assessmentOf(ctx, customer.id)
  const horizon = ctx.store.settings.iceberg.horizonYears
  const averageSpend = input.averageSpend ?? assessment?.averageSpend
  const visitsPerYear = input.visitsPerYear ?? assessment?.visitsPerYear
  const signal: Signal = {
    id: newId(),
    customerId: customer.id,
    origin: 'manual',
    level: input.level,
    reasons: ['manual'],
    raisedAt: actor.at,
    detectedAt: actor.at,
    raisedBy: actor.by,
    episode: episodeOf(customer.id, assessment?.lastAt),
    ...(assessment ? { lastActivityAt: assessment.lastAt } : {}),
    ...(averageSpend !== undefined && visitsPerYear !== undefined
      ? { valueAtRisk: valueAtRisk(averageSpend, visitsPerYear, horizon) }
      : {}),
    note: input.note,
    ...(input.category ? { category: input.category } : {}),
    ...(input.department ? { department: input.department } : {}),
    status: 'open',
    timeline: [{ at: actor.at, by: actor.by, type: 'raised', after: input.level, note: input.note }],
  }
  await ctx.store.commit([{ collection: 'signals', value: signal }])
  return signal
}

function requireOpen(signal: Signal): void {
  if (signal.status !== 'open') {
    throw new AppError('rule_violation', 'This signal is closed', { reason: 'signal.closed' })
  }
}

export async function planWinBack(
  ctx: ServiceContext,
  input: { id: string; what: string; dueAt: string },
): Promise<Signal> {
  const signal = requireSignal(ctx, input.id)
  requireOpen(signal)
  const actor = actorOf(ctx)
  // The contact is a promise to the customer, so it falls due in the ledger like any other; a new
  // plan withdraws the open promise of the previous one.
  const changes: Change[] = []
  const previous = signal.winBack?.promiseId ? ctx.store.get('promises', signal.winBack.promiseId) : undefined
  if (previous?.status === 'open') {
    changes.push({ collection: 'promises', value: cancelPromise(previous, actor, 'Replaced by a new win-back plan') })
  }
  const promise = makePromise(
    {
      id: newId(),
      what: input.what,
      customerId: signal.customerId,
      madeBy: actor.by,
      department: ctx.store.settings.staff.find((s) => s.name === actor.by)?.department ?? '',
      dueAt: input.dueAt,
    },
    actor,
  )
  const updated: Signal = {
    ...signal,
    winBack: { what: input.what, dueAt: input.dueAt, by: actor.by, plannedAt: actor.at, promiseId: promise.id },
    timeline: [
      ...signal.timeline,
      { at: actor.at, by: actor.by, type: 'win-back', after: input.dueAt, note: input.what },
    ],
  }
  await ctx.store.commit([
    ...changes,
    { collection: 'promises', value: promise },
    { collection: 'signals', value: updated },
  ])
  return updated
}

export async function closeSignalService(
  ctx: ServiceContext,
  input: { id: string; outcome: Signal['outcome'] & string; note: string },
): Promise<Signal> {
  const signal = requireSignal(ctx, input.id)
  requireOpen(signal)
  const closed = closeSignal(signal, input.outcome, input.note, actorOf(ctx))
  await ctx.store.commit([{ collection: 'signals', value: closed }])
  return closed
}
