import { type ChurnAssessment, assessChurn } from '../../../shared/iceberg/churn'
import { type Activity, type Signal } from '../../../shared/iceberg/schemas'
import { type ServiceContext } from '../context'
import { derivedOnce } from '../derived'

/** Activity and signals grouped by customer: what churn, loyalty and signal views start from. */

/** Records grouped by their customer, in store order. */
function byCustomerOf<T extends { customerId: string }>(records: Iterable<T>): ReadonlyMap<string, readonly T[]> {
  const byCustomer = new Map<string, T[]>()
  for (const record of records) {
    const list = byCustomer.get(record.customerId)
    if (list) list.push(record)
    else byCustomer.set(record.customerId, [record])
  }
  return byCustomer
}

/** Each customer's activity, grouped once per change to activity (a page of customers reads a few). */
export function activitiesByCustomer(ctx: ServiceContext): ReadonlyMap<string, readonly Activity[]> {
  const store = ctx.store
  return derivedOnce(store, 'activities by customer', [store.revision('activities')], () =>
    byCustomerOf(store.all('activities')),
  )
}

/** Each customer's churn signals, grouped once per change to signals. */
export function signalsByCustomer(ctx: ServiceContext): ReadonlyMap<string, readonly Signal[]> {
  const store = ctx.store
  return derivedOnce(store, 'signals by customer', [store.revision('signals')], () =>
    byCustomerOf(store.all('signals')),
  )
}

export function assessmentOf(ctx: ServiceContext, customerId: string): ChurnAssessment | undefined {
  const visits = [...ctx.store.all('activities')].filter((a) => a.customerId === customerId)
  return assessChurn(visits, ctx.now(), ctx.store.settings.iceberg)
}
