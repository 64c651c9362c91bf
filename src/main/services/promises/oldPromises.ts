import { type GuaranteeCompensation } from '../../../shared/costs/schemas'
import { type CustomerPromise, type PromiseStatus, promiseStatuses } from '../../../shared/promises/promises'
import { type ColdList, readColdList, readColdRecord, textFieldOfColdLines } from '../../store/coldMonths'
import { type StoreEngine } from '../../store/postgres/engine'
import { SharedStrings } from '../../store/sharedStrings'
import {
  type MonthText,
  ValuePlaces,
  monthText,
  oncePerList,
  recordsInMemory,
  recordsOfCustomer,
  summariseInTurns,
} from '../coldSummaries'

/**
 * What the ledger's screens, metrics, the report and the pattern sweep read of a promise: all of
 * it but its words (what was promised, the notes). A guarantee's `what` is kept:
 * the report names a guarantee by it when it is not empty.
 */
export type PromiseFacts = Omit<CustomerPromise, 'what' | 'note' | 'compensation'> & { what?: string }

/**
 * What the services keep of the promises whose months stayed on disk (a data folder's shards, a
 * team desk's files: store/coldMonths.ts): their facts as columns, and the open ones whole. An old promise can still be open; it then counts for Today, the reminders and the
 * patterns like a new one. A promise itself is read from its line when it is shown or changed.
 */
export type OldPromiseMonth = {
  list: ColdList
  /** How many promises the month holds; line `i` on disk is promise `i`. */
  count: number
  ids: string[]
  caseIds: (string | undefined)[]
  madeAt: string[]
  dueAt: string[]
  closedAt: (string | undefined)[]
  updatedAt: string[]
  /** Line by line: the customer, maker, department, guarantee and closer as places in `values` (0 is none). */
  customer: Uint32Array
  madeBy: Uint32Array
  closedBy: Uint32Array
  department: Uint32Array
  guarantee: Uint32Array
  values: (string | undefined)[]
  /** The status's place in `promiseStatuses`. */
  status: Uint8Array
  /** The few lines that have them: a guarantee's own words, a broken guarantee's compensation, a renegotiation's chain. */
  guaranteeWhat: Map<number, string>
  compensationGiven: Map<number, GuaranteeCompensation>
  predecessorId: Map<number, string>
  successorId: Map<number, string>
  /** The open promises, whole, by line: Today, the reminders and My work show them. */
  open: Map<number, CustomerPromise>
} & MonthText

/** A promise's own searchable words; search everywhere adds its customer's name and case number (searched apart). */
export const promiseOwnText = (p: CustomerPromise): string =>
  [p.what, p.note ?? '', p.compensation ?? '', p.madeBy].join(' ')

const summarise = oncePerList((store: StoreEngine, list: ColdList): OldPromiseMonth => {
  const records = readColdList(list) as CustomerPromise[]
  const count = records.length
  const places = new ValuePlaces()
  const month: OldPromiseMonth = {
    list,
    count,
    ids: [],
    caseIds: [],
    madeAt: [],
    dueAt: [],
    closedAt: [],
    updatedAt: [],
    customer: new Uint32Array(count),
    madeBy: new Uint32Array(count),
    closedBy: new Uint32Array(count),
    department: new Uint32Array(count),
    guarantee: new Uint32Array(count),
    values: places.values,
    status: new Uint8Array(count),
    guaranteeWhat: new Map(),
    compensationGiven: new Map(),
    predecessorId: new Map(),
    successorId: new Map(),
    open: new Map(),
    ...monthText(records, promiseOwnText),
  }
  const shared = new SharedStrings()
  for (const [i, p] of records.entries()) {
    month.ids.push(p.id)
    // The case's and customer's own id strings, so each month does not keep copies of them.
    month.caseIds.push(p.caseId === undefined ? undefined : (store.getInMemory('cases', p.caseId)?.id ?? p.caseId))
    const customerId = p.customerId && (store.getInMemory('customers', p.customerId)?.id ?? p.customerId)
    month.customer[i] = places.place(customerId)
    month.madeAt.push(p.madeAt)
    month.dueAt.push(p.dueAt)
    month.closedAt.push(p.closedAt)
    month.updatedAt.push(p.updatedAt)
    month.madeBy[i] = places.place(p.madeBy)
    month.closedBy[i] = places.place(p.closedBy)
    month.department[i] = places.place(p.department)
    month.guarantee[i] = places.place(p.guaranteeId)
    month.status[i] = promiseStatuses.indexOf(p.status)
    if (p.guaranteeId !== undefined && p.what) month.guaranteeWhat.set(i, p.what)
    if (p.compensationGiven) month.compensationGiven.set(i, p.compensationGiven)
    if (p.predecessorId !== undefined) month.predecessorId.set(i, p.predecessorId)
    if (p.successorId !== undefined) month.successorId.set(i, p.successorId)
    if (p.status === 'open') {
      shared.share(p)
      month.open.set(i, p)
    }
  }
  // The same times recur within a month: one string each.
  for (const times of [month.madeAt, month.dueAt, month.closedAt, month.updatedAt]) shared.share(times)
  return month
})

/** The facts of the promise on line `line` of a month left on disk. */
export function promiseFactsAt(month: OldPromiseMonth, line: number): PromiseFacts {
  return new OldPromiseFacts(month, line)
}

/**
 * An old promise's facts, made from its month's columns. A class, so that the month and line it
 * came from ride along unseen (private fields are in no spread, key list or JSON) and `promiseOf`
 * can read the promise whole; optional facts are set only when present,
 * as on a stored record (`declare`: no field made for an absent one).
 */
class OldPromiseFacts implements PromiseFacts {
  readonly #month: OldPromiseMonth
  readonly #line: number
  id: string
  declare customerId?: string
  declare caseId?: string
  madeBy: string
  department: string
  declare guaranteeId?: string
  declare what?: string
  declare compensationGiven?: GuaranteeCompensation
  madeAt: string
  dueAt: string
  status: PromiseStatus
  declare closedAt?: string
  declare closedBy?: string
  declare predecessorId?: string
  declare successorId?: string
  updatedAt: string

  constructor(month: OldPromiseMonth, line: number) {
    this.#month = month
    this.#line = line
    const { values } = month
    this.id = month.ids[line]!
    this.madeBy = values[month.madeBy[line]!]!
    this.department = values[month.department[line]!] ?? ''
    this.madeAt = month.madeAt[line]!
    this.dueAt = month.dueAt[line]!
    this.status = promiseStatuses[month.status[line]!] as PromiseStatus
    this.updatedAt = month.updatedAt[line]!
    const customerId = values[month.customer[line]!]
    if (customerId !== undefined) this.customerId = customerId
    const caseId = month.caseIds[line]
    if (caseId !== undefined) this.caseId = caseId
    const guaranteeId = values[month.guarantee[line]!]
    if (guaranteeId !== undefined) {
      this.guaranteeId = guaranteeId
      const what = month.guaranteeWhat.get(line)
      if (what !== undefined) this.what = what
    }
    if (month.compensationGiven.size > 0) {
      const given = month.compensationGiven.get(line)
      if (given !== undefined) this.compensationGiven = given
    }
    const closedAt = month.closedAt[line]
    if (closedAt !== undefined) this.closedAt = closedAt
    const closedBy = values[month.closedBy[line]!]
    if (closedBy !== undefined) this.closedBy = closedBy
    // Renegotiations are few: most months have none to look up.
    if (month.predecessorId.size > 0) {
      const predecessorId = month.predecessorId.get(line)
      if (predecessorId !== undefined) this.predecessorId = predecessorId
    }
    if (month.successorId.size > 0) {
      const successorId = month.successorId.get(line)
      if (successorId !== undefined) this.successorId = successorId
    }
  }

  /** The promise itself: kept whole when open, else read from its line. */
  whole(): CustomerPromise {
    return this.#month.open.get(this.#line) ?? (readColdRecord(this.#month.list, this.#line) as CustomerPromise)
  }
}

/** The months of promises left on disk, newest first (none on a team desk: it holds every promise). */
export function oldPromiseMonths(store: StoreEngine): OldPromiseMonth[] {
  return store.listsOnDisk('promises').map((list) => summarise(store, list))
}

/**
 * Every promise's facts, in the order of `store.all`: those in memory (the records themselves),
 * then the months left on disk, newest first.
 */
export function* promiseFacts(store: StoreEngine): Generator<PromiseFacts> {
  yield* recordsInMemory(store, 'promises')
  for (const month of oldPromiseMonths(store))
    for (let line = 0; line < month.count; line++) yield promiseFactsAt(month, line)
}

/** The promise whose facts these are: itself when it is in memory, else read from its line. */
export function promiseOf(facts: PromiseFacts): CustomerPromise {
  return facts instanceof OldPromiseFacts ? facts.whole() : (facts as CustomerPromise)
}

/** The customer of the promise on line `line` of a month left on disk. */
export const promiseCustomerAt = (month: OldPromiseMonth, line: number): string | undefined =>
  month.values[month.customer[line]!]

/** Every open promise, whole, in the order of `store.all`: Today, the reminders and each person's work read these. */
export function* openPromises(store: StoreEngine): Generator<CustomerPromise> {
  for (const p of recordsInMemory(store, 'promises')) if (p.status === 'open') yield p
  for (const month of oldPromiseMonths(store)) yield* month.open.values()
}

/** Every promise made to a customer, in the order of `store.all`, the old ones read from their lines only. */
export function promisesOfCustomer(store: StoreEngine, customerId: string): CustomerPromise[] {
  return recordsOfCustomer(recordsInMemory(store, 'promises'), oldPromiseMonths(store), (m) => m.customer, customerId)
}

/**
 * The old promises made on a case, read from their lines. A step done on a case reads them (its
 * guarantees follow the step), so this needs no summary: a save in the moments after the open,
 * before the months are summarised, reads each month's case ids from its bytes once instead.
 */
export function oldPromisesOfCase(store: StoreEngine, caseId: string): CustomerPromise[] {
  const found: CustomerPromise[] = []
  for (const list of store.listsOnDisk('promises'))
    for (const line of linesByCase(store, list).get(caseId) ?? [])
      found.push(readColdRecord(list, line) as CustomerPromise)
  return found
}

/** Each old month's lines by case, found once a list. */
const linesByCase = oncePerList((store: StoreEngine, list: ColdList): Map<string, number[]> => {
  const byCase = new Map<string, number[]>()
  for (const [line, caseId] of textFieldOfColdLines(list, 'caseId').entries()) {
    if (caseId === undefined) continue
    const lines = byCase.get(caseId)
    if (lines) lines.push(line)
    // Keyed by the case's own id string, not the copy read from the line.
    else byCase.set(store.getInMemory('cases', caseId)?.id ?? caseId, [line])
  }
  return byCase
})

/** Summarises the months left on disk ahead of the first reader: Today and the start-up sweep read them all. */
export async function warmOldPromises(store: StoreEngine): Promise<void> {
  await summariseInTurns(store, 'promises', summarise)
}
