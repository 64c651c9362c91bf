// One bench size in its own process (so RSS is this size's alone). Prints one JSON line.
import { execFileSync } from 'node:child_process'
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import { existsSync, readFileSync } from 'node:fs'
import { SourceMap } from 'node:module'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { Low } from 'lowdb'
import { JSONFile } from 'lowdb/node'
import { makeCase } from '../test/helpers/records'
import { generate, historyMonths, monthOf } from './generate'
import { idleRss, settledRss } from './memory'

const p95 = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length * 0.95)] ?? NaN
const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? NaN

/** `seed N DIR`: writes the data set through the store (replaceAll: validated, sharded). */
async function seed(cases: number, dir: string) {
  const { Store } = await import('../src/main/store/store')
  const data = generate(cases)
  const store = await Store.open(dir)
  const t = performance.now()
  await store.replaceAll({
    schemaVersion: 2,
    settings: store.settings,
    collections: {
      customers: data.customers,
      cases: data.cases,
      promises: data.promises,
      grumbles: data.grumbles,
      signals: data.signals,
    },
  })
  const seedMs = performance.now() - t
  await store.close()
  const diskMb = Number(execFileSync('du', ['-sb', dir]).toString().split('\t')[0]) / 1e6
  const signals = data.grumbles.length + data.signals.length
  return { cases, promises: data.promises.length, grumbles: data.grumbles.length, signals, seedMs, diskMb }
}

/** `measure N DIR`: a fresh process, as a user's start-up would be. */
async function measure(cases: number, dir: string) {
  const { Store } = await import('../src/main/store/store')
  const { handlers } = await import('../src/main/services')
  const { listCases } = await import('../src/main/services/cases/cases')
  const t0 = performance.now()
  const store = await Store.open(dir, { isLazy: true })
  const openMs = performance.now() - t0
  const ctx = { store, now: () => new Date('2026-11-20T10:00:00Z') }
  const today = await handlers['today:get'](ctx, {})
  const todayMs = performance.now() - t0
  await store.whenFullyLoaded()
  const fullMs = performance.now() - t0
  global.gc?.()
  const rssMb = process.memoryUsage().rss / 1e6
  const heapMb = process.memoryUsage().heapUsed / 1e6
  // V8 hands the pages a collection freed back to the system on a background thread: read at once,
  // RSS still counts them. A second later it is what the process really holds.
  const rssSettledMb = await settledRss()
  const monthsOnDisk = `${store.monthsOnDisk('grumbles').length} / ${store.monthsOnDisk('signals').length} / ${store.monthsOnDisk('promises').length}`
  const listSamples: number[] = []
  for (let i = 0; i < 7; i++) {
    const t = performance.now()
    listCases(ctx, { status: 'open', category: 'hygiene', limit: 200 })
    listSamples.push(performance.now() - t)
  }
  const querySamples: number[] = []
  for (let i = 0; i < 5; i++) {
    const t = performance.now()
    listCases(ctx, { query: '退款', limit: 200 })
    querySamples.push(performance.now() - t)
  }
  // Our write: a realistic case update through the journal, one at a time, on recent cases
  // (people work on this quarter's cases), which includes any checkpoint that falls due.
  const writes = 400
  const recent = (i: number) => (i * historyMonths) % cases
  const ours: number[] = []
  for (let i = 0; i < writes; i++) {
    const index = recent(i % 200)
    const value = makeCase(index, monthOf(index), 2 + i)
    const t = performance.now()
    await store.commit([{ collection: 'cases', value }])
    ours.push(performance.now() - t)
  }
  // The same, 8 at a time: group commit shares one fdatasync.
  const concurrent: number[] = []
  for (let i = 0; i < writes / 8; i++) {
    const t = performance.now()
    await Promise.all(
      Array.from({ length: 8 }, (_, j) => {
        const index = recent(j)
        return store.commit([{ collection: 'cases', value: makeCase(index, monthOf(index), 10_000 + i) }])
      }),
    )
    concurrent.push((performance.now() - t) / 8)
  }
  // What a user waits for when saving: a change through the services, which then looks for
  // patterns (the escalation sweep) before it answers. The app sweeps the whole history once at
  // start-up (the runtime does it before the first page); every save after that sweeps only what
  // it touched.
  const { dispatch } = await import('../src/main/services')
  const { sweepEscalations } = await import('../src/main/services/escalations/escalations')
  // The runtime summarises the old months' promises and churn signals once history has loaded, a
  // month per turn of the event loop, before it sweeps.
  const { warmOldSignals } = await import('../src/main/services/iceberg/oldSignals')
  const { warmOldPromises } = await import('../src/main/services/promises/oldPromises')
  await warmOldPromises(store)
  await warmOldSignals(store)
  const tSweep = performance.now()
  await sweepEscalations(ctx)
  const startSweepMs = performance.now() - tSweep
  // After 450 writes and the full sweep the app runs at start-up: what a working session holds.
  const rssAfterSweepMb = await settledRss()
  // The desktop app also normalises every record's search text at start-up and counts the case
  // numbers (the runtime's warm-up), so the first search and the first new case are as fast as
  // the rest: what it holds once it is ready.
  const { warmForFirstUse } = await import('../src/main/services/warmUp')
  await warmForFirstUse(ctx)
  // Last of the runtime's start-up steps: the sweep's code run once over the busiest groups.
  const { warmSweep } = await import('../src/main/services/escalations/escalations')
  await warmSweep(ctx)
  const rssWarmMb = await settledRss()
  const save = (i: number) =>
    i % 2 === 0
      ? dispatch(ctx, 'grumbles:log', {
          text: `Queue too long ${i}`,
          heardBy: 'Anna',
          category: 'long-wait',
          department: store.settings.departments[0] ?? '',
        })
      : dispatch(ctx, 'cases:create', {
          customerId: `cust-${i}`,
          summary: `Cold soup ${i}`,
          category: 'poor-quality',
          department: store.settings.departments.at(-1) ?? '',
        })
  // The first save of each kind after start-up also compiles its code paths (the contract's
  // schemas, the handlers) and trims the pattern groups the start-up sweep left: printed on its own.
  const timedSave = async (i: number) => {
    const t = performance.now()
    const saved = await save(i)
    if (!saved.ok) throw new Error(saved.error.message)
    return performance.now() - t
  }
  const firstSaves = [await timedSave(0), await timedSave(1)]
  const serviceWrites: number[] = []
  for (let i = 2; i < 42; i++) serviceWrites.push(await timedSave(i))
  const profile = await profileOf(() => save(43))
  // Last: the process left alone after this working session, as a person leaves the app open.
  const idle = await idleRss()
  const tClose = performance.now()
  await store.close()
  const closeMs = performance.now() - tClose
  // The floor: a bare 1 KB append + fdatasync on the same disk, in the same run.
  const floor: number[] = []
  const handle = await open(join(dir, 'floor.bin'), 'a')
  const kb = Buffer.alloc(1024, 97)
  for (let i = 0; i < writes; i++) {
    const t = performance.now()
    await handle.write(kb)
    await handle.datasync()
    floor.push(performance.now() - t)
  }
  await handle.close()
  return {
    openMs,
    todayMs,
    todayCases: today.cases.length,
    fullMs,
    rssMb,
    rssSettledMb,
    rssAfterSweepMb,
    rssWarmMb,
    rssIdleMb: idle.rssMb,
    idleWaitedMs: idle.waitedMs,
    isIdleReduced: idle.isReduced,
    monthsOnDisk,
    heapMb,
    listMs: median(listSamples),
    queryMs: median(querySamples),
    writeP50: median(ours),
    writeP95: p95(ours),
    concurrentP95: p95(concurrent),
    floorP95: p95(floor),
    closeMs,
    serviceWriteMs: median(serviceWrites),
    serviceWriteP95: p95(serviceWrites),
    firstSavesMs: firstSaves.map((ms) => ms.toFixed(0)).join(' / '),
    startSweepMs,
    profile,
  }
}

/** The source maps of the bundles a profile names, read when first asked for (after memory is measured). */
const sourceMaps = new Map<string, SourceMap | undefined>()
function sourceMapOf(path: string): SourceMap | undefined {
  if (!sourceMaps.has(path)) {
    const mapPath = `${path}.map`
    sourceMaps.set(
      path,
      existsSync(mapPath) ? new SourceMap(JSON.parse(readFileSync(mapPath, 'utf8')) as never) : undefined,
    )
  }
  return sourceMaps.get(path)
}

/**
 * Where a sampled function is in the TypeScript source: the bench runs bundled (bench/run.ts), so
 * the profile's positions are the bundle's; the source map esbuild wrote beside it gives the original.
 */
function placeOf(frame: { functionName: string; url: string; lineNumber: number; columnNumber: number }): string {
  const name = frame.functionName || '(anonymous)'
  if (!frame.url) return name
  const path = frame.url.startsWith('file://') ? fileURLToPath(frame.url) : frame.url
  const entry = sourceMapOf(path)?.findEntry(frame.lineNumber, frame.columnNumber)
  const source = entry && 'originalSource' in entry ? entry.originalSource : path
  const line = entry && 'originalLine' in entry ? entry.originalLine : frame.lineNumber
  return `${name} ${source.split('/').slice(-2).join('/')}:${line + 1}`
}

/** One call under the V8 CPU profiler: the five functions with the most time of their own. */
async function profileOf(work: () => Promise<unknown>): Promise<string[]> {
  const { Session } = await import('node:inspector/promises')
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: 50 })
  await session.post('Profiler.start')
  await work()
  const { profile } = await session.post('Profiler.stop')
  session.disconnect()
  const self = new Map<string, number>()
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const deltas = profile.timeDeltas ?? []
  ;(profile.samples ?? []).forEach((id, i) => {
    const node = byId.get(id)
    // The first delta runs from the profiler's start, which includes the profiler starting up.
    if (!node || i === 0) return
    const key = placeOf(node.callFrame)
    self.set(key, (self.get(key) ?? 0) + (deltas[i] ?? 0) / 1000)
  })
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([name, ms]) => `${ms.toFixed(2)} ms  ${name}`)
}

/** `stock N DIR`: the same write through a stock single-file lowdb store. */
async function stock(cases: number, dir: string) {
  const data = generate(cases)
  type Stock = ReturnType<typeof generate>
  const db = new Low<Stock>(new JSONFile<Stock>(join(dir, 'stock.json')), {
    customers: data.customers,
    cases: data.cases,
    promises: data.promises,
    grumbles: data.grumbles,
    signals: data.signals,
  })
  const samples: number[] = []
  let error = ''
  const writes = cases >= 100_000 ? 3 : cases >= 10_000 ? 10 : 40
  for (let i = 0; i < writes; i++) {
    db.data.cases[i] = makeCase(i, monthOf(i), 99)
    const t = performance.now()
    try {
      await db.write()
    } catch (caught) {
      error = (caught as Error).message
      break
    }
    samples.push(performance.now() - t)
  }
  return { stockP95: samples.length > 0 ? p95(samples) : null, stockError: error }
}

async function main(): Promise<void> {
  const [mode, size, dir] = process.argv.slice(2)
  const cases = Number(size)
  const out =
    mode === 'seed'
      ? await seed(cases, dir!)
      : mode === 'measure'
        ? await measure(cases, dir!)
        : await stock(cases, dir!)
  process.stdout.write(`${JSON.stringify(out)}\n`)
}

void main()
