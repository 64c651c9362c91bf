import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { AppError } from '../../shared/errors'
import { type DemoPools, generateDemo } from '../../shared/demo'
import { type IcebergDemoPools, generateIcebergDemo } from '../../shared/demoIceberg'
import { resourcesDir } from '../paths'
import { type ServiceContext } from './context'
import { detectSignals } from './iceberg'

function loadPools(): DemoPools {
  return JSON.parse(readFileSync(join(resourcesDir(), 'demo', 'sample.json'), 'utf8')) as DemoPools
}

function loadIcebergPools(): IcebergDemoPools {
  return JSON.parse(readFileSync(join(resourcesDir(), 'demo', 'iceberg.json'), 'utf8')) as IcebergDemoPools
}

/** Sample data goes only into an empty folder: it must never mix with a business's real records. */
export async function loadDemo(ctx: ServiceContext): Promise<{ customers: number; cases: number }> {
  if (ctx.store.count('cases') > 0 || ctx.store.count('customers') > 0) {
    throw new AppError('conflict', 'Sample data can only be loaded into an empty data folder', {
      reason: 'demo.not_empty',
    })
  }
  const demo = generateDemo(loadPools(), ctx.now())
  const iceberg = generateIcebergDemo(loadIcebergPools(), demo, ctx.now())
  await ctx.store.commit([
    { collection: 'settings', value: { ...ctx.store.settings, ...demo.settings } },
    ...demo.customers.map((value) => ({ collection: 'customers' as const, value })),
    ...iceberg.cases.map((value) => ({ collection: 'cases' as const, value })),
    ...iceberg.grumbles.map((value) => ({ collection: 'grumbles' as const, value })),
    ...iceberg.activities.map((value) => ({ collection: 'activities' as const, value })),
    ...iceberg.signals.map((value) => ({ collection: 'signals' as const, value })),
  ])
  // The regulars who slowed down or vanished show up as signals on first start.
  await detectSignals(ctx)
  return { customers: demo.customers.length, cases: demo.cases.length }
}
