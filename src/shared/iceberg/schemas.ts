import { z } from 'zod'
import { TimelineEvent, id, isoDateTime } from '../schemas'

/**
 * Records of the lower layers of the complaint iceberg (docs/domain.md): frontline grumbles,
 * the activity history silent churn is read from, and the silent-churn signals themselves.
 */

/** A remark heard by staff, passed upward with the staff member's suggestion. */
export const Grumble = z.object({
  id,
  text: z.string().trim().min(1).max(500),
  heardAt: isoDateTime,
  heardBy: z.string().trim().max(200),
  customerId: id.optional(),
  category: z.string().min(1).max(200).optional(),
  department: z.string().min(1).max(200).optional(),
  suggestion: z.string().max(2000).default(''),
  /** Set when the grumble was promoted to a case; the case carries `grumbleId` back. */
  caseId: id.optional(),
  createdAt: isoDateTime,
})
export type Grumble = z.infer<typeof Grumble>

export const activitySources = ['import', 'demo'] as const

/** One visit or purchase: the raw material silent churn is detected from. */
export const Activity = z.object({
  id,
  customerId: id,
  date: isoDateTime,
  amount: z.number().finite().min(0),
  source: z.enum(activitySources),
  /** Same customer, time, amount and position in the file: re-importing a file adds nothing. */
  importKey: z.string().max(300).optional(),
})
export type Activity = z.infer<typeof Activity>

export const signalLevels = ['at-risk', 'lost'] as const
export const SignalLevel = z.enum(signalLevels)
export type SignalLevel = z.infer<typeof SignalLevel>

export const signalReasons = ['overdue', 'gone', 'frequency-falling', 'spend-falling', 'manual'] as const
export const SignalReason = z.enum(signalReasons)
export type SignalReason = z.infer<typeof SignalReason>

export const signalOutcomes = ['won-back', 'lost', 'false-alarm'] as const
export const SignalOutcome = z.enum(signalOutcomes)
export type SignalOutcome = z.infer<typeof SignalOutcome>

/** Average spend × visits per year × horizon in years (docs/domain.md). */
export const ValueAtRisk = z.object({
  averageSpend: z.number().finite().min(0),
  visitsPerYear: z.number().finite().min(0),
  horizonYears: z.number().finite().min(0),
  value: z.number().finite().min(0),
})
export type ValueAtRisk = z.infer<typeof ValueAtRisk>

/** The figures detection saw, kept on the signal so the reason can be shown later. */
export const SignalBaseline = z.object({
  visits: z.number().int().min(0),
  usualIntervalDays: z.number().finite().min(0),
  averageSpend: z.number().finite().min(0),
  daysSinceLast: z.number().finite(),
  recentIntervalDays: z.number().finite().optional(),
  recentSpend: z.number().finite().optional(),
})
export type SignalBaseline = z.infer<typeof SignalBaseline>

export const WinBackPlan = z.object({
  what: z.string().trim().min(1).max(2000),
  dueAt: isoDateTime,
  by: z.string().max(200),
  plannedAt: isoDateTime,
  /** The win-back contact is a promise to the customer, tracked in the ledger. */
  promiseId: z.string().max(64).optional(),
})
export type WinBackPlan = z.infer<typeof WinBackPlan>

/** A silent-churn signal: worked like a case until its outcome is recorded. */
export const Signal = z.object({
  id,
  customerId: id,
  origin: z.enum(['detected', 'manual']),
  level: SignalLevel,
  reasons: z.array(SignalReason).min(1),
  /** When the silence became evident (detection back-dates it to then); its month in the iceberg. */
  raisedAt: isoDateTime,
  /** When MakeGood (or a person) actually raised it. */
  detectedAt: isoDateTime,
  raisedBy: z.string().max(200),
  /** Customer + their last activity: the same silence is never raised twice. */
  episode: z.string().max(200),
  lastActivityAt: isoDateTime.optional(),
  baseline: SignalBaseline.optional(),
  valueAtRisk: ValueAtRisk.optional(),
  note: z.string().max(10_000).default(''),
  category: z.string().min(1).max(200).optional(),
  department: z.string().min(1).max(200).optional(),
  winBack: WinBackPlan.optional(),
  status: z.enum(['open', 'closed']),
  outcome: SignalOutcome.optional(),
  outcomeNote: z.string().max(10_000).optional(),
  closedAt: isoDateTime.optional(),
  closedBy: z.string().max(200).optional(),
  timeline: z.array(TimelineEvent),
})
export type Signal = z.infer<typeof Signal>

export const loyaltySegments = [
  'new',
  'active-regular',
  'core',
  'occasional',
  'inactive',
  'at-risk',
  'lost',
  'advocate',
] as const
export const LoyaltySegment = z.enum(loyaltySegments)
export type LoyaltySegment = z.infer<typeof LoyaltySegment>
