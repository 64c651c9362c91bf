// `npm run bench:team`: four desk processes on one local PostgreSQL (a throwaway cluster), at
// 10k cases (BENCH_TEAM_SIZES=10000,100000 for the large one), beside the same single-desk
// figures on the data folder. Figures are printed, never asserted.
import { type ChildProcess, fork } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { Client } from 'pg'
import { startCluster } from '../test/helpers/cluster'
import { makeCase, makeCustomer, makePromise } from '../test/helpers/records'

const sizes = (process.env.BENCH_TEAM_SIZES ?? '10000').split(',').map(Number)
const desks = 4
const savesPerDesk = 100
const raceSaves = 1000
const propagationRounds = 20

const p95 = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length * 0.95)] ?? NaN
const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)] ?? NaN
const ms = (v: number) => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v.toFixed(1)) : '—')
const months = 36
const monthOf = (i: number) => new Date(Date.UTC(2026, 10 - (i % months), 1 + (i % 28), 9, i % 60)).toISOString()

function generate(cases: number) {
  const customers = Array.from({ length: Math.max(10, Math.floor(cases / 3)) }, (_, i) => makeCustomer(i))
  const customerOf = (i: number) => `cust-${i % customers.length}`
  // Open cases (every third is closed in the helper): saves and races use open ones.
  const list = Array.from({ length: cases }, (_, i) => makeCase(i, monthOf(i), 1, customerOf(i)))
  const promises = Array.from({ length: cases * 3 }, (_, i) => {
    const c = Math.floor(i / 3)
    return makePromise(i, monthOf(c), `case-${c}`, customerOf(c))
  })
  return { customers, cases: list, promises }
}

const children: ChildProcess[] = []

type Desk = { child: ChildProcess; next: (type: string) => Promise<Record<string, unknown>> }

function startDesk(url: string): Desk {
  const child = fork(join(__dirname, 'teamDesk.ts'), [url], { execArgv: ['--import', 'tsx'], stdio: 'inherit' })
  children.push(child)
  const waiting = new Map<string, ((m: Record<string, unknown>) => void)[]>()
  const early: Record<string, unknown>[] = []
  child.on('message', (raw) => {
    const message = raw as Record<string, unknown>
    if (message.type === 'failed') {
      process.stderr.write(`a desk failed: ${String(message.message)}\n`)
      for (const other of children) other.kill()
      process.exit(1)
    }
    const list = waiting.get(message.type as string)
    const resolve = list?.shift()
    if (resolve) resolve(message)
    else early.push(message)
  })
  return {
    child,
    next: (type) => {
      const found = early.findIndex((m) => m.type === type)
      if (found >= 0) return Promise.resolve(early.splice(found, 1)[0]!)
      return new Promise((resolve) => waiting.set(type, [...(waiting.get(type) ?? []), resolve]))
    },
  }
}

async function teamFigures(adminUrl: string, cases: number) {
  const database = `bench_${cases}`
  const admin = new Client({ connectionString: adminUrl })
  await admin.connect()
  await admin.query(`create role ${database}_anna login createrole`)
  await admin.query(`create database ${database} owner ${database}_anna`)
  await admin.end()
  const url = new URL(adminUrl)
  url.username = `${database}_anna`
  url.pathname = `/${database}`
  const { teamInit } = await import('../src/main/store/postgres/team')
  const { PgStore } = await import('../src/main/store/postgres/pgStore')
  await teamInit(url.toString(), 'Anna Owner')
  const data = generate(cases)
  process.stderr.write('  seeding…\n')
  const seeder = await PgStore.open(url.toString())
  await seeder.replaceAll({
    schemaVersion: 2,
    settings: seeder.settings,
    collections: { customers: data.customers, cases: data.cases, promises: data.promises },
  })
  await seeder.close()

  const open = data.cases.filter((c) => c.status === 'open').map((c) => c.id)
  process.stderr.write('  starting desks…\n')
  const started = Array.from({ length: desks }, () => startDesk(url.toString()))
  const ready = await Promise.all(started.map((d) => d.next('ready')))
  const todayMs = ready.map((r) => r.todayMs as number)

  process.stderr.write('  saves…\n')
  // Save p95: each desk saves its own cases one after another, all four desks at once.
  for (const [i, desk] of started.entries()) {
    desk.child.send({ type: 'saves', ids: open.slice(i * savesPerDesk, (i + 1) * savesPerDesk) })
  }
  const saves = (await Promise.all(started.map((d) => d.next('saved')))).flatMap((m) => m.samples as number[])

  // Change to the other desks: one desk changes a case, the other three time when they hold it.
  process.stderr.write('  change to other desks…\n')
  const seen: number[] = []
  for (let round = 0; round < propagationRounds; round++) {
    const marker = `live-${round}`
    const writer = started[round % desks]!
    const watchers = started.filter((d) => d !== writer)
    for (const w of watchers) w.child.send({ type: 'watch', marker })
    await Promise.all(watchers.map((w) => w.next('watching')))
    writer.child.send({ type: 'change', id: open[desks * savesPerDesk + round]!, marker })
    const answers = await Promise.all(watchers.map((w) => w.next('seen')))
    await writer.next('changed')
    seen.push(...answers.map((a) => a.ms as number))
  }

  // 1,000 concurrent saves on ten cases from four desks: each answers saved or conflict; a
  // lost write would be a saved note missing from the stored case.
  process.stderr.write('  1,000 concurrent saves…\n')
  const first = desks * savesPerDesk + propagationRounds
  const targets = open.slice(first, first + 10)
  for (const [i, desk] of started.entries()) {
    desk.child.send({ type: 'race', ids: targets, count: raceSaves / desks, prefix: `d${i}` })
  }
  const raced = (await Promise.all(started.map((d) => d.next('raced')))).flatMap(
    (m) => m.answers as { token: string; ok: boolean; code?: string }[],
  )
  const check = new Client({ connectionString: adminUrl.replace(/\/postgres$/, `/${database}`) })
  await check.connect()
  const stored = (
    await check.query<{ text: string }>(`select record::text as text from cases where id = any($1)`, [targets])
  ).rows
    .map((r) => r.text)
    .join('\n')
  await check.end()
  const saved = raced.filter((a) => a.ok)
  const lost = saved.filter((a) => !stored.includes(`"${a.token}"`)).length
  const isConflict = (a: { code?: string }) => a.code?.startsWith('conflict/') ?? false
  const conflicts = raced.filter(isConflict).length
  const others = raced.filter((a) => !a.ok && !isConflict(a))
  const otherFailures = others.length
  if (others.length > 0) {
    const byCode = new Map<string, number>()
    for (const a of others) byCode.set(a.code ?? '?', (byCode.get(a.code ?? '?') ?? 0) + 1)
    process.stderr.write(`  other answers: ${[...byCode].map(([c, n]) => `${c} ×${n}`).join(', ')}\n`)
  }

  for (const desk of started) desk.child.send({ type: 'close' })
  await Promise.all(started.map((d) => d.next('closed')))
  return {
    saveP50: median(saves),
    saveP95: p95(saves),
    changeP50: median(seen),
    changeP95: p95(seen),
    saved: saved.length,
    conflicts,
    otherFailures,
    lost,
    todayMs: Math.max(...todayMs),
  }
}

/** The same single-desk figures on the data folder, for comparison. */
async function folderFigures(cases: number) {
  const dir = mkdtempSync(join(tmpdir(), 'makegood-bench-folder-'))
  try {
    const { Store } = await import('../src/main/store/store')
    const { dispatch } = await import('../src/main/services')
    const data = generate(cases)
    const seeder = await Store.open(dir)
    await seeder.replaceAll({
      schemaVersion: 2,
      settings: seeder.settings,
      collections: { customers: data.customers, cases: data.cases, promises: data.promises },
    })
    await seeder.close()
    const t0 = performance.now()
    const store = await Store.open(dir, { isLazy: true })
    const ctx = { store, now: () => new Date('2026-11-20T10:00:00Z') }
    await dispatch(ctx, 'today:get', {})
    const todayMs = performance.now() - t0
    await store.whenFullyLoaded()
    const open = data.cases.filter((c) => c.status === 'open').map((c) => c.id)
    const saves: number[] = []
    for (const id of open.slice(0, savesPerDesk)) {
      const t = performance.now()
      const result = await dispatch(ctx, 'cases:update', { id, summary: `saved ${t.toFixed(3)}` })
      if (!result.ok) throw new Error(JSON.stringify(result.error))
      saves.push(performance.now() - t)
    }
    await store.close()
    return { saveP50: median(saves), saveP95: p95(saves), todayMs }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

async function main() {
  const cluster = await startCluster()
  try {
    const lines = [
      '| cases | engine | save p50 / p95 (ms) | change → other desk p50 / p95 (ms) | 1,000 concurrent saves: saved / conflict answered / other / lost | Today ready after connect (ms) |',
      '|---|---|---|---|---|---|',
    ]
    for (const cases of sizes) {
      process.stderr.write(`${cases} cases: four team desks…\n`)
      const team = await teamFigures(cluster.url, cases)
      process.stderr.write(`${cases} cases: data folder…\n`)
      const folder = await folderFigures(cases)
      lines.push(
        `| ${cases / 1000}k | team database, ${desks} desks | ${ms(team.saveP50)} / ${ms(team.saveP95)} | ${ms(team.changeP50)} / ${ms(team.changeP95)} | ${team.saved} / ${team.conflicts} / ${team.otherFailures} / ${team.lost} | ${ms(team.todayMs)} (slowest desk) |`,
        `| ${cases / 1000}k | data folder, 1 desk | ${ms(folder.saveP50)} / ${ms(folder.saveP95)} | — (one desk) | — | ${ms(folder.todayMs)} |`,
      )
    }
    process.stdout.write(`${lines.join('\n')}\n`)
    process.stdout.write(
      `Targets: save p95 ≤ 20 ms, change to another desk p95 ≤ 1 s, 0 lost writes, Today ≤ 1 s at 10k (printed, not asserted).\n`,
    )
  } finally {
    cluster.stop()
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    process.exit(1)
  },
)
