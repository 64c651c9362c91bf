import { z } from 'zod'
import { method } from '../core/contract'
import { LoyaltySegment } from '../iceberg/schemas'
import { Customer, id } from '../schemas'
import { CaseSummary } from '../cases/contract'

export const CustomerSummary = Customer.extend({
  caseCount: z.number(),
  openCaseCount: z.number(),
  /** Loyalty segment; absent when no activity is recorded for the customer. */
  segment: LoyaltySegment.optional(),
})
export type CustomerSummary = z.infer<typeof CustomerSummary>

export const NewCustomer = Customer.pick({ name: true, email: true, phone: true, notes: true }).strict()
export const CustomerEdit = Customer.pick({ name: true, email: true, phone: true, notes: true })
  .partial()
  .extend({ id })
  .strict()

const CustomerFilter = z.object({ query: z.string().max(200).optional(), segment: LoyaltySegment.optional() })

export const CustomerNamesInput = z
  .object({ query: z.string().max(200).optional(), limit: z.number().int().min(1).max(500).optional() })
  .strict()
  .default({})

export const CustomerPageInput = CustomerFilter.extend({
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(100),
}).strict()

/** The Customers screen a page at a time, by name: a shop with 100k cases knows tens of thousands. */
export const CustomerPage = z.object({
  /** Every customer the filter matches; `items` are those from `offset` on, in `customers:list`'s order. */
  total: z.number().int(),
  items: z.array(CustomerSummary),
  isComplete: z.boolean(),
})
export type CustomerPage = z.infer<typeof CustomerPage>

// Each customer's loyalty segment comes from activity, signals and the iceberg thresholds.
const customerListReads = ['customers', 'cases', 'activities', 'signals', 'settings'] as const

export const customersContract = {
  'customers:list': method(CustomerFilter.strict().default({}), z.array(CustomerSummary), {
    reads: [...customerListReads],
  }),
  'customers:page': method(CustomerPageInput.default({ offset: 0, limit: 100 }), CustomerPage, {
    reads: [...customerListReads],
  }),
  /**
   * Customers' ids and names, by name: the name suggestions of the new-complaint, edit-case and
   * grumble dialogs. With `query`, only the names holding every word of it (case and accents ignored);
   * with `limit`, the first that many. Without either, every customer.
   */
  'customers:names': method(CustomerNamesInput, z.array(Customer.pick({ id: true, name: true })), {
    reads: ['customers'],
    isUsableWhileLoading: true,
  }),
  'customers:get': method(z.object({ id }).strict(), z.object({ customer: Customer, cases: z.array(CaseSummary) }), {
    reads: ['customers', 'cases'],
  }),
  'customers:create': method(NewCustomer, Customer, { changes: ['customers'] }),
  'customers:update': method(CustomerEdit, Customer, { changes: ['customers'] }),
}
