import { type Rubric, RubricAverage, RubricAverages } from '../rubrics/rubrics'
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

const money = z.number().min(0)

/** The summary table's figures (its row keys, e.g. `cases.opened`) for another period. */
export const Comparison = z.object({
  from: isoDate,
  to: isoDate,
  figures: z.record(z.string(), z.number().nullable()),
})
export type Comparison = z.infer<typeof Comparison>

export const actOnRules = [
  'category-rise',
  'department-broken-promises',
  'oldest-unanswered-escalation',
  'guarantee-missed',
  'costliest-category',
] as const
export const ActOnRule = z.enum(actOnRules)
export type ActOnRule = z.infer<typeof ActOnRule>

export const ActOnItem = z.object({
  rule: ActOnRule,
  /** One sentence in the report's language, with the figure in it. */
  text: z.string(),
  figure: z.number(),
  /** The id of the report section (table) where the detail is. */
  section: z.string(),
  /** The same figure for the same subject in the period before, and a year earlier; null where not known. */
  previous: z.number().nullable(),
  lastYear: z.number().nullable(),
})
export type ActOnItem = z.infer<typeof ActOnItem>

export const ComebackGroup = z.object({
  /** Customers whose case closed in the period in this group. */
  customers: count,
  /** Of them, customers with no activity on record at all: left out of every figure below. */
  withoutActivity: count,
  /** Came back (a visit or purchase) within 30 / 90 days of the close; counted once the window has passed or they came. */
  cameBack30: count.nullable(),
  cameBack30Rate: rate,
  cameBack90: count.nullable(),
  cameBack90Rate: rate,
  /** Average spend per customer in the 30 days before the complaint and the 30 days after the close (once passed). */
  spendBefore: money.nullable(),
  spendAfter: money.nullable(),
})
export type ComebackGroup = z.infer<typeof ComebackGroup>

export const Comeback = z.object({
  /** False when no activity is imported: every figure is null, never 0. */
  hasActivity: z.boolean(),
  /** Satisfaction ≥ 4 at the close. */
  recovered: ComebackGroup,
  /** Satisfaction ≤ 3, or the customer was not reached. */
  notRecovered: ComebackGroup,
})
export type Comeback = z.infer<typeof Comeback>

export const Loyalty = z.object({
  hasActivity: z.boolean(),
  customerBase: count.nullable(),
  newCustomers: count.nullable(),
  retentionRate: rate,
  churnRate: rate,
  visitFrequency: z.number().min(0).nullable(),
  averageSpend: money.nullable(),
})
export type Loyalty = z.infer<typeof Loyalty>

export const costKinds = ['refund', 'compensation', 'staff-time', 'failure'] as const
export const CostKind = z.enum(costKinds)

export const Costs = z.object({
  /** Everything below together. */
  total: money,
  byKind: z.object({ refund: money, compensation: money, 'staff-time': money, failure: money }),
  /** Categories by what their failures cost in the period, costliest first (only those with a cost). */
  byCategory: z.array(z.object({ category: z.string(), cost: money, failures: count })),
  /** Failures logged without a customer in the period (they count in the departments and categories too). */
  failuresWithoutCustomer: count,
  /** Broken guarantee promises due in the period, and the compensation recorded for them. */
  guarantees: z.object({ broken: count, compensated: count, notGiven: count, unrecorded: count, amount: money }),
})
export type Costs = z.infer<typeof Costs>

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
  /** Rubric scores given in the period (docs/report.md): averages per case owner and per department. */
  rubrics: RubricAverages.extend({ average: RubricAverage.omit({ name: true }).nullable() }),
  /** The headline figures of the period before and of the same period a year earlier (null where no data). */
  compare: z.object({ previous: Comparison.nullable(), lastYear: Comparison.nullable() }),
  /** Three things to act on, picked by the rules in the README ("Three things to act on"). */
  actOn: z.array(ActOnItem).max(3),
  /** Did recovery bring them back? Customers whose case closed in the period, from imported activity. */
  comeback: Comeback,
  /** Loyalty KPIs from imported activity; every figure null when no activity is imported. */
  loyalty: Loyalty,
  /** What failures cost: case costs, failures logged without a customer, guarantee compensation. */
  costs: Costs,
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
  /** The department it counts for (the case's for a guarantee). */
  department?: string
  /** The service guarantee it enforces, with its display name, and the compensation recorded. */
  guaranteeId?: string
  guaranteeName?: string
  compensation?: { isGiven: boolean; amount?: number }
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
  /** Imported visits and purchases; omitted → not imported: comeback and loyalty say so (null). */
  activities?: readonly { customerId: string; date: string; amount: number }[]
  /** Failures logged with no customer (a late truck, a broken oven): counted like a case's failure. */
  failures?: readonly { at: string; category: string; department: string; cost?: number }[]
  /** The report's language (the app's language). Default 'en'. */
  locale?: Locale
  /** Supervisors' rubric scores of closed cases; omitted → the rubric section is empty. */
  rubrics?: readonly Rubric[]
  /** ISO 4217 code of the amounts. Default: the report language's usual currency. */
  currency?: Currency
}

/** Translates a key of the i18n layer: used for the names of built-in categories. */
export type { Translate }
