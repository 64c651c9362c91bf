import { type Grumble, type Signal } from './schemas'
import { type Case } from '../schemas'
import { monthOf, monthStart, monthsEndingWith, shiftMonth } from '../core/months'

/**
 * The complaint iceberg (docs/domain.md): formal complaints are the visible tip, frontline
 * grumbles and silent churn the hidden part. The 8 / 23 / 69 split is a rule of thumb from
 * the source, used only to estimate what was probably not seen.
 */
export const icebergReference = { formal: 0.08, grumbles: 0.23, silent: 0.69 } as const

/** A half-open span of time [start, end), ISO-8601 UTC. */
export type IcebergPeriod = { start: string; end: string }
export type IcebergFilter = { category?: string; department?: string }

export type IcebergData = {
  cases: Iterable<Pick<Case, 'receivedAt' | 'channel' | 'category' | 'department' | 'grumbleId'>>
  grumbles: Iterable<Pick<Grumble, 'heardAt' | 'category' | 'department'>>
  signals: Iterable<Pick<Signal, 'raisedAt' | 'category' | 'department' | 'outcome'>>
}

export type IcebergCounts = { formal: number; grumbles: number; silent: number; total: number }

export type IcebergEstimates = {
  /** formal ÷ 0.08; null when there were no formal complaints (nothing to scale from). */
  estimatedTotal: number | null
  /** estimated total × 0.23 */
  expectedGrumbles: number | null
  /** logged grumbles ÷ expected grumbles: low means staff are not logging what they hear. */
  grumbleCaptureRate: number | null
  /** estimated total × 0.69 */
  expectedSilent: number | null
  /** detected signals ÷ expected silent */
  silentDetectionRate: number | null
  /** estimated total − everything recorded, never below zero. */
  unseen: number | null
  /** The business's own split of what it recorded; null when nothing was recorded. */
  observedShares: { formal: number; grumbles: number; silent: number } | null
}

export type Iceberg = {
  period: IcebergPeriod
  filter: IcebergFilter
  counts: IcebergCounts
  estimates: IcebergEstimates
}

/** `2026-05` → the whole of May 2026 in UTC (months are UTC, like the store's month shards). */
export function monthPeriod(month: string, lastMonth: string = month): IcebergPeriod {
  return { start: monthStart(month), end: monthStart(shiftMonth(lastMonth, 1)) }
}

type Layer = 'formal' | 'grumbles' | 'silent'
type Entry = { at: string; layer: Layer; category: string | undefined; department: string | undefined }

/**
 * Every recorded problem once, in its layer. A case promoted from a grumble is the grumble
 * itself, so it is not counted again; a case filed directly as a grumble (or as silent churn)
 * counts in that layer. Signals closed as a false alarm were never churn and do not count.
 */
function* entries(data: IcebergData): Generator<Entry> {
  for (const c of data.cases) {
    if (c.grumbleId) continue
    const layer: Layer = c.channel === 'formal' ? 'formal' : c.channel === 'grumble' ? 'grumbles' : 'silent'
    yield { at: c.receivedAt, layer, category: c.category, department: c.department || undefined }
  }
  for (const g of data.grumbles)
    yield { at: g.heardAt, layer: 'grumbles', category: g.category, department: g.department }
  for (const s of data.signals) {
    if (s.outcome === 'false-alarm') continue
    yield { at: s.raisedAt, layer: 'silent', category: s.category, department: s.department }
  }
}

function matches(entry: Entry, filter: IcebergFilter): boolean {
  if (filter.category !== undefined && entry.category !== filter.category) return false
  if (filter.department !== undefined && entry.department !== filter.department) return false
  return true
}

const emptyCounts = (): IcebergCounts => ({ formal: 0, grumbles: 0, silent: 0, total: 0 })

function add(counts: IcebergCounts, layer: Layer): void {
  counts[layer]++
  counts.total++
}

/** Estimates from counts alone: the rule of thumb scaled from the formal complaints. */
export function icebergEstimates(counts: IcebergCounts): IcebergEstimates {
  const observedShares =
    counts.total > 0
      ? {
          formal: counts.formal / counts.total,
          grumbles: counts.grumbles / counts.total,
          silent: counts.silent / counts.total,
        }
      : null
  if (counts.formal === 0) {
    return {
      estimatedTotal: null,
      expectedGrumbles: null,
      grumbleCaptureRate: null,
      expectedSilent: null,
      silentDetectionRate: null,
      unseen: null,
      observedShares,
    }
  }
  const estimatedTotal = counts.formal / icebergReference.formal
  const expectedGrumbles = estimatedTotal * icebergReference.grumbles
  const expectedSilent = estimatedTotal * icebergReference.silent
  return {
    estimatedTotal,
    expectedGrumbles,
    grumbleCaptureRate: counts.grumbles / expectedGrumbles,
    expectedSilent,
    silentDetectionRate: counts.silent / expectedSilent,
    unseen: Math.max(0, estimatedTotal - counts.total),
    observedShares,
  }
}

/**
 * The iceberg of one period, optionally for one category or department: the count in each
 * layer and the estimates of what is probably still hidden. Pure; the monthly report reuses it.
 */
export function icebergFor(period: IcebergPeriod, data: IcebergData, filter: IcebergFilter = {}): Iceberg {
  const counts = emptyCounts()
  for (const entry of entries(data)) {
    if (entry.at < period.start || entry.at >= period.end) continue
    if (matches(entry, filter)) add(counts, entry.layer)
  }
  return { period, filter, counts, estimates: icebergEstimates(counts) }
}

export type IcebergMonth = { month: string } & IcebergCounts

/** The three layers per month for the `months` months ending with `lastMonth`, oldest first. */
export function icebergTrend(
  lastMonth: string,
  data: IcebergData,
  months = 12,
  filter: IcebergFilter = {},
): IcebergMonth[] {
  const keys = monthsEndingWith(lastMonth, months)
  const byMonth = new Map(keys.map((month) => [month, emptyCounts()]))
  for (const entry of entries(data)) {
    const counts = byMonth.get(monthOf(entry.at))
    if (counts && matches(entry, filter)) add(counts, entry.layer)
  }
  return keys.map((month) => ({ month, ...(byMonth.get(month) ?? emptyCounts()) }))
}

export type HiddenByCategory = { category: string; counts: IcebergCounts; estimates: IcebergEstimates }

/**
 * The categories where the hidden part looks largest: estimated unseen problems, most first.
 * Categories without formal complaints have no estimate and are left out.
 */
export function hiddenByCategory(
  period: IcebergPeriod,
  data: IcebergData,
  filter: Pick<IcebergFilter, 'department'> = {},
): HiddenByCategory[] {
  const byCategory = new Map<string, IcebergCounts>()
  for (const entry of entries(data)) {
    if (entry.at < period.start || entry.at >= period.end || entry.category === undefined) continue
    if (!matches(entry, filter)) continue
    const counts = byCategory.get(entry.category) ?? emptyCounts()
    add(counts, entry.layer)
    byCategory.set(entry.category, counts)
  }
  return [...byCategory.entries()]
    .map(([category, counts]) => ({ category, counts, estimates: icebergEstimates(counts) }))
    .filter((c) => c.estimates.unseen !== null)
    .sort((a, b) => (b.estimates.unseen ?? 0) - (a.estimates.unseen ?? 0) || a.category.localeCompare(b.category))
}
