import { monthOf, shiftMonth } from '../../shared/core/months'
import { type StoreEngine } from '../store/postgres/engine'
import { type CollectionName, type Collections } from '../store/store'

/**
 * The first month a reader of records dated `since` (an ISO instant) or later reads: the one
 * before `since`'s, a margin for dates written with a time-zone offset. Everything for ''.
 */
export function firstMonthToRead(since: string): string {
  return since === '' ? '' : shiftMonth(monthOf(since), -1)
}

/**
 * The records of a kind a reader of recent history needs: at least every record dated `since` or
 * later. Of the months left on disk (a data folder's shards, a team desk's files) only those from
 * `firstMonthToRead` are read. The caller still filters by date: this only spares it the older months.
 */
export function recordsSince<K extends CollectionName>(
  store: StoreEngine,
  kind: K,
  since: string,
): Iterable<Collections[K]> {
  if (since === '') return store.all(kind)
  return store.allFrom(kind, firstMonthToRead(since))
}

/** A record to show: read from its line when its month is on disk, leaving the month there (`peek`). */
export function recordToShow<K extends CollectionName>(
  store: StoreEngine,
  kind: K,
  id: string,
): Collections[K] | undefined {
  return store.peek(kind, id)
}
