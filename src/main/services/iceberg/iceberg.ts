import { type z } from 'zod'
import { hiddenByCategory, icebergFor, icebergTrend, monthPeriod } from '../../../shared/iceberg/iceberg'
import { type IcebergQuery, type IcebergView } from '../../../shared/iceberg/contract'
import { type ServiceContext } from '../context'

/** The complaint iceberg of a period: formal complaints, grumbles and silent churn side by side. */

/** The iceberg of a period of whole months, its 12-month trend and where the hidden part looks largest. */
export async function getIceberg(ctx: ServiceContext, input: z.output<typeof IcebergQuery>): Promise<IcebergView> {
  const data = () => ({
    cases: ctx.store.all('cases'),
    grumbles: ctx.store.all('grumbles'),
    signals: ctx.store.all('signals'),
  })
  const filter = {
    ...(input.category ? { category: input.category } : {}),
    ...(input.department ? { department: input.department } : {}),
  }
  const period = monthPeriod(input.from, input.to)
  const iceberg = icebergFor(period, data(), filter)
  return {
    from: input.from,
    to: input.to,
    counts: iceberg.counts,
    estimates: iceberg.estimates,
    trend: icebergTrend(input.to, data(), 12, filter),
    hiddenByCategory: hiddenByCategory(period, data(), input.department ? { department: input.department } : {}),
  }
}
