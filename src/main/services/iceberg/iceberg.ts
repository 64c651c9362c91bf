import { type z } from 'zod'
import { hiddenByCategory, icebergFor, icebergTrend, monthPeriod } from '../../../shared/iceberg/iceberg'
import { type IcebergQuery, type IcebergView } from '../../../shared/iceberg/contract'
import { monthStart, shiftMonth } from '../../../shared/core/months'
import { type ServiceContext } from '../context'
import { grumbleFacts } from './oldGrumbles'
import { signalFacts } from './oldSignals'

/** The complaint iceberg of a period: formal complaints, grumbles and silent churn side by side. */

/** The iceberg of a period of whole months, its 12-month trend and where the hidden part looks largest. */
export async function getIceberg(ctx: ServiceContext, input: z.output<typeof IcebergQuery>): Promise<IcebergView> {
  // The period and the 12 months of the trend: older grumbles are counted by neither.
  const firstMonth = [input.from, shiftMonth(input.to, -11)].sort()[0] ?? input.from
  const data = () => ({
    cases: ctx.store.all('cases'),
    grumbles: grumbleFacts(ctx.store, monthStart(firstMonth)),
    signals: signalFacts(ctx.store),
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
