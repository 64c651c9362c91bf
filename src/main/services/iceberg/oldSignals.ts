import {
  type Signal,
  type SignalLevel,
  type SignalOutcome,
  type ValueAtRisk,
  signalLevels,
  signalOutcomes,
} from '../../../shared/iceberg/schemas'
import { type ColdList, readColdList, readColdRecord } from '../../store/coldMonths'
import { type StoreEngine } from '../../store/postgres/engine'
import { SharedStrings } from '../../store/sharedStrings'
import { ValuePlaces, oncePerList, recordsInMemory, recordsOfCustomer, summariseInTurns } from '../coldSummaries'

/**
 * What the services keep of the churn signals whose months stayed on disk (a data folder and a
 * team desk leave the signals of older months there, store/coldMonths.ts): the facts the
 * Signals screen's order and figures, loyalty segments, the iceberg, the report and the pattern
 * sweep read, as columns. A signal itself is read from its line when it is shown or changed: an
 * old signal can still be open and count for its customer, so its month cannot simply be skipped.
 */
export type SignalFacts = Pick<
  Signal,
  'id' | 'customerId' | 'level' | 'status' | 'outcome' | 'raisedAt' | 'closedAt' | 'category' | 'department'
> & { valueAtRisk?: Pick<ValueAtRisk, 'value'> }

export type OldSignalMonth = {
  list: ColdList
  /** How many signals the month holds; line `i` on disk is signal `i`. */
  count: number
  ids: string[]
  raisedAt: string[]
  closedAt: (string | undefined)[]
  /** Line by line: the customer, category and department as places in `values` (0 is none). */
  customer: Uint32Array
  category: Uint32Array
  department: Uint32Array
  values: (string | undefined)[]
  /** 1 when closed; the level's place in `signalLevels`; the outcome's in `signalOutcomes`, plus one (0 is none). */
  isClosed: Uint8Array
  level: Uint8Array
  outcome: Uint8Array
  /** The value at risk, NaN when there is none. */
  valueAtRisk: Float64Array
}

const summarise = oncePerList((store: StoreEngine, list: ColdList): OldSignalMonth => {
  const records = readColdList(list) as Signal[]
  const count = records.length
  const places = new ValuePlaces()
  const month: OldSignalMonth = {
    list,
    count,
    ids: [],
    raisedAt: [],
    closedAt: [],
    customer: new Uint32Array(count),
    category: new Uint32Array(count),
    department: new Uint32Array(count),
    values: places.values,
    isClosed: new Uint8Array(count),
    level: new Uint8Array(count),
    outcome: new Uint8Array(count),
    valueAtRisk: new Float64Array(count),
  }
  for (const [i, s] of records.entries()) {
    month.ids.push(s.id)
    month.raisedAt.push(s.raisedAt)
    month.closedAt.push(s.closedAt)
    // The customer's own id string, so each month does not keep a copy of every customer's.
    month.customer[i] = places.place(store.getInMemory('customers', s.customerId)?.id ?? s.customerId)
    month.category[i] = places.place(s.category)
    month.department[i] = places.place(s.department)
    month.isClosed[i] = s.status === 'closed' ? 1 : 0
    month.level[i] = signalLevels.indexOf(s.level)
    month.outcome[i] = s.outcome === undefined ? 0 : signalOutcomes.indexOf(s.outcome) + 1
    month.valueAtRisk[i] = s.valueAtRisk?.value ?? Number.NaN
  }
  // The same times recur within a month: one string each.
  const times = new SharedStrings()
  times.share(month.raisedAt)
  times.share(month.closedAt)
  return month
})

/** The facts of the signal on line `line` of a month left on disk. */
export function signalFactsAt(month: OldSignalMonth, line: number): SignalFacts {
  const { values } = month
  const value = month.valueAtRisk[line]!
  const outcome = month.outcome[line]!
  const closedAt = month.closedAt[line]
  const category = values[month.category[line]!]
  const department = values[month.department[line]!]
  return {
    id: month.ids[line]!,
    customerId: values[month.customer[line]!]!,
    level: signalLevels[month.level[line]!] as SignalLevel,
    status: month.isClosed[line] ? 'closed' : 'open',
    ...(outcome > 0 ? { outcome: signalOutcomes[outcome - 1] as SignalOutcome } : {}),
    raisedAt: month.raisedAt[line]!,
    ...(closedAt !== undefined ? { closedAt } : {}),
    ...(category !== undefined ? { category } : {}),
    ...(department !== undefined ? { department } : {}),
    ...(Number.isNaN(value) ? {} : { valueAtRisk: { value } }),
  }
}

/** The months of signals left on disk (a data folder's shards, a team desk's files), newest first. */
export function oldSignalMonths(store: StoreEngine): OldSignalMonth[] {
  return store.listsOnDisk('signals').map((list) => summarise(store, list))
}

/** The signals held in memory: all but those of the months left on disk. */
export function signalsInMemory(store: StoreEngine): IterableIterator<Signal> {
  return recordsInMemory(store, 'signals')
}

/**
 * Every signal's facts, in the order of `store.all`: those in memory (the records themselves),
 * then the months left on disk, newest first. With `customerIds`, only those customers' signals
 * (an old month's lines are picked by their customer's place, without making the others' facts).
 */
export function* signalFacts(store: StoreEngine, customerIds?: ReadonlySet<string>): Generator<SignalFacts> {
  for (const s of signalsInMemory(store)) if (!customerIds || customerIds.has(s.customerId)) yield s
  for (const month of oldSignalMonths(store)) {
    const isAsked = customerIds && month.values.map((value) => value !== undefined && customerIds.has(value))
    for (let line = 0; line < month.count; line++)
      if (!isAsked || isAsked[month.customer[line]!]) yield signalFactsAt(month, line)
  }
}

/** The signal on line `line` of a month left on disk. */
export function readOldSignal(month: OldSignalMonth, line: number): Signal {
  return readColdRecord(month.list, line) as Signal
}

/** Every signal of a customer, in the order of `store.all`, the old ones read from their lines only. */
export function signalsOfCustomer(store: StoreEngine, customerId: string): Signal[] {
  return recordsOfCustomer(signalsInMemory(store), oldSignalMonths(store), (month) => month.customer, customerId)
}

/** Summarises the months left on disk ahead of the first reader: the start-up sweep would read them all in one go. */
export async function warmOldSignals(store: StoreEngine): Promise<void> {
  await summariseInTurns(store, 'signals', summarise)
}
