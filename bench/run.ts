// `npm run bench`: 1k / 10k / 100k cases (+3× promises, +10× grumble/churn signals). Each step
// runs in its own process so start-up and memory are measured as a user's start-up would be.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bundleForBench } from './bundle'

const sizes = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number)

// Each size runs bundled, as the app ships (see bundleForBench).
const script = bundleForBench(join(__dirname, 'size.ts'))

function step(mode: string, cases: number, dir: string): Record<string, number | string | null> {
  const heap = cases >= 100_000 ? ['--max-old-space-size=8192'] : []
  const out = execFileSync(process.execPath, [...heap, '--expose-gc', script, mode, String(cases), dir], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  })
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as Record<string, number | string | null>
}

const ms = (v: unknown) => (typeof v === 'number' ? (v >= 100 ? v.toFixed(0) : v.toFixed(2)) : '—')
const rows: string[][] = []
let last: { cases: number; m: Record<string, unknown> } | undefined
for (const cases of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'makegood-bench-'))
  try {
    process.stderr.write(`${cases} cases: seeding…\n`)
    const seeded = step('seed', cases, join(dir, 'ours'))
    process.stderr.write(`${cases} cases: measuring…\n`)
    const m = step('measure', cases, join(dir, 'ours'))
    process.stderr.write(`${cases} cases: stock lowdb…\n`)
    const s = step('stock', cases, dir)
    const ours = m.writeP95 as number
    const floor = m.floorP95 as number
    const stockP95 = s.stockP95 as number | null
    rows.push([
      `${cases / 1000}k / ${(seeded.promises as number) / 1000}k / ${(seeded.signals as number) / 1000}k`,
      `${ms(m.writeP50)} / ${ms(ours)}`,
      ms(m.concurrentP95),
      `${ms(floor)}`,
      `${(ours / floor).toFixed(1)}×`,
      stockP95 === null ? `fails: ${String(s.stockError).slice(0, 30)}` : ms(stockP95),
      stockP95 === null ? '∞' : `${(stockP95 / ours).toFixed(0)}×`,
      ms(m.todayMs),
      ms(m.fullMs),
      `${ms(m.listMs)} / ${ms(m.queryMs)}`,
      `${(m.rssMb as number).toFixed(0)} / ${(m.rssSettledMb as number).toFixed(0)} / ${(m.rssAfterSweepMb as number).toFixed(0)} / ${(m.rssWarmMb as number).toFixed(0)} / ${(m.rssIdleMb as number).toFixed(0)}`,
      `${(seeded.diskMb as number).toFixed(0)}`,
      ms(m.closeMs),
      `${ms(m.serviceWriteMs)} / ${ms(m.serviceWriteP95)} (first: ${m.firstSavesMs})`,
      ms(m.startSweepMs),
    ])
    last = { cases, m }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const header = [
  'cases/promises/signals',
  'write p50/p95 ms',
  '8-concurrent p95 ms/write',
  '1KB append+fdatasync p95 ms',
  'ours÷floor',
  'stock lowdb p95 ms',
  'stock÷ours',
  'Today ready ms',
  'full history ms',
  'filtered list / text search ms',
  'RSS MB at once / 1 s after load / after writes + full sweep / after search warm-up / left alone after the saves',
  'disk MB',
  'close (final checkpoint) ms',
  'save through services + sweep p50/p95 ms (first grumble / case after start-up)',
  'start-up full sweep ms',
]
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`
process.stdout.write(`${line(header)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n`)
for (const row of rows) process.stdout.write(`${line(row)}\n`)

// The table, for the largest size run: figures printed, never asserted.
if (last) {
  const m = last.m as Record<string, number>
  const figures: [string, string, string, boolean][] = [
    [
      'store write p95',
      `${ms(m.writeP95)} ms (${(m.writeP95! / m.floorP95!).toFixed(1)}× the fsync floor)`,
      '≤ 2× the fsync floor',
      m.writeP95! <= 2 * m.floorP95!,
    ],
    [
      'save through the services + pattern sweep p95 (after the first of each kind)',
      `${ms(m.serviceWriteP95)} ms (first grumble, first case: ${m.firstSavesMs} ms)`,
      '≤ 10 ms',
      m.serviceWriteP95! <= 10,
    ],
    ['Today ready', `${ms(m.todayMs)} ms`, '≤ 500 ms', m.todayMs! <= 500],
    ['full history loaded', `${ms(m.fullMs)} ms`, '≤ 3000 ms', m.fullMs! <= 3000],
    [
      'resident memory (1 s after loading; after the writes and the full sweep; after the search warm-up, as the desktop app)',
      `${m.rssSettledMb!.toFixed(0)} MB; ${m.rssAfterSweepMb!.toFixed(0)} MB; ${m.rssWarmMb!.toFixed(0)} MB`,
      '≤ 700 MB',
      Math.max(m.rssSettledMb!, m.rssAfterSweepMb!, m.rssWarmMb!) <= 700,
    ],
    [
      "resident memory left alone after the saves (no collection forced: V8's memory reducer, as in the app)",
      `${m.rssIdleMb!.toFixed(0)} MB (read after ${(m.idleWaitedMs! / 1000).toFixed(0)} s${m.isIdleReduced ? '' : '; the reducer did not run'})`,
      '≤ 700 MB',
      m.rssIdleMb! <= 700,
    ],
    [
      'filtered list / text search',
      `${ms(m.listMs)} / ${ms(m.queryMs)} ms`,
      '≤ 20 / ≤ 30 ms',
      m.listMs! <= 20 && m.queryMs! <= 30,
    ],
  ]
  const table = [
    ['figure', 'now', 'target', 'met'],
    ...figures.map(([f, now, target, met]) => [f, now, target, met ? 'yes' : 'no']),
  ]
  const w = [0, 1, 2, 3].map((i) => Math.max(...table.map((r) => (r[i] ?? '').length)))
  const row = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(w[i] ?? 0)).join(' | ')} |`
  process.stdout.write(
    `\nAt ${last.cases / 1000}k cases:\n${row(table[0]!)}\n|${w.map((n) => '-'.repeat(n + 2)).join('|')}|\n`,
  )
  for (const r of table.slice(1)) process.stdout.write(`${row(r)}\n`)
  process.stdout.write(
    `\nRSS read at once after gc(): ${m.rssMb!.toFixed(0)} MB; heap used ${m.heapMb!.toFixed(0)} MB; months whose grumbles / churn signals / promises stayed on disk: ${m.monthsOnDisk}\n`,
  )
  process.stdout.write(`\nCPU profile of one save at ${last.cases / 1000}k (self time, top five):\n`)
  for (const line of (last.m.profile as string[] | undefined) ?? []) process.stdout.write(`  ${line}\n`)
}
