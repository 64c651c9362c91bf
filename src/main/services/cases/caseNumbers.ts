import { caseNumberParts, nextCaseNumber } from '../../../shared/cases/recovery'
import { type Case } from '../../../shared/schemas'
import { type TrashEntry } from '../../../shared/trash/schemas'
import { type StoreEngine } from '../../store/postgres/engine'

/**
 * The highest case number of each year, kept up to date as cases are written, so a new case
 * gets its number without reading every case. A case removed or renumbered (a failed write put
 * back, a restore) that held its year's highest leaves the next one down unknown: the numbers are
 * then counted again once, on the next use. Any other number given up changes nothing here.
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
        const given = (before as Case | undefined)?.number
        const taken = (after as Case | undefined)?.number
        if (given !== undefined && given !== taken && this.isHighest(given)) this.isStale = true
        else if (taken !== undefined) this.add(taken)
      },
      onReset: () => {
        this.isStale = true
      },
    })
  }

  private add(number: string): void {
    const parts = caseNumberParts(number)
    if (parts) this.highest.set(parts.year, Math.max(this.highest.get(parts.year) ?? 0, parts.place))
  }

  private isHighest(number: string): boolean {
    const parts = caseNumberParts(number)
    return parts !== undefined && this.highest.get(parts.year) === parts.place
  }

  /** Counts the numbers now if they must be counted: the runtime does it once history is in. */
  warm(): void {
    if (!this.isStale) return
    this.highest.clear()
    for (const c of this.store.all('cases')) this.add(c.number)
    for (const entry of this.store.all('trash')) for (const c of entry.records.cases) this.add(c.number)
    this.isStale = false
  }

  next(year: number): string {
    this.warm()
    const highest = this.highest.get(String(year))
    return nextCaseNumber(highest === undefined ? [] : [`C-${year}-${highest}`], year)
  }
}

const byStore = new WeakMap<StoreEngine, CaseNumbers>()

function caseNumbersOf(store: StoreEngine): CaseNumbers {
  let numbers = byStore.get(store)
  if (!numbers) byStore.set(store, (numbers = new CaseNumbers(store)))
  return numbers
}

/**
 * Counts every year's highest number before the first new case asks (~50 ms over 100k cases on
 * the first save after start-up otherwise).
 */
export function warmCaseNumbers(store: StoreEngine): void {
  caseNumbersOf(store).warm()
}

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
  return caseNumbersOf(store).next(year)
}
