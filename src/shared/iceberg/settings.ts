import { z } from 'zod'

// Kept apart from icebergSchemas.ts: schemas.ts imports this file, so it must import nothing of ours.

/** The thresholds of churn detection and loyalty segments; every one is shown in the UI. */
export const IcebergSettings = z.object({
  /** Visits needed before a customer has a baseline of their own. */
  minVisits: z.number().int().min(3).max(100).default(5),
  /** The last N visits are compared against everything before them. */
  recentVisits: z.number().int().min(2).max(20).default(3),
  /** Coefficient of variation of the intervals above which a customer counts as irregular. */
  maxIrregularity: z.number().min(0.1).max(5).default(0.8),
  atRiskFactor: z.number().min(1.1).max(20).default(2),
  atRiskMinDays: z.number().int().min(1).max(3650).default(14),
  lostFactor: z.number().min(1.2).max(50).default(4),
  lostMinDays: z.number().int().min(1).max(3650).default(60),
  frequencyDropPercent: z.number().min(5).max(95).default(40),
  spendDropPercent: z.number().min(5).max(95).default(40),
  horizonYears: z.number().min(0.25).max(50).default(3),
  newCustomerDays: z.number().int().min(1).max(3650).default(90),
  coreVisitsPerYear: z.number().min(1).max(365).default(24),
  inactiveDays: z.number().int().min(1).max(3650).default(180),
})
export type IcebergSettings = z.infer<typeof IcebergSettings>

export function defaultIcebergSettings(): IcebergSettings {
  return IcebergSettings.parse({})
}
