import { z } from 'zod'
import { method } from '../core/contract'
import { CustomerPromise, DueSpec, PromiseMetrics, PromiseState, PromiseStatus } from './promises'
import { Locale, id } from '../schemas'

/** The contract part of the promise ledger and its working calendar. */

export const PromiseSummary = CustomerPromise.extend({
  /** As of the server's now: overdue, kept on time, kept late, … */
  state: PromiseState,
  customerName: z.string(),
  caseNumber: z.string().nullable(),
})
export type PromiseSummary = z.infer<typeof PromiseSummary>

export const PromiseFilter = z
  .object({
    status: PromiseStatus.optional(),
    /** Any of these states (e.g. ['open', 'overdue'] for everything still to do). */
    states: z.array(PromiseState).min(1).max(20).optional(),
    madeBy: z.string().max(200).optional(),
    department: z.string().max(200).optional(),
    customerId: id.optional(),
    caseId: id.optional(),
    /** Due at or after / at or before. */
    dueFrom: z.iso.datetime({ offset: true }).max(40).optional(),
    dueTo: z.iso.datetime({ offset: true }).max(40).optional(),
    limit: z.number().int().min(1).max(1_000_000).optional(),
  })
  .strict()
export type PromiseFilter = z.input<typeof PromiseFilter>

/** The ledger a page at a time, latest due first: at 100,000 cases it holds 300,000 promises. */
export const PromisePageInput = PromiseFilter.omit({ limit: true }).extend({
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(100),
})
export const PromisePage = z.object({
  /** Every promise the filter matches; `items` are those from `offset` on. */
  total: z.number().int(),
  items: z.array(PromiseSummary),
  isComplete: z.boolean(),
})
export type PromisePage = z.infer<typeof PromisePage>

export const NewPromise = z
  .object({
    what: z.string().trim().min(1).max(500),
    /** On a case (the customer is the case's), or standalone for a customer (existing or new by name). */
    caseId: id.optional(),
    customerId: id.optional(),
    customerName: z.string().trim().max(200).optional(),
    /** A staff member; by default the current user. */
    madeBy: z.string().trim().max(200).optional(),
    due: DueSpec,
  })
  .strict()
export type NewPromise = z.input<typeof NewPromise>

export const BreakPromiseInput = z
  .object({
    id,
    whatHappened: z.string().max(10_000),
    /** Also log the broken promise on its case as a failure of its own. */
    isLoggedOnCase: z.boolean().default(false),
  })
  .strict()

export const RenegotiateInput = z
  .object({
    id,
    due: DueSpec,
    what: z.string().trim().max(500).optional(),
    note: z.string().max(10_000).optional(),
  })
  .strict()

export const PromiseMetricsView = z.object({
  total: PromiseMetrics,
  byStaff: z.array(z.object({ name: z.string(), metrics: PromiseMetrics })),
  byDepartment: z.array(z.object({ name: z.string(), metrics: PromiseMetrics })),
})
export type PromiseMetricsView = z.infer<typeof PromiseMetricsView>

/** `limit`: each list holds at most this many (the first due); without it, every promise. */
export const TodayPromisesInput = z
  .object({ limit: z.number().int().min(1).max(10_000).optional() })
  .strict()
  .default({})

export const TodayPromises = z.object({
  overdue: z.array(PromiseSummary),
  dueToday: z.array(PromiseSummary),
  dueThisWeek: z.array(PromiseSummary),
  /** How many each list holds in all. */
  totals: z.object({ overdue: z.number().int(), dueToday: z.number().int(), dueThisWeek: z.number().int() }),
})
export type TodayPromises = z.infer<typeof TodayPromises>

export const IcsExport = z.object({ filename: z.string(), content: z.string(), count: z.number() })

export const IcsInput = z.object({ lang: Locale.optional() }).strict().default({})

export const MetricsInput = z
  .object({
    from: z.iso.datetime({ offset: true }).max(40).optional(),
    to: z.iso.datetime({ offset: true }).max(40).optional(),
  })
  .strict()
  .default({})

/** A promise is computed against its case and customer; guarantees follow the working calendar. */
const promiseSources = ['promises', 'cases', 'customers', 'settings'] as const

/** Making or closing a promise also writes an event on its case's timeline. */
const promiseChanges = ['promises', 'cases'] as const

export const promisesContract = {
  'promises:list': method(PromiseFilter.default({}), z.array(PromiseSummary), { reads: promiseSources }),
  'promises:page': method(PromisePageInput.default({ offset: 0, limit: 100 }), PromisePage, { reads: promiseSources }),
  'promises:create': method(NewPromise, CustomerPromise, { changes: promiseChanges, isSweepAfter: true }),
  'promises:keep': method(z.object({ id, note: z.string().max(10_000).default('') }).strict(), CustomerPromise, {
    changes: promiseChanges,
    isSweepAfter: true,
  }),
  'promises:break': method(BreakPromiseInput, CustomerPromise, { changes: promiseChanges, isSweepAfter: true }),
  /** Takes back a Kept or Broken given by mistake (the Undo notice): open again. */
  'promises:undoClose': method(z.object({ id }).strict(), CustomerPromise, {
    changes: promiseChanges,
    isSweepAfter: true,
  }),
  'promises:renegotiate': method(RenegotiateInput, z.object({ closed: CustomerPromise, successor: CustomerPromise }), {
    changes: promiseChanges,
    isSweepAfter: true,
  }),
  'promises:cancel': method(z.object({ id, reason: z.string().max(10_000) }).strict(), CustomerPromise, {
    changes: promiseChanges,
    isSweepAfter: true,
  }),
  'promises:metrics': method(MetricsInput, PromiseMetricsView, { reads: promiseSources }),
  'promises:today': method(TodayPromisesInput, TodayPromises, { reads: promiseSources }),
  'promises:ics': method(IcsInput, IcsExport, { reads: promiseSources }),
  /** `isPast`: the pick's time has gone by (e.g. "today at close" after closing), so it cannot be used now. */
  'calendar:resolveDue': method(
    z.object({ due: DueSpec }).strict(),
    z.object({ dueAt: z.iso.datetime(), isPast: z.boolean() }),
    { reads: ['settings'] },
  ),
  'calendar:countries': method(
    z
      .object({ lang: z.string().max(20).default('en') })
      .strict()
      .default({ lang: 'en' }),
    z.array(z.object({ code: z.string(), name: z.string() })),
  ),
}
