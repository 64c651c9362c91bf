import { z } from 'zod'

/**
 * Calendar months, `YYYY-MM`, in UTC: the months the store shards by, so "March" means the same
 * records to every feature whatever the machine's time zone.
 */
export const ReportMonth = z
  .string()
  .max(7)
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
export type ReportMonth = z.infer<typeof ReportMonth>

/** The month of a stored ISO string (`2026-03-05T…Z` or `2026-03-05`): stored times are UTC. */
export function monthOf(iso: string): string {
  return iso.slice(0, 7)
}

/** The month of an instant, in UTC. */
export function monthAt(at: Date | number): string {
  return monthOf(new Date(at).toISOString())
}

function parts(m: string): [year: number, month: number] {
  const [year, month] = m.split('-').map(Number)
  return [year ?? Number.NaN, month ?? Number.NaN]
}

/** `2026-01` → `2025-12`; `delta` months away in general. */
export function shiftMonth(m: string, delta: number): string {
  const [year, mon] = parts(m)
  return monthAt(Date.UTC(year, mon - 1 + delta, 1))
}

/** The month before `m`. */
export function previousMonth(m: string): string {
  return shiftMonth(m, -1)
}

/** The last month that has fully ended at `now` (UTC). */
export function lastFullMonth(now: Date): string {
  return previousMonth(monthAt(now))
}

/** The `count` months ending with `lastMonth`, oldest first: `['2025-12', …, '2026-11']`. */
export function monthsEndingWith(lastMonth: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => shiftMonth(lastMonth, i - (count - 1)))
}

/** The instant `m` begins, ISO-8601 UTC: `2026-05` → `2026-05-01T00:00:00.000Z`. */
export function monthStart(m: string): string {
  const [year, mon] = parts(m)
  return new Date(Date.UTC(year, mon - 1, 1)).toISOString()
}

/** The last calendar day of `m`: `2024-02` → `2024-02-29`. */
export function lastDayOf(m: string): string {
  const [year, mon] = parts(m)
  return `${m}-${String(new Date(Date.UTC(year, mon, 0)).getUTCDate()).padStart(2, '0')}`
}
