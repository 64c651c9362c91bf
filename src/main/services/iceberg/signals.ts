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
import {
  type OldSignalMonth,
  oldSignalMonths,
  readOldSignal,
  signalFacts,
  signalsInMemory,
  signalsOfCustomer,
} from './oldSignals'
import { readColdList } from '../../store/coldMonths'
import { byCodeUnits } from '../../../shared/core/order'

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

/** Every signal as a place: those in memory first, then each old month's lines (as `signalFacts` lists them). */
type Ordered = {
  inMemory: Signal[]
  months: OldSignalMonth[]
  /** Places in the screen's order. */
  order: Uint32Array
  winBack: SignalList['winBack']
  totalValueAtRisk: number
}

/**
 * Every signal in the Signals screen's order — the largest value at risk first, then the newest
 * raised (by collation, as the list always was) — with the figures over all of them, made once
 * per change to signals: a page then filters 200,000 sorted places instead of sorting again. It
 * keeps 4 bytes a signal, not the signals. Signals of the same value raised at the same moment are
 * in the order of their ids, wherever they are kept (memory or a month on disk).
 */
function signalsInOrder(ctx: ServiceContext): Ordered {
  const { store } = ctx
  return derivedOnce(store, 'signals in order', [store.revision('signals')], () => {
    const inMemory = [...signalsInMemory(store)]
    const months = oldSignalMonths(store)
    // What the order reads, place by place, straight from the records and the months' columns.
    const values: number[] = []
    const raisedAt: string[] = []
    const ids: string[] = []
    let totalValueAtRisk = 0
    for (const s of inMemory) {
      const value = s.valueAtRisk?.value ?? 0
      values.push(value)
      raisedAt.push(s.raisedAt)
      ids.push(s.id)
      if (s.status === 'open') totalValueAtRisk += value
    }
    for (const month of months) {
      for (let line = 0; line < month.count; line++) {
        const value = month.valueAtRisk[line]!
        values.push(Number.isNaN(value) ? 0 : value)
        raisedAt.push(month.raisedAt[line]!)
        ids.push(month.ids[line]!)
        if (!month.isClosed[line] && !Number.isNaN(value)) totalValueAtRisk += value
      }
    }
    const order = Uint32Array.from(values.keys()).sort(
      (a, b) => values[b]! - values[a]! || raisedAt[b]!.localeCompare(raisedAt[a]!) || byCodeUnits(ids[a]!, ids[b]!),
    )
    return { inMemory, months, order, winBack: winBackRate(signalFacts(store)), totalValueAtRisk }
  })
}

type SignalFilter = { status?: 'open' | 'closed'; customerId?: string }

/** The places of the signals a filter keeps, in the screen's order. */
function matchingSignals(ordered: Ordered, input: SignalFilter): number[] {
  const { inMemory, months, order } = ordered
  if (!input.status && !input.customerId) return [...order]
  // Each place's status and customer, read from the record or the month's columns.
  const isClosed = new Uint8Array(order.length)
  const customers: (string | undefined)[] = new Array<string | undefined>(order.length)
  inMemory.forEach((s, i) => {
    isClosed[i] = s.status === 'closed' ? 1 : 0
    customers[i] = s.customerId
  })
  let at = inMemory.length
  for (const month of months) {
    for (let line = 0; line < month.count; line++, at++) {
      isClosed[at] = month.isClosed[line]!
      customers[at] = month.values[month.customer[line]!]
    }
  }
  const wantsClosed = input.status === 'closed' ? 1 : 0
  return [...order].filter(
    (place) =>
      (!input.status || isClosed[place] === wantsClosed) && (!input.customerId || customers[place] === input.customerId),
  )
}

/** The signals at these places; an old month is read whole when many of its lines are asked for. */
function signalsAt(ordered: Ordered, places: readonly number[]): Signal[] {
  const { inMemory, months } = ordered
  const readWhole = places.length > 1_000
  const wholeMonths = new Map<OldSignalMonth, Signal[]>()
  return places.map((place) => {
    if (place < inMemory.length) return inMemory[place]!
    let line = place - inMemory.length
    for (const month of months) {
      if (line < month.count) {
        if (!readWhole) return readOldSignal(month, line)
        let whole = wholeMonths.get(month)
        if (!whole) wholeMonths.set(month, (whole = readColdList(month.list) as Signal[]))
        return whole[line]!
      }
      line -= month.count
    }
    throw new RangeError(`no signal at ${place}`)
  })
}

const withCustomerName = (ctx: ServiceContext, s: Signal) => ({
  ...s,
  customerName: ctx.store.get('customers', s.customerId)?.name ?? '',
})

export async function listSignals(ctx: ServiceContext, input: SignalFilter): Promise<SignalList> {
  const ordered = signalsInOrder(ctx)
  const signals = signalsAt(ordered, matchingSignals(ordered, input))
  return { signals: signals.map((s) => withCustomerName(ctx, s)), ...figuresOf(ordered) }
}

const figuresOf = ({ winBack, totalValueAtRisk }: Ordered) => ({ winBack, totalValueAtRisk })

/** A page of the Signals screen; the figures are over every signal, as in `signals:list`. */
export function pageSignals(ctx: ServiceContext, input: z.output<typeof SignalPageInput>): SignalPage {
  const { offset, limit, ...filter } = input
  const ordered = signalsInOrder(ctx)
  const matched = matchingSignals(ordered, filter)
  return {
    total: matched.length,
    items: signalsAt(ordered, matched.slice(offset, offset + limit)).map((s) => withCustomerName(ctx, s)),
    ...figuresOf(ordered),
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
  const open = signalsOfCustomer(ctx.store, customer.id).find((s) => s.status === 'open')
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
