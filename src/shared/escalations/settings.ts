import { z } from 'zod'

// Kept apart from escalation.ts so schemas.ts can hold these settings without an import cycle.

/** "At most 4 late deliveries a month" (docs/domain.md): a department's target for one category. */
export const FailureTarget = z.object({
  department: z.string().max(200),
  category: z.string().min(1).max(64),
  perMonth: z.number().int().min(0).max(100_000),
})
export type FailureTarget = z.infer<typeof FailureTarget>

const count = (min: number, value: number) => z.number().int().min(min).max(100_000).default(value)
const days = (value: number) => z.number().int().min(1).max(3650).default(value)

/**
 * Thresholds of the seven escalation rules. Every field has a default, so data files written
 * before this feature (or before a field was added) still parse. The reasons for the defaults
 * are in `defaultEscalationSettings`.
 */
export const EscalationSettings = z.object({
  recurringCount: count(2, 3),
  recurringWindowDays: days(30),
  preventionWindowDays: days(30),
  ladderWindowDays: days(30),
  ladderMinorThreshold: count(1, 10),
  ladderNearMissesPerMinor: count(1, 10),
  brokenPromiseCount: count(1, 2),
  brokenPromiseWindowDays: days(30),
  customerBrokenPromiseWindowDays: days(90),
  repeatComplainerDays: days(90),
  quietDays: days(30),
  targets: z.array(FailureTarget).max(1000).default([]),
})
export type EscalationSettings = z.infer<typeof EscalationSettings>

/**
 * The defaults, and why (docs/domain.md, Patterns and escalation):
 * - recurring failure: 3 in 30 days. Two can be chance; a third of the same failure in the same
 *   department within a month is a pattern, and a month is the period management reviews.
 * - prevention failed: 30 days, the same month-long horizon: a fix that does not hold a month
 *   did not change anything at the root.
 * - Heinrich ladder: behind 1 major stand 29 minor and 300 near-misses, so one near-miss weighs
 *   about a tenth of a minor (300 / 29 ≈ 10). Escalate at 10 minor-equivalents of one category in
 *   30 days: a third of the way up the 29. At 5 (a sixth) the commonest category of a bistro
 *   with 150 complaints in six months crossed it every month, saying nothing the recurring rule
 *   had not; a third is still early enough to act before the major arrives (README, "Escalation
 *   defaults").
 *   A major case escalates at once.
 * - broken promises: 2 in a department in 30 days (one can be an accident; two is how a team
 *   works), or a second broken promise to one customer within 90 days (004's coffee chain
 *   broke its word three times and ended in the press: the second is the last safe moment).
 * - repeat complainer: 90 days, a quarter: a second failure in that time wipes out the goodwill
 *   of the first recovery.
 * - quiet period: 30 days without the pattern before an escalation may be resolved, one full
 *   window of the recurring rule.
 */
export function defaultEscalationSettings(): EscalationSettings {
  return EscalationSettings.parse({})
}
