import { nextCaseNumber } from '../../../shared/cases/recovery'
import { type Case } from '../../../shared/schemas'
import { type TrashEntry } from '../../../shared/trash/schemas'
import { type StoreEngine } from '../../store/postgres/engine'

/**
 * The highest case number of each year, kept up to date as cases are written, so a new case
 * gets its number without reading every case. A case removed (a failed write put back, a
 * restore) may have held the highest: the numbers are then counted again once, on the next use.
 */
class CaseNumbers {
  private readonly highest = new Map<string, number>()
  private isStale = true

  constructor(private readonly store: StoreEngine) {
    store.watch({
      onPut: (collection, before, after) => {
        // A case in Trash keeps its number: Restore must find it free.
        if (collection === 'trash' && !this.isStale) {
          if (before) this.isStale = true
          else for (const c of (after as TrashEntry).records.cases) this.add(c.number)
          return
        }
        if (collection !== 'cases' || this.isStale) return
        if (before && (before as Case).number !== (after as Case | undefined)?.number) this.isStale = true
        else if (after) this.add((after as Case).number)
      },
      onReset: () => {
        this.isStale = true
      },
    })
  }

  private add(number: string): void {
    const year = /^C-(\d+)-/.exec(number)?.[1]
    if (year === undefined) return
    // The same arithmetic as `nextCaseNumber`, one number at a time.
    const value = Number(number.slice(`C-${year}-`.length))
    this.highest.set(year, Math.max(this.highest.get(year) ?? 0, value))
  }

  next(year: number): string {
    if (this.isStale) {
      this.highest.clear()
      for (const c of this.store.all('cases')) this.add(c.number)
      for (const entry of this.store.all('trash')) for (const c of entry.records.cases) this.add(c.number)
      this.isStale = false
    }
    const highest = this.highest.get(String(year))
    return nextCaseNumber(highest === undefined ? [] : [`C-${year}-${highest}`], year)
  }
}

const byStore = new WeakMap<StoreEngine, CaseNumbers>()

/**
 * Numbers for several new cases written together (an import): each follows the one before,
 * though none is saved yet.
 */
export function caseNumberAllocator(store: StoreEngine): (year: number) => string {
  const lastGiven = new Map<number, string>()
  return (year) => {
    const last = lastGiven.get(year)
    const number = last ? nextCaseNumber([last], year) : nextCaseNumberIn(store, year)
    lastGiven.set(year, number)
    return number
  }
}

/** `C-2026-0042`: the next number for a case received in `year`. */
export function nextCaseNumberIn(store: StoreEngine, year: number): string {
  let numbers = byStore.get(store)
  if (!numbers) byStore.set(store, (numbers = new CaseNumbers(store)))
  return numbers.next(year)
}
