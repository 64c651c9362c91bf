import { type ChurnAssessment, assessChurn } from '../../../shared/iceberg/churn'
import { type Activity, type Signal } from '../../../shared/iceberg/schemas'
import { type ServiceContext } from '../context'

/** Activity and signals grouped by customer: what churn, loyalty and signal views start from. */

export function activitiesByCustomer(ctx: ServiceContext): Map<string, Activity[]> {
  const byCustomer = new Map<string, Activity[]>()
  for (const a of ctx.store.all('activities')) {
    const list = byCustomer.get(a.customerId)
    if (list) list.push(a)
    else byCustomer.set(a.customerId, [a])
  }
  return byCustomer
}

export function signalsByCustomer(ctx: ServiceContext): Map<string, Signal[]> {
  const byCustomer = new Map<string, Signal[]>()
  for (const s of ctx.store.all('signals')) {
    const list = byCustomer.get(s.customerId)
    if (list) list.push(s)
    else byCustomer.set(s.customerId, [s])
  }
  return byCustomer
}

export function assessmentOf(ctx: ServiceContext, customerId: string): ChurnAssessment | undefined {
  const visits = [...ctx.store.all('activities')].filter((a) => a.customerId === customerId)
  return assessChurn(visits, ctx.now(), ctx.store.settings.iceberg)
}
