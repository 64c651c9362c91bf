import { storedTime } from '../core/storedTime'

/**
 * The times of the records a report is being built from, each parsed once: a report tests the
 * same times against dozens of windows (the period, its comparisons, each month of their trends),
 * which at 100,000 cases was ~12 million Date.parse calls, and its lists share many (a grumble's
 * time is read by the iceberg's figures and by the failures').
 */
let parsedTimes: Map<string, number> | undefined

/**
 * A stored time in epoch ms, parsed once while a report is being built (`withTimesParsedOnce`).
 * For the times a report tests against several windows; one read once (a case's timeline as its
 * facts are made) is read with `storedTime`, and adds no entry here.
 */
export function timeOf(iso: string): number {
  if (!parsedTimes) return storedTime(iso)
  let t = parsedTimes.get(iso)
  if (t === undefined) parsedTimes.set(iso, (t = storedTime(iso)))
  return t
}

/** Whether a stored time (none: never) is inside the window [start, end) in epoch ms. */
export function isTimeInside(iso: string | undefined, window: { start: number; end: number }): boolean {
  if (!iso) return false
  const t = timeOf(iso)
  return t >= window.start && t < window.end
}

/** Runs `build` with each time it reads parsed once (nested calls share the outermost's). */
export function withTimesParsedOnce<T>(build: () => T): T {
  const isOutermost = parsedTimes === undefined
  if (isOutermost) parsedTimes = new Map()
  try {
    return build()
  } finally {
    if (isOutermost) parsedTimes = undefined
  }
}

/**
 * A list's times parsed once, so the items inside any window [start, end) are found without
 * parsing again: a report asks the same 100,000 cases, 300,000 promises and 800,000 grumbles
 * about dozens of windows (the period, its comparisons, each trend month, baselines). A window's
 * items are one pass over a typed array; its count, two binary searches over a sorted copy.
 */
export class TimeIndex<T> {
  /** Each item's time, by its position in the list (NaN: no time, in no window). */
  private readonly times: Float64Array
  private sorted: Float64Array | undefined

  constructor(
    private readonly items: readonly T[],
    timeOf: (item: T, position: number) => number,
  ) {
    // A loop, not Float64Array.from(items, timeOf): that goes through the iterator protocol and
    // cost ~0.2 s more per million items.
    const times = new Float64Array(items.length)
    for (let i = 0; i < items.length; i++) times[i] = timeOf(items[i]!, i)
    this.times = times
  }

  /** The first position of the sorted times at or after t (NaN sorts last and is never before t). */
  private firstAtOrAfter(sorted: Float64Array, t: number): number {
    let low = 0
    let high = sorted.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if (sorted[middle]! < t) low = middle + 1
      else high = middle
    }
    return low
  }

  count(start: number, end: number): number {
    const sorted = (this.sorted ??= this.times.slice().sort())
    return Math.max(0, this.firstAtOrAfter(sorted, end) - this.firstAtOrAfter(sorted, start))
  }

  /** The earliest time (NaN when no item has one). */
  earliest(): number {
    const sorted = (this.sorted ??= this.times.slice().sort())
    return sorted.length > 0 ? sorted[0]! : Number.NaN
  }

  /** The items inside the window, in the list's own order (sums then add up as a scan's would). */
  inside(start: number, end: number): T[] {
    const found: T[] = []
    const { times, items } = this
    for (let i = 0; i < times.length; i++) {
      const t = times[i]!
      if (t >= start && t < end) found.push(items[i]!)
    }
    return found
  }
}

const indexes = new WeakMap<object, Map<string, TimeIndex<never>>>()

/**
 * The list's index for one of its times (`selection` names which: a promise's due time, a case's
 * closure), made on first use and kept while the list lives. The list must not change after.
 */
export function timeIndexOf<T extends object>(
  list: readonly T[],
  selection: string,
  timeOf: (item: T) => number,
): TimeIndex<T> {
  let bySelection = indexes.get(list)
  if (!bySelection) indexes.set(list, (bySelection = new Map()))
  let index = bySelection.get(selection) as TimeIndex<T> | undefined
  if (!index) {
    index = new TimeIndex(list, timeOf)
    bySelection.set(selection, index as unknown as TimeIndex<never>)
  }
  return index
}
