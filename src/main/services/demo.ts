import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { AppError } from '../../shared/errors'
import { type DemoPools, generateDemo } from '../../shared/demo'
import { withEscalationDemo } from '../../shared/escalationDemo'
import { resourcesDir } from '../paths'
import { type ServiceContext } from './context'

function loadPools(): DemoPools {
  return JSON.parse(readFileSync(join(resourcesDir(), 'demo', 'sample.json'), 'utf8')) as DemoPools
}

/** Sample data goes only into an empty folder: it must never mix with a business's real records. */
export async function loadDemo(ctx: ServiceContext): Promise<{ customers: number; cases: number }> {
  if (ctx.store.count('cases') > 0 || ctx.store.count('customers') > 0) {
    throw new AppError('conflict', 'Sample data can only be loaded into an empty data folder', {
      reason: 'demo.not_empty',
    })
  }
  const pools = loadPools()
  const { demo, escalations } = withEscalationDemo(generateDemo(pools, ctx.now()), pools, ctx.now())
  await ctx.store.commit([
    { collection: 'settings', value: { ...ctx.store.settings, ...demo.settings } },
    ...demo.customers.map((value) => ({ collection: 'customers' as const, value })),
    ...demo.cases.map((value) => ({ collection: 'cases' as const, value })),
    ...escalations.map((value) => ({ collection: 'escalations' as const, value })),
  ])
  return { customers: demo.customers.length, cases: demo.cases.length }
}
