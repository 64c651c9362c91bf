import { z } from 'zod'
import { type Grumble } from '../iceberg/schemas'
import { CaseCostKind, id, isoDateTime } from '../schemas'

/**
 * A failure with no complaining customer (a late delivery truck, a broken oven): it counts in
 * its department's tally, the patterns and the report like any other failure, with what it cost.
 */
export const LoggedFailure = z.object({
  id,
  at: isoDateTime,
  category: z.string().min(1).max(200),
  department: z.string().min(1).max(200),
  what: z.string().trim().min(1).max(2000),
  /** In the business's currency; absent when nobody put a figure on it. */
  cost: z.number().finite().min(0).max(1e9).optional(),
  by: z.string().max(200),
  createdAt: isoDateTime,
})
export type LoggedFailure = z.infer<typeof LoggedFailure>

const amount = z.number().finite().min(0).max(1e9)

export const NewFailure = z
  .object({
    category: z.string().min(1).max(200),
    department: z.string().min(1).max(200),
    what: z.string().trim().min(1).max(2000),
    cost: amount.optional(),
    /** When it happened; default now. */
    at: isoDateTime.optional(),
  })
  .strict()

export const FailureFilter = z.object({ from: isoDateTime.optional(), to: isoDateTime.optional() }).strict()

/** A case's costs, replaced as a whole (the case dialog edits the list). */
export const CaseCostsInput = z
  .object({
    caseId: id,
    costs: z
      .array(z.object({ kind: CaseCostKind, amount, note: z.string().trim().max(500).default('') }).strict())
      .max(100),
  })
  .strict()

/** What a broken service guarantee's customer actually got: given or not, and how much. */
export const GuaranteeCompensation = z.object({
  isGiven: z.boolean(),
  amount: amount.optional(),
  at: isoDateTime,
  by: z.string().max(200),
})
export type GuaranteeCompensation = z.infer<typeof GuaranteeCompensation>

export const CompensationInput = z
  .object({ promiseId: id, isGiven: z.boolean(), amount: amount.optional() })
  .strict()
  .refine((v) => v.isGiven || v.amount === undefined, { message: 'No amount when nothing was given', path: ['amount'] })

/**
 * A logged failure as the pattern rules and the Departments screen see it: a failure of its
 * department and category, like a grumble nobody has to answer (no customer waits).
 */
export function failureAsGrumble(f: LoggedFailure): Grumble & { category: string } {
  let seen = views.get(f)
  if (!seen) {
    seen = {
      id: f.id,
      text: f.what.slice(0, 500),
      heardAt: f.at,
      heardBy: f.by,
      category: f.category,
      department: f.department,
      suggestion: '',
      createdAt: f.createdAt,
    }
    views.set(f, seen)
  }
  return seen
}
const views = new WeakMap<LoggedFailure, Grumble & { category: string }>()
