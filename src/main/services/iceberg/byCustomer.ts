import { type ChurnAssessment, assessChurn } from '../../../shared/iceberg/churn'
import { type Activity } from '../../../shared/iceberg/schemas'
import { type ServiceContext } from '../context'
import { type SignalFacts, signalFacts } from './oldSignals'

/** Activity and signals grouped by customer: what churn, loyalty and signal views start from. */

/** Records grouped by their customer, in store order: every customer's, or only those asked about. */
function byCustomerOf<T extends { customerId: string }>(
  records: Iterable<T>,
  customerIds?: ReadonlySet<string>,
): Map<string, T[]> {
  const byCustomer = new Map<string, T[]>()
  for (const record of records) {
    if (customerIds && !customerIds.has(record.customerId)) continue
    const list = byCustomer.get(record.customerId)
    if (list) list.push(record)
    else byCustomer.set(record.customerId, [record])
  }
  return byCustomer
}

/**
 * Activity by customer. Grouped at each call, not kept: a page of customers asks for its own
 * (one pass, holding a hundred customers' lists), and keeping every customer's would hold memory
 * for the sake of the rare full pass.
 */
export function activitiesByCustomer(ctx: ServiceContext, customerIds?: ReadonlySet<string>): Map<string, Activity[]> {
  return byCustomerOf(ctx.store.all('activities'), customerIds)
}

/** Churn signals' facts by customer (old months' from their summaries), grouped at each call like activity. */
export function signalsByCustomer(ctx: ServiceContext, customerIds?: ReadonlySet<string>): Map<string, SignalFacts[]> {
  return byCustomerOf(signalFacts(ctx.store, customerIds), customerIds)
}

export function assessmentOf(ctx: ServiceContext, customerId: string): ChurnAssessment | undefined {
  const visits = [...ctx.store.all('activities')].filter((a) => a.customerId === customerId)
  return assessChurn(visits, ctx.now(), ctx.store.settings.iceberg)
}
