import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { AppError } from '../../../shared/core/errors'
import {
  type DemoPools,
  generateDemo,
  addDaysIn,
  languageOfName,
  sampleTimeZone,
  storyOfSummary,
} from '../../../shared/demo/demo'
import { type IcebergDemoPools, generateIcebergDemo } from '../../../shared/demo/demoIceberg'
import {
  type DemoPromisePools,
  demoPromiseSettings,
  generateDemoPromises,
  withPromiseTimelines,
} from '../../../shared/demo/demoPromises'
import { calendarFromSettings } from '../../../shared/promises/promises'
import {
  lateDeliveries,
  reviewQuietEscalations,
  reviewWeekly,
  withEscalationDemo,
} from '../../../shared/demo/demoEscalations'
import { detectPatterns, replaySweeps } from '../../../shared/escalations/escalation'
import { patternInputOf } from '../escalations/escalations'
import { resourcesDir } from '../../paths'
import { type ServiceContext } from '../context'
import { detectSignals } from '../iceberg/signals'
import { demoCostChanges } from '../../../shared/reports/demoCosts'
import { withSampleContacts } from '../../../shared/demo/demoContacts'

function loadPools(): DemoPools {
  const read = (name: string) => JSON.parse(readFileSync(join(resourcesDir(), 'demo', name), 'utf8')) as object
  return { ...read('sample.json'), ...read('stories.json') } as DemoPools
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
  const pools = loadPools()
  // Days and closing times are counted in the business calendar's zone (the folder's own if its
  // settings name one, else the sample's), never the machine's: the same `now` gives the same
  // sample on every computer.
  const timeZone = ctx.store.settings.promises.calendar.timeZone || sampleTimeZone
  const now = ctx.now()
  const base = generateDemo(pools, now, timeZone, undefined, lateDeliveries(now))
  const { demo, escalations } = withEscalationDemo(base, pools, now, timeZone)
  const iceberg = generateIcebergDemo(loadIcebergPools(), demo, now, timeZone)
  // The promise ledger's sample: default guarantees with compensation, and promises in every state.
  const promisePools = JSON.parse(
    readFileSync(join(resourcesDir(), 'demo', 'promises.json'), 'utf8'),
  ) as DemoPromisePools
  const promiseSettings = demoPromiseSettings(promisePools, timeZone)
  const calendar = calendarFromSettings(promiseSettings.calendar, [], timeZone)
  const staff = demo.settings.staff ?? []
  const promises = generateDemoPromises(
    iceberg.cases,
    promisePools,
    promiseSettings,
    calendar,
    ctx.now(),
    (name) => staff.find((s) => s.name === name)?.department ?? '',
    (c) => storyOfSummary(pools.stories, c.summary)?.[languageOfName(c.summary)].promises ?? [],
  )
  await ctx.store.commit([
    { collection: 'settings', value: { ...ctx.store.settings, ...demo.settings, promises: promiseSettings } },
    ...demo.customers.map((value) => ({ collection: 'customers' as const, value })),
    // The iceberg's sample links some grumble cases to their grumbles; promises add timeline lines.
    ...withPromiseTimelines(withSampleContacts(iceberg.cases), promises).map((value) => ({
      collection: 'cases' as const,
      value,
    })),
    ...iceberg.grumbles.map((value) => ({ collection: 'grumbles' as const, value })),
    ...iceberg.activities.map((value) => ({ collection: 'activities' as const, value })),
    ...iceberg.signals.map((value) => ({ collection: 'signals' as const, value })),
    ...promises.map((value) => ({ collection: 'promises' as const, value })),
    ...escalations.map((value) => ({ collection: 'escalations' as const, value })),
  ])
  // What the failures cost (refunds, compensation, staff time) and failures no customer reported.
  await ctx.store.commit(
    demoCostChanges([...ctx.store.all('cases')], [...ctx.store.all('promises')], ctx.store.settings, now),
  )
  // The regulars who slowed down or vanished show up as signals on first start.
  await detectSignals(ctx)
  // Weekly sweeps over the last eight weeks, as if MakeGood had been running all along: the
  // escalations then carry realistic dates, and last month's report has escalations to show.
  const weeks = Array.from({ length: 8 }, (_, i) => addDaysIn(timeZone, now, 7 * (i - 8)))
  const replayed = replaySweeps(patternInputOf(ctx), [...ctx.store.all('escalations')], weeks)
  const reviewed = new Map(replayed.map((e) => [e.id, e]))
  const active = new Set(detectPatterns(patternInputOf(ctx, true), now).map((d) => d.patternKey))
  for (const e of reviewQuietEscalations(replayed, now, demo.settings.currentUser ?? '', timeZone, active))
    reviewed.set(e.id, e)
  for (const e of reviewWeekly([...reviewed.values()], now, demo.settings.currentUser ?? '', timeZone))
    reviewed.set(e.id, e)
  await ctx.store.commit([...reviewed.values()].map((value) => ({ collection: 'escalations' as const, value })))
  return { customers: demo.customers.length, cases: demo.cases.length }
}
