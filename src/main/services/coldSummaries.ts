import { type ColdList, readColdRecord } from '../store/coldMonths'
import { type StoreEngine } from '../store/postgres/engine'
import { type CollectionName, type Collections } from '../store/store'
import { nextTurn } from '../eventLoop'
import { normalizeForSearch } from '../../shared/core/search'

/**
 * What the summaries of the months left on disk (a data folder's shards, a team desk's files)
 * share (iceberg/oldGrumbles.ts, iceberg/oldSignals.ts): the records still in memory, a month's
 * repeated values kept once, and summarising the months ahead of their first reader.
 */

/** The records of a kind held in memory: all but those of the months left on disk. */
export function recordsInMemory<K extends CollectionName>(
  store: StoreEngine,
  kind: K,
): IterableIterator<Collections[K]> {
  return store.allInMemory(kind)
}

/**
 * A month's summary, made the first time it is asked for and kept while its list is on disk: a
 * month read back into memory leaves the store's lists, and its summary goes with it.
 */
export function oncePerList<M>(
  summarise: (store: StoreEngine, list: ColdList) => M,
): (store: StoreEngine, list: ColdList) => M {
  const made = new WeakMap<ColdList, M>()
  return (store, list) => {
    let month = made.get(list)
    if (month === undefined) made.set(list, (month = summarise(store, list)))
    return month
  }
}

/** A month's distinct values (a customer, a department…), each kept once and named by its place; place 0 is none. */
export class ValuePlaces {
  readonly values: (string | undefined)[] = [undefined]
  private readonly placeOf = new Map<string | undefined, number>([[undefined, 0]])

  place(value: string | undefined): number {
    let found = this.placeOf.get(value)
    if (found === undefined) this.placeOf.set(value, (found = this.values.push(value) - 1))
    return found
  }
}

/**
 * Summarises a kind's months left on disk ahead of their first reader (run once history has
 * loaded), one month per turn of the event loop so requests are served between.
 */
export async function summariseInTurns(
  store: StoreEngine,
  kind: CollectionName,
  summarise: (store: StoreEngine, list: ColdList) => unknown,
): Promise<void> {
  for (const list of store.listsOnDisk(kind)) {
    summarise(store, list)
    await nextTurn()
  }
}

/** A summarised old month, as far as finding a customer's lines goes. */
type MonthOfCustomers = { list: ColdList; count: number; values: readonly (string | undefined)[] }

/**
 * Every record of a customer: those in memory, then those on the old months' lines whose
 * customer column holds the customer's place (found once a month, then one number a line), read
 * from their lines only.
 */
export function recordsOfCustomer<T extends { customerId?: string | undefined }, M extends MonthOfCustomers>(
  inMemory: Iterable<T>,
  months: readonly M[],
  customersOf: (month: M) => Uint32Array,
  customerId: string,
): T[] {
  const found: T[] = []
  for (const record of inMemory) if (record.customerId === customerId) found.push(record)
  for (const month of months) {
    const place = month.values.indexOf(customerId)
    if (place <= 0) continue
    const customers = customersOf(month)
    for (let line = 0; line < month.count; line++)
      if (customers[line] === place) found.push(readColdRecord(month.list, line) as unknown as T)
  }
  return found
}

/** A month's words to search, off the JavaScript heap: each record's normalised, one per line, UTF-8. */
export type MonthText = {
  text: Buffer
  /** Where each record's words start in `text`; one more entry where the last ends. */
  starts: Uint32Array
}

/** Each record's own words normalised and joined a line each (`words` gives them, record by record). */
export function monthText<T>(records: readonly T[], words: (record: T) => string): MonthText {
  const texts: string[] = []
  const starts = new Uint32Array(records.length + 1)
  let at = 0
  for (const [i, record] of records.entries()) {
    const text = `${normalizeForSearch(words(record))}\n`
    texts.push(text)
    starts[i] = at
    at += Buffer.byteLength(text)
  }
  starts[records.length] = at
  return { text: Buffer.from(texts.join(''), 'utf8'), starts }
}
