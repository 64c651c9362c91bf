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
import { readColdList } from '../../store/coldMonths'
import { type Change } from '../../store/store'
import { derivedOnce } from '../derived'
import { recordToShow } from '../recordsFrom'
import { cancelPromise, makePromise } from '../../../shared/promises/promises'
import { type ServiceContext, actorOf, newId } from '../context'
import { requireCustomer } from '../customers/customerRecords'
import { requireKnownChoice } from '../settings/knownChoices'
import { activitiesByCustomer, assessmentOf } from './byCustomer'
import { type OldSignalMonth, oldSignalMonths, readOldSignal, signalFacts, signalsInMemory } from './oldSignals'

/** Silent-churn signals: customers who went quiet, detected from activity or raised by hand, and won back. */

function requireSignal(ctx: ServiceContext, id: string): Signal {
  return existing(ctx.store.get('signals', id), id)
}

function existing(found: Signal | undefined, id: string): Signal {
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
  /** The place of each old month's first line. */
  firstPlaces: number[]
  /** Places in the screen's order. */
  order: Uint32Array
  /** By place: 1 when closed, and the customer, for the screen's filters. */
  isClosed: Uint8Array
  customers: string[]
  winBack: SignalList['winBack']
  totalValueAtRisk: number
}

/**
 * Every signal in the Signals screen's order — the largest value at risk first, then the newest
 * raised (by collation, as the list always was) — with what its filters read and the figures over
 * all of them, made once per change to signals: a page then filters 200,000 sorted places instead
 * of sorting again. It keeps a few bytes a signal, not the signals. Signals of the same value
 * raised at the same moment keep the order of `store.all`, as the list always did.
 */
function signalsInOrder(ctx: ServiceContext): Ordered {
  const { store } = ctx
  return derivedOnce(store, 'signals in order', [store.revision('signals')], () => {
    const inMemory = [...signalsInMemory(store)]
    const months = oldSignalMonths(store)
    // What the order reads, place by place, straight from the records and the months' columns.
    const values: number[] = []
    const raisedAt: string[] = []
    const closed: number[] = []
    const customers: string[] = []
    const firstPlaces: number[] = []
    let totalValueAtRisk = 0
    for (const s of inMemory) {
      const value = s.valueAtRisk?.value ?? 0
      values.push(value)
      raisedAt.push(s.raisedAt)
      closed.push(s.status === 'closed' ? 1 : 0)
      customers.push(s.customerId)
      if (s.status === 'open') totalValueAtRisk += value
    }
    for (const month of months) {
      firstPlaces.push(values.length)
      for (let line = 0; line < month.count; line++) {
        const value = month.valueAtRisk[line]!
        values.push(Number.isNaN(value) ? 0 : value)
        raisedAt.push(month.raisedAt[line]!)
        closed.push(month.isClosed[line]!)
        customers.push(month.values[month.customer[line]!]!)
        if (!month.isClosed[line] && !Number.isNaN(value)) totalValueAtRisk += value
      }
    }
    const order = Uint32Array.from(values.keys()).sort(
      (a, b) => values[b]! - values[a]! || raisedAt[b]!.localeCompare(raisedAt[a]!) || a - b,
    )
    const isClosed = Uint8Array.from(closed)
    return {
      inMemory,
      months,
      firstPlaces,
      order,
      isClosed,
      customers,
      winBack: winBackRate(signalFacts(store)),
      totalValueAtRisk,
    }
  })
}

type SignalFilter = { status?: 'open' | 'closed'; customerId?: string }

/** The places of the signals a filter keeps, in the screen's order. */
function matchingSignals({ order, isClosed, customers }: Ordered, input: SignalFilter): Uint32Array {
  if (!input.status && !input.customerId) return order
  const wantsClosed = input.status === 'closed' ? 1 : 0
  return order.filter(
    (place) =>
      (!input.status || isClosed[place] === wantsClosed) &&
      (!input.customerId || customers[place] === input.customerId),
  )
}

/** Where the signal at a place is kept: in memory, or on a line of an old month. */
function locate(ordered: Ordered, place: number): Signal | { month: OldSignalMonth; line: number } {
  if (place < ordered.inMemory.length) return ordered.inMemory[place]!
  let m = ordered.firstPlaces.length - 1
  while (ordered.firstPlaces[m]! > place) m--
  return { month: ordered.months[m]!, line: place - ordered.firstPlaces[m]! }
}

/** More lines of one old month than this, and the month is read whole (one parse, not one read a line). */
const linesReadOneByOne = 64

/** The signals at these places, in their order. */
function signalsAt(ordered: Ordered, places: Uint32Array): Signal[] {
  const found = Array.from(places, (place) => locate(ordered, place))
  const asked = new Map<OldSignalMonth, number>()
  for (const f of found) if ('month' in f) asked.set(f.month, (asked.get(f.month) ?? 0) + 1)
  const wholeMonths = new Map<OldSignalMonth, Signal[]>()
  return found.map((f) => {
    if (!('month' in f)) return f
    if ((asked.get(f.month) ?? 0) <= linesReadOneByOne) return readOldSignal(f.month, f.line)
    let whole = wholeMonths.get(f.month)
    if (!whole) wholeMonths.set(f.month, (whole = readColdList(f.month.list) as Signal[]))
    return whole[f.line]!
  })
}

const withCustomerName = (ctx: ServiceContext, s: Signal) => ({
  ...s,
  customerName: ctx.store.get('customers', s.customerId)?.name ?? '',
})

const figuresOf = ({ winBack, totalValueAtRisk }: Ordered) => ({ winBack, totalValueAtRisk })

export async function listSignals(ctx: ServiceContext, input: SignalFilter): Promise<SignalList> {
  const ordered = signalsInOrder(ctx)
  const signals = signalsAt(ordered, matchingSignals(ordered, input))
  return { signals: signals.map((s) => withCustomerName(ctx, s)), ...figuresOf(ordered) }
}

/** A page of the Signals screen; the figures are over every signal, as in `signals:list`. */
export function pageSignals(ctx: ServiceContext, input: z.output<typeof SignalPageInput>): SignalPage {
  const { offset, limit, ...filter } = input
  const ordered = signalsInOrder(ctx)
  const matched = matchingSignals(ordered, filter)
  return {
    total: matched.length,
    items: signalsAt(ordered, matched.subarray(offset, offset + limit)).map((s) => withCustomerName(ctx, s)),
    ...figuresOf(ordered),
    isComplete: ctx.store.isFullyLoaded,
  }
}

export async function getSignal(ctx: ServiceContext, input: { id: string }): Promise<SignalDetail> {
  // Looked at, not changed: an old signal is read from its line and its month stays on disk.
  const signal = existing(recordToShow(ctx.store, 'signals', input.id), input.id)
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
  const hasOpen = [...signalFacts(ctx.store, new Set([customer.id]))].some((s) => s.status === 'open')
  if (hasOpen) {
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
  const previous = signal.winBack?.promiseId ? ctx.store.peek('promises', signal.winBack.promiseId) : undefined
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
