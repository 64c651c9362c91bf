import { byCodeUnits } from '../../../shared/core/order'
import { type Grumble } from '../../../shared/iceberg/schemas'
import { type ColdList, readColdList, readColdRecord } from '../../store/coldMonths'
import { type StoreEngine } from '../../store/postgres/engine'
import { SharedStrings } from '../../store/sharedStrings'
import { derivedOnce } from '../derived'
import { firstMonthToRead } from '../recordsFrom'
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
 * What the services keep of the grumbles whose months stayed on disk (a data folder and a team
 * desk leave the grumbles of older months there, store/coldMonths.ts): the facts the report,
 * a customer's history and search need, and the words only as one normalised search text per
 * month, off the JavaScript heap. A grumble itself is read from its line when it is shown.
 */
export type GrumbleFacts = Pick<Grumble, 'heardAt' | 'customerId' | 'caseId' | 'category' | 'department'>

/** The facts kept as columns of 4-byte places in the month's `values`, not as an object a grumble. */
type Column = Exclude<keyof GrumbleFacts, 'heardAt'>
const columns: readonly Column[] = ['customerId', 'caseId', 'category', 'department']

export type OldGrumbleMonth = {
  list: ColdList
  /** How many grumbles the month holds; line `i` on disk is grumble `i`. */
  count: number
  /** When each grumble was heard, line by line. */
  heardAt: string[]
  /** Line by line, each grumble's customer, case, category and department, as places in `values`. */
  columns: Record<Column, Uint32Array>
  /** The month's distinct values of those four (a customer, a department…); place 0 is none. */
  values: (string | undefined)[]
} & MonthText

/** A grumble's own searchable words; search everywhere adds its customer's name (searched apart). */
export const ownSearchText = (g: Grumble): string => [g.text, g.suggestion, g.heardBy].join(' ')

const summarise = oncePerList((_store: StoreEngine, list: ColdList): OldGrumbleMonth => {
  const records = readColdList(list) as Grumble[]
  const heardAt: string[] = []
  const places = new ValuePlaces()
  const columnsOf = Object.fromEntries(columns.map((c) => [c, new Uint32Array(records.length)])) as Record<
    Column,
    Uint32Array
  >
  for (const [i, g] of records.entries()) {
    heardAt.push(g.heardAt)
    for (const column of columns) columnsOf[column][i] = places.place(g[column])
  }
  // The same times recur within a month: one string each.
  new SharedStrings().share(heardAt)
  const { text, starts } = monthText(records, ownSearchText)
  const month = { list, count: records.length, heardAt, columns: columnsOf, values: places.values, text, starts }
  return month
})

/** The facts of the grumble on line `line` of a month left on disk. */
export function factsAt(month: OldGrumbleMonth, line: number): GrumbleFacts {
  const { columns: c, values } = month
  return {
    heardAt: month.heardAt[line]!,
    customerId: values[c.customerId[line]!],
    caseId: values[c.caseId[line]!],
    category: values[c.category[line]!],
    department: values[c.department[line]!],
  }
}

/** The customer of the grumble on line `line` of a month left on disk. */
export const customerAt = (month: OldGrumbleMonth, line: number): string | undefined =>
  month.values[month.columns.customerId[line]!]

/**
 * The months of grumbles left on disk (a data folder's shards, a team desk's files), newest
 * first; with `fromMonth`, only those from it on.
 */
export function oldGrumbleMonths(store: StoreEngine, fromMonth = ''): OldGrumbleMonth[] {
  // A month before `fromMonth` is not summarised for this.
  return store
    .listsOnDisk('grumbles')
    .filter((list) => list.month >= fromMonth)
    .map((list) => summarise(store, list))
}

/**
 * Summarises the months left on disk ahead of the first search or customer card (run once
 * history has loaded), one month per turn of the event loop so requests are served between.
 */
export async function warmOldGrumbles(store: StoreEngine): Promise<void> {
  await summariseInTurns(store, 'grumbles', summarise)
}

/**
 * Every grumble's facts: those in memory (the records themselves), then the months left on disk,
 * from `firstMonthToRead(since)` on (as `recordsSince`): the caller still filters by date.
 */
export function* grumbleFacts(store: StoreEngine, since = ''): Generator<GrumbleFacts> {
  yield* grumblesInMemory(store)
  // Listed after: a month read back into memory meanwhile was among those.
  for (const month of oldGrumbleMonths(store, firstMonthToRead(since))) {
    for (let line = 0; line < month.count; line++) yield factsAt(month, line)
  }
}

/** The grumbles held in memory: all but those of the months left on disk. */
export function grumblesInMemory(store: StoreEngine): IterableIterator<Grumble> {
  return recordsInMemory(store, 'grumbles')
}

/** The grumble on line `index` of a month left on disk. */
export function readOldGrumble(month: OldGrumbleMonth, index: number): Grumble {
  return readColdRecord(month.list, index) as Grumble
}

/** Every grumble about a customer, the old ones read from their lines only. */
export function grumblesOfCustomer(store: StoreEngine, customerId: string): Grumble[] {
  return recordsOfCustomer(
    grumblesInMemory(store),
    oldGrumbleMonths(store),
    (month) => month.columns.customerId,
    customerId,
  )
}

/** Every grumble newest first, as positions: those in memory, then each old month's lines. */
type Order = { inMemory: Grumble[]; months: OldGrumbleMonth[]; order: Uint32Array }

/**
 * Every grumble, newest first (by when it was heard; the same moment keeps the order of
 * `store.all`), sorted once per change to grumbles. It keeps 4 bytes a grumble, not the grumbles:
 * `grumbleAt(list, i)` reads the i-th, from memory or from its line on disk.
 */
export function grumblesNewestFirst(store: StoreEngine): Order {
  return derivedOnce(store, 'grumbles newest first', [store.revision('grumbles')], () => {
    const inMemory = [...grumblesInMemory(store)]
    const months = oldGrumbleMonths(store)
    const heardAt = inMemory.map((g) => g.heardAt)
    for (const month of months) for (const at of month.heardAt) heardAt.push(at)
    // ISO times compare as text; the index breaks ties so the sort needs no stability.
    const order = Uint32Array.from(heardAt.keys()).sort((a, b) => byCodeUnits(heardAt[b]!, heardAt[a]!) || a - b)
    return { inMemory, months, order }
  })
}

/** The grumble at a position of `grumblesNewestFirst`. */
export function grumbleAt(list: Order, position: number): Grumble {
  let index = list.order[position]!
  if (index < list.inMemory.length) return list.inMemory[index]!
  index -= list.inMemory.length
  for (const month of list.months) {
    if (index < month.count) return readOldGrumble(month, index)
    index -= month.count
  }
  throw new RangeError(`no grumble at ${position}`)
}
