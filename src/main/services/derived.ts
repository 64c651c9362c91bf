import { type StoreEngine } from '../store/postgres/engine'

type Kept = { from: readonly unknown[]; value: unknown }
const kept = new WeakMap<StoreEngine, Map<string, Kept>>()

/**
 * A value worked out from the store (a list sorted once, figures over every record), kept until
 * what it was made from changes. `from` names that: the revisions of the kinds it reads, and
 * anything else it depends on (the settings object, a calendar, a day), each compared with what
 * it was made from last time. With `from` empty it is made once per store.
 */
export function derivedOnce<T>(store: StoreEngine, name: string, from: readonly unknown[], make: () => T): T {
  let byName = kept.get(store)
  if (!byName) kept.set(store, (byName = new Map()))
  const known = byName.get(name)
  if (known && known.from.length === from.length && known.from.every((value, i) => value === from[i]))
    return known.value as T
  const value = make()
  byName.set(name, { from, value })
  return value
}
