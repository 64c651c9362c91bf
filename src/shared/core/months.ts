import { z } from 'zod'

/** A calendar month, `YYYY-MM` (UTC, the months the store shards by). */
export const ReportMonth = z
  .string()
  .max(7)
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/)
export type ReportMonth = z.infer<typeof ReportMonth>

/** `2026-01` → `2025-12`; `delta` months away in general. */
export function shiftMonth(m: string, delta: number): string {
  const [year, mon] = m.split('-').map(Number) as [number, number]
  return new Date(Date.UTC(year, mon - 1 + delta, 1)).toISOString().slice(0, 7)
}

/** The last month that has fully ended at `now` (UTC). */
export function lastFullMonth(now: Date): string {
  return shiftMonth(now.toISOString().slice(0, 7), -1)
}
