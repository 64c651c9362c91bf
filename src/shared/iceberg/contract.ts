import { z } from 'zod'
import { method } from '../core/contract'
import { ActivityMap } from './activityImport'
import { Grumble, LoyaltySegment, Signal, SignalLevel, SignalOutcome, SignalReason, ValueAtRisk } from './schemas'
import { Case, Customer, id, isoDateTime } from '../schemas'

/**
 * The contract part of the complaint iceberg: grumbles, silent-churn signals, activity import,
 * loyalty and the iceberg view.
 */

const month = z
  .string()
  .max(7)
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Expected YYYY-MM')
/** An empty choice in a form means "none". */
const optionalChoice = z
  .string()
  .max(200)
  .optional()
  .transform((v) => (v ? v : undefined))

export const NewGrumble = z
  .object({
    text: z.string().trim().min(1).max(500),
    heardBy: z.string().trim().max(200).default(''),
    heardAt: isoDateTime.optional(),
    /** An existing customer, or one found or created by `customerName`; both may be absent. */
    customerId: id.optional(),
    customerName: z.string().trim().max(200).optional(),
    category: optionalChoice,
    department: optionalChoice,
    suggestion: z.string().trim().max(2000).default(''),
  })
  .strict()
export type NewGrumble = z.input<typeof NewGrumble>

export const GrumbleSummary = Grumble.extend({ customerName: z.string().optional(), caseNumber: z.string().optional() })
export type GrumbleSummary = z.infer<typeof GrumbleSummary>

export const GrumbleFilter = z
  .object({
    from: isoDateTime.optional(),
    to: isoDateTime.optional(),
    customerId: id.optional(),
    limit: z.number().int().min(1).max(1_000_000).optional(),
  })
  .strict()

export const GrumblePageInput = z
  .object({
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .strict()
export const GrumblePage = z.object({
  /** Every grumble on file; `items` are those from `offset` on, newest first. */
  total: z.number().int(),
  items: z.array(GrumbleSummary),
  /** False while older months still load: the newest grumbles are already there, the rest follow. */
  isComplete: z.boolean(),
})
export type GrumblePage = z.infer<typeof GrumblePage>

export const ChurnAssessmentOut = z.object({
  visits: z.number(),
  firstAt: isoDateTime,
  lastAt: isoDateTime,
  daysSinceLast: z.number(),
  hasBaseline: z.boolean(),
  isIrregular: z.boolean(),
  isRegular: z.boolean(),
  usualIntervalDays: z.number(),
  irregularity: z.number(),
  averageSpend: z.number(),
  visitsPerYear: z.number(),
  recentIntervalDays: z.number().optional(),
  recentSpend: z.number().optional(),
  reasons: z.array(SignalReason),
  level: SignalLevel.optional(),
  evidentAt: isoDateTime.optional(),
  valueAtRisk: ValueAtRisk,
})

export const SignalSummary = Signal.extend({ customerName: z.string() })
export type SignalSummary = z.infer<typeof SignalSummary>

export const WinBackRateOut = z.object({
  wonBack: z.number(),
  lost: z.number(),
  falseAlarms: z.number(),
  rate: z.number().nullable(),
})

export const SignalList = z.object({
  signals: z.array(SignalSummary),
  /** Over every closed signal, whatever the filter. */
  winBack: WinBackRateOut,
  totalValueAtRisk: z.number(),
})
export type SignalList = z.infer<typeof SignalList>

const SignalFilter = z.object({ status: z.enum(['open', 'closed']).optional(), customerId: id.optional() })

export const SignalPageInput = SignalFilter.extend({
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(100),
}).strict()

/** The Signals screen a page at a time: at 100k cases there are 200,000 signals. */
export const SignalPage = SignalList.omit({ signals: true }).extend({
  /** Every signal the filter matches; `items` are those from `offset` on, in `signals:list`'s order. */
  total: z.number().int(),
  items: z.array(SignalSummary),
  isComplete: z.boolean(),
})
export type SignalPage = z.infer<typeof SignalPage>

export const SignalDetail = z.object({
  signal: Signal,
  customer: Customer,
  assessment: ChurnAssessmentOut.nullable(),
  /** The customer has been seen since the signal was raised: perhaps won back. */
  hasNewActivity: z.boolean(),
  suggestion: z.object({ dueAt: isoDateTime, kind: z.string() }),
})
export type SignalDetail = z.infer<typeof SignalDetail>

export const ManualSignal = z
  .object({
    customerId: id,
    /** What is known: "stopped coming after the new menu", "told Anna she goes elsewhere now". */
    note: z.string().trim().min(1).max(10_000),
    level: SignalLevel.default('at-risk'),
    averageSpend: z.number().finite().min(0).optional(),
    visitsPerYear: z.number().finite().min(0).max(366).optional(),
    category: optionalChoice,
    department: optionalChoice,
  })
  .strict()

export const ImportResult = z.object({
  rows: z.number(),
  imported: z.number(),
  alreadyThere: z.number(),
  newCustomers: z.number(),
  detection: z.object({ assessed: z.number(), raised: z.number(), updated: z.number() }),
})
export type ImportResult = z.infer<typeof ImportResult>

const Counts = z.object({ formal: z.number(), grumbles: z.number(), silent: z.number(), total: z.number() })
const Estimates = z.object({
  estimatedTotal: z.number().nullable(),
  expectedGrumbles: z.number().nullable(),
  grumbleCaptureRate: z.number().nullable(),
  expectedSilent: z.number().nullable(),
  silentDetectionRate: z.number().nullable(),
  unseen: z.number().nullable(),
  observedShares: z.object({ formal: z.number(), grumbles: z.number(), silent: z.number() }).nullable(),
})

export const IcebergView = z.object({
  from: month,
  to: month,
  counts: Counts,
  estimates: Estimates,
  trend: z.array(Counts.extend({ month })),
  hiddenByCategory: z.array(z.object({ category: z.string(), counts: Counts, estimates: Estimates })),
})
export type IcebergView = z.infer<typeof IcebergView>

export const IcebergQuery = z
  .object({ from: month, to: month, category: optionalChoice, department: optionalChoice })
  .strict()
  .refine((q) => q.from <= q.to, { message: 'The period ends before it starts', path: ['to'] })

export const LoyaltyDetail = z.object({
  segment: LoyaltySegment.nullable(),
  assessment: ChurnAssessmentOut.nullable(),
  signals: z.array(Signal),
  grumbles: z.array(Grumble),
})
export type LoyaltyDetail = z.infer<typeof LoyaltyDetail>

export const icebergContract = {
  'grumbles:log': method(NewGrumble, Grumble, { changes: ['grumbles', 'customers'], isSweepAfter: true }),
  'grumbles:list': method(GrumbleFilter.default({}), z.array(GrumbleSummary), { reads: ['grumbles', 'customers'] }),
  /** The Grumbles screen, a page at a time: at 100,000 cases there are 800,000 grumbles. */
  'grumbles:page': method(GrumblePageInput.default({ offset: 0, limit: 100 }), GrumblePage, {
    reads: ['grumbles', 'customers', 'cases'],
    isUsableWhileLoading: true,
  }),
  /** Files the grumble as a case (channel `grumble`); needs a customer if the grumble has none. */
  'grumbles:promote': method(z.object({ id, customerName: z.string().trim().max(200).optional() }).strict(), Case, {
    changes: ['grumbles', 'cases', 'customers', 'promises'],
    isSweepAfter: true,
  }),
  'signals:list': method(SignalFilter.strict().default({}), SignalList, {
    reads: ['signals', 'customers', 'activities'],
  }),
  'signals:page': method(SignalPageInput.default({ offset: 0, limit: 100 }), SignalPage, {
    reads: ['signals', 'customers', 'activities'],
  }),
  // The churn assessment follows the iceberg thresholds in settings.
  'signals:get': method(z.object({ id }).strict(), SignalDetail, {
    reads: ['signals', 'customers', 'activities', 'settings'],
  }),
  /** Runs churn detection over every customer's activity; re-running creates no duplicates. */
  'signals:detect': method(
    z.object({}).strict().default({}),
    z.object({ assessed: z.number(), raised: z.number(), updated: z.number() }),
    { changes: ['signals'], isSweepAfter: true },
  ),
  /** `Customer went quiet`: a signal raised by hand, with what is known. */
  'signals:raise': method(ManualSignal, Signal, { changes: ['signals', 'customers'], isSweepAfter: true }),
  'signals:planWinBack': method(
    z.object({ id, what: z.string().trim().min(1).max(2000), dueAt: isoDateTime }).strict(),
    Signal,
    // The planned contact is also a promise to the customer in the ledger.
    { changes: ['signals', 'promises'] },
  ),
  'signals:close': method(
    z.object({ id, outcome: SignalOutcome, note: z.string().max(10_000).default('') }).strict(),
    Signal,
    { changes: ['signals'], isSweepAfter: true },
  ),
  'activities:import': method(
    z.object({ csv: z.string().min(1).max(20_000_000), map: ActivityMap, detect: z.boolean().default(true) }).strict(),
    ImportResult,
    { changes: ['activities', 'customers', 'signals'], isSweepAfter: true },
  ),
  'iceberg:get': method(IcebergQuery, IcebergView, {
    reads: ['cases', 'grumbles', 'signals', 'activities', 'customers', 'settings'],
  }),
  'loyalty:get': method(z.object({ customerId: id }).strict(), LoyaltyDetail, {
    reads: ['activities', 'customers', 'cases', 'signals', 'grumbles', 'settings'],
  }),
  'loyalty:setAdvocate': method(z.object({ customerId: id, isAdvocate: z.boolean() }).strict(), Customer, {
    changes: ['customers'],
  }),
}
