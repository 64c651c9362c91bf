import { type CustomerPromise } from '../../../shared/promises/promises'
import { type StoreEngine } from '../../store/postgres/engine'
import { oldPromisesOfCase } from './oldPromises'

type Index = { byCase: Map<string, Map<string, CustomerPromise>>; isStale: boolean }

const indexes = new WeakMap<StoreEngine, Index>()

function add(index: Index, p: CustomerPromise): void {
  if (!p.caseId) return
  const own = index.byCase.get(p.caseId) ?? new Map<string, CustomerPromise>()
  own.set(p.id, p)
  index.byCase.set(p.caseId, own)
}

function indexOf(store: StoreEngine): Index {
  let index = indexes.get(store)
  if (index) return index
  const created: Index = { byCase: new Map(), isStale: true }
  // Kept up to date as promises are written, so a step done on one case does not read every promise.
  store.watch({
    onPut: (collection, before, after) => {
      if (collection !== 'promises' || created.isStale) return
      const old = before as CustomerPromise | undefined
      const now = after as CustomerPromise | undefined
      if (old?.caseId) created.byCase.get(old.caseId)?.delete(old.id)
      if (now) add(created, now)
    },
    onReset: () => {
      created.isStale = true
    },
  })
  indexes.set(store, (index = created))
  return index
}

/** The promises made on one case, without a pass over every promise: those in memory, then the old months' lines. */
export function promisesOfCase(store: StoreEngine, caseId: string): CustomerPromise[] {
  const index = indexOf(store)
  if (index.isStale) {
    index.byCase.clear()
    index.isStale = false
    for (const p of store.allInMemory('promises')) add(index, p)
  }
  // A month read back into memory is told to the watcher above, and leaves the months on disk.
  return [...(index.byCase.get(caseId)?.values() ?? []), ...oldPromisesOfCase(store, caseId)]
}
