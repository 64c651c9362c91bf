import { z } from 'zod'
import { ReportMonth } from '../core/months'
import { type Translate } from '../core/i18n/translate'
import { type Case, type Customer, type Locale, type Settings, Locale as LocaleSchema } from '../schemas'
import { type CategoryTarget } from './failures'
import { Currency } from '../money/currency'

/**
 * The monthly escalation report's model: what it holds (validated at every boundary) and the
 * records it is built from. The keys of `period`, `iceberg`, `cases`, `promises`, `recovery`,
 * `topCategories`, `escalations` and `departments` are a contract that tests and other tools
 * depend on; the other sections may grow. The figures are computed in report.ts.
 */

/** A rule of thumb: of all service problems ~8 % become formal complaints, ~23 % grumbles, ~69 % silent churn. */
export const icebergShares = { formal: 0.08, grumble: 0.23, silent: 0.69 } as const

const count = z.number().int().min(0)
const rate = z.number().min(0).max(1).nullable()
const hours = z.number().min(0).nullable()
const isoDate = z.iso.date()
const month = ReportMonth

export const ReportPeriod = z
  .object({ from: isoDate, to: isoDate })
  .refine((p) => p.from <= p.to, { message: 'from must not be after to', path: ['to'] })
export type ReportPeriod = z.infer<typeof ReportPeriod>

export const EscalationItem = z.object({
  id: z.string(),
  title: z.string(),
  department: z.string(),
  raisedAt: z.iso.datetime(),
  /** Status at the end of the period. */
  status: z.enum(['open', 'acknowledged', 'resolved']),
  resolvedAt: z.iso.datetime().nullable(),
  evidence: z.string(),
  action: z.string(),
})
export type EscalationItem = z.infer<typeof EscalationItem>

export const TrendPoint = z.object({
  month,
  formal: count,
  grumble: count,
  silent: count,
  opened: count,
  closed: count,
  satisfactionAverage: z.number().nullable(),
  wouldComeBackRate: rate,
  keptRate: rate,
})
export type TrendPoint = z.infer<typeof TrendPoint>

export const Report = z.object({
  /** Bumped when a key changes meaning. */
  version: z.literal(1),
  businessName: z.string(),
  locale: LocaleSchema,
  /** ISO 4217 code of every amount in the report (Settings → Currency). */
  currency: Currency,
  generatedAt: z.iso.datetime(),
  /** Both ends inclusive, as calendar dates (UTC, the same months the store shards by). */
  period: z.object({ from: isoDate, to: isoDate }),
  /** Whether each optional record kind was passed in; where false the section is derived from cases or empty. */
  sources: z.object({ promises: z.boolean(), grumbles: z.boolean(), signals: z.boolean(), escalations: z.boolean() }),
  iceberg: z.object({
    formal: count,
    grumble: count,
    silent: count,
    /** formal ÷ 8 %; null when there is no formal complaint to estimate from. */
    estimatedTotalProblems: count.nullable(),
    /** grumbles ÷ (estimated total × 23 %): below 1 means grumbles go unrecorded. Not capped at 1. */
    grumbleCaptureRate: z.number().min(0).nullable(),
  }),
  cases: z.object({
    opened: count,
    closed: count,
    openAtEnd: count,
    medianHoursToFirstResponse: hours,
    medianHoursToResolve: hours,
  }),
  promises: z.object({ due: count, keptOnTime: count, keptLate: count, broken: count, keptRate: rate }),
  recovery: z.object({ satisfactionAverage: z.number().min(1).max(5).nullable(), wouldComeBackRate: rate }),
  churn: z.object({
    /** Silent-churn signals raised in the period. */
    signals: count,
    /** Customers who are at risk at the end of the period (open signals, or "would not come back"). */
    customersAtRisk: count,
    /** Sum of the open signals' value at risk; null where no signal carries a value. */
    valueAtRisk: z.number().min(0).nullable(),
    winBacks: count,
    winBackRate: rate,
    /** Up to ten customers at risk at the end of the period, highest value first. */
    atRisk: z.array(z.object({ customerId: z.string(), name: z.string(), valueAtRisk: z.number().nullable() })).max(10),
  }),
  topCategories: z.array(z.object({ category: z.string(), count, previousCount: count })).max(5),
  escalations: z.object({ raised: count, open: count, resolved: count, items: z.array(EscalationItem) }),
  /** Every failure per department; `target`/`metTarget` as before, `categories` adds each category beside its target. */
  departments: z.array(
    z.object({
      department: z.string(),
      failures: count,
      target: count.nullable(),
      metTarget: z.boolean().nullable(),
      categories: z.array(
        z.object({
          category: z.string(),
          failures: count,
          target: count.nullable(),
          metTarget: z.boolean().nullable(),
        }),
      ),
    }),
  ),
  /** The six calendar months ending with the period's last month, oldest first. */
  trend: z.array(TrendPoint),
  /** Display names of the categories used above, in the report's language (user-entered labels as typed). */
  categoryLabels: z.record(z.string(), z.string()),
})
export type Report = z.infer<typeof Report>

// ---------------------------------------------------------------------------------------------
// Inputs. Cases, customers and settings are required; the other kinds are optional: the
// integrator maps their records onto these minimal shapes.
// ---------------------------------------------------------------------------------------------

/** A promise. Counted by `due`; `renegotiated` ones are left out (the due date moved). */
export type ReportPromise = {
  /** ISO date-time the promise falls due. */
  due: string
  status: 'open' | 'kept' | 'broken' | 'renegotiated'
  /** When it was kept (status kept): on or before `due` counts as on time. */
  keptAt?: string
}

/** A frontline grumble record. Counted with the cases filed straight as grumbles (not promoted ones). */
export type ReportGrumble = { at: string; category?: string; department?: string; caseId?: string }

/** A silent-churn signal: a regular whose visits or spend dropped, or who is gone. */
export type ReportSignal = {
  customerId: string
  /** When the signal was raised. */
  at: string
  /** Estimated value at risk in the business's currency. */
  valueAtRisk?: number
  /** `won-back`: the customer returned (`closedAt` = when); `lost`/`dismissed` close it otherwise. */
  status: 'open' | 'won-back' | 'lost' | 'dismissed'
  closedAt?: string
}

/** An escalation to management. */
export type ReportEscalation = {
  id: string
  title: string
  department?: string
  raisedAt: string
  acknowledgedAt?: string
  resolvedAt?: string
  /** The evidence summary (the pattern that triggered it), as shown to management. */
  evidence: string
  /** The action management planned in answer. */
  action?: string
}

export type ReportInput = {
  cases: readonly Case[]
  /** Names the customers at risk. */
  customers: readonly Customer[]
  settings: Pick<Settings, 'businessName' | 'categories' | 'departments'>
  /** Promises; omitted → the promise section reads zero with `keptRate` null, `sources.promises` false. */
  promises?: readonly ReportPromise[]
  /** Grumble records, counted with the cases logged with channel `grumble` that were not promoted from one. */
  grumbles?: readonly ReportGrumble[]
  /** Silent-churn signals, counted with cases of channel `silent`; omitted → at-risk = "would not come back". */
  signals?: readonly ReportSignal[]
  /** Escalations; omitted → the escalation section is empty. */
  escalations?: readonly ReportEscalation[]
  /** Monthly failure targets covering all of a department's failures; omitted → none. */
  departmentTargets?: Readonly<Record<string, number>>
  /** Monthly failure targets per department and category (the Departments screen's); omitted → none. */
  categoryTargets?: readonly CategoryTarget[]
  /** The report's language (the app's language). Default 'en'. */
  locale?: Locale
  /** ISO 4217 code of the amounts. Default: the report language's usual currency. */
  currency?: Currency
}

/** Translates a key of the i18n layer: used for the names of built-in categories. */
export type { Translate }
