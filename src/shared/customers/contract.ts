import { z } from 'zod'
import { method, nothing } from '../core/contract'
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

export const customersContract = {
  'customers:list': method(
    z
      .object({ query: z.string().max(200).optional(), segment: LoyaltySegment.optional() })
      .strict()
      .default({}),
    z.array(CustomerSummary),
    // Each customer's loyalty segment comes from activity, signals and the iceberg thresholds.
    { reads: ['customers', 'cases', 'activities', 'signals', 'settings'] },
  ),
  /** Every customer's id and name, by name: the name suggestions of the new-complaint and grumble dialogs. */
  'customers:names': method(nothing, z.array(Customer.pick({ id: true, name: true })), {
    reads: ['customers'],
    isUsableWhileLoading: true,
  }),
  'customers:get': method(z.object({ id }).strict(), z.object({ customer: Customer, cases: z.array(CaseSummary) }), {
    reads: ['customers', 'cases'],
  }),
  'customers:create': method(NewCustomer, Customer, { changes: ['customers'] }),
  'customers:update': method(CustomerEdit, Customer, { changes: ['customers'] }),
}
