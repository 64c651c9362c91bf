import { assessChurn } from '../../../shared/iceberg/churn'
import { type LoyaltyDetail } from '../../../shared/iceberg/contract'
import { type LoyaltySegment } from '../../../shared/iceberg/schemas'
import { segmentOf } from '../../../shared/iceberg/loyalty'
import { type Customer } from '../../../shared/schemas'
import { type ServiceContext } from '../context'
import { requireCustomer } from '../customers/customerRecords'
import { activitiesByCustomer, assessmentOf, signalsByCustomer } from './byCustomer'
import { grumblesOfCustomer } from './oldGrumbles'
import { signalsOfCustomer } from './oldSignals'

/** Loyalty segments and the loyalty card of one customer. */

/**
 * The loyalty segment of each customer asked about (every customer unless told), from their
 * activity and signals. Worked out at each call: a segment moves with time, not only with changes.
 */
export function loyaltySegments(
  ctx: ServiceContext,
  asked?: readonly Customer[],
): Map<string, LoyaltySegment | undefined> {
  const now = ctx.now()
  const settings = ctx.store.settings.iceberg
  const ids = asked ? new Set(asked.map((c) => c.id)) : undefined
  const activities = activitiesByCustomer(ctx, ids)
  const signals = signalsByCustomer(ctx, ids)
  const customers = asked ?? ctx.store.all('customers')
  const result = new Map<string, LoyaltySegment | undefined>()
  for (const customer of customers) {
    const visits = activities.get(customer.id)
    result.set(
      customer.id,
      segmentOf({
        isAdvocate: customer.isAdvocate ?? false,
        assessment: visits ? assessChurn(visits, now, settings) : undefined,
        signals: signals.get(customer.id) ?? [],
        now,
        settings,
      }),
    )
  }
  return result
}

export async function getLoyalty(ctx: ServiceContext, input: { customerId: string }): Promise<LoyaltyDetail> {
  const customer = requireCustomer(ctx, input.customerId)
  const assessment = assessmentOf(ctx, customer.id)
  const signals = signalsOfCustomer(ctx.store, customer.id).sort((a, b) => b.raisedAt.localeCompare(a.raisedAt))
  const grumbles = grumblesOfCustomer(ctx.store, customer.id).sort((a, b) => b.heardAt.localeCompare(a.heardAt))
  const segment = segmentOf({
    isAdvocate: customer.isAdvocate ?? false,
    assessment,
    signals,
    now: ctx.now(),
    settings: ctx.store.settings.iceberg,
  })
  return { segment: segment ?? null, assessment: assessment ?? null, signals, grumbles }
}

export async function setAdvocate(
  ctx: ServiceContext,
  input: { customerId: string; isAdvocate: boolean },
): Promise<Customer> {
  const updated: Customer = { ...requireCustomer(ctx, input.customerId), isAdvocate: input.isAdvocate }
  await ctx.store.commit([{ collection: 'customers', value: updated }])
  return updated
}
