#!/usr/bin/env node
// `npm run test:clock`: the vitest suite under Debian's `faketime` at hostile instants, to prove
// that no test depends on the hour, the weekday or the machine's time zone (see docs/testing.md).
//
//   npm run test:clock                      all four instants, one after the other
//   npm run test:clock -- budapest-dst      only the named instant(s)
//   npm run test:clock -- --rotate          one instant, chosen by the day of the year (CI)
//   npm run test:clock -- nye-la -- test/unit   extra arguments after `--` go to vitest
//
// Prints `N passed, N failed, N skipped` for each instant; exits 1 when any failed.
const { spawnSync } = require('node:child_process')
const { existsSync, rmSync } = require('node:fs')
const { join } = require('node:path')
const { readJson, summaryText, vitestTally } = require('./test-summary.cjs')

const root = join(__dirname, '..')

/** The instants, in UTC, with the zone the machine pretends to be in. */
const instants = [
  { name: 'saturday-night', at: '2026-11-28T23:45:00Z', zone: 'UTC', what: 'a Saturday, 23:45' },
  {
    name: 'budapest-dst',
    at: '2027-03-28T01:30:00Z',
    zone: 'Europe/Budapest',
    what: 'the night the clocks go forward, 02:30 CET (the skipped hour: the clock reads 03:30 CEST)',
  },
  {
    name: 'nye-la',
    at: '2027-01-01T07:59:30Z',
    zone: 'America/Los_Angeles',
    what: "New Year's Eve, 23:59:30 (the year ends 30 seconds in)",
  },
  { name: 'shanghai-late', at: '2026-11-25T15:10:00Z', zone: 'Asia/Shanghai', what: 'a Wednesday, 23:10' },
]

const argv = process.argv.slice(2)
const split = argv.indexOf('--')
const own = split === -1 ? argv : argv.slice(0, split)
const vitestArgs = split === -1 ? [] : argv.slice(split + 1)

function chosen() {
  if (own.includes('--rotate')) {
    // Every CI run takes one instant; over four days every instant has had its turn.
    const now = new Date()
    const dayOfYear = Math.floor((now.getTime() - Date.UTC(now.getUTCFullYear(), 0, 1)) / 86_400_000)
    return [instants[dayOfYear % instants.length]]
  }
  const names = own.filter((a) => !a.startsWith('--'))
  if (names.length === 0) return instants
  return names.map((name) => {
    const found = instants.find((i) => i.name === name)
    if (!found) {
      process.stderr.write(`Unknown instant "${name}"; known: ${instants.map((i) => i.name).join(', ')}\n`)
      process.exit(2)
    }
    return found
  })
}

if (spawnSync('faketime', ['--version'], { stdio: 'ignore' }).error) {
  process.stderr.write('test:clock needs faketime (Debian: apt-get install faketime)\n')
  process.exit(2)
}

// Some integration tests serve the built UI: build it once if it is not there yet.
if (!existsSync(join(root, 'out', 'renderer', 'index.html'))) {
  const built = spawnSync(join(root, 'node_modules', '.bin', 'electron-vite'), ['build'], {
    cwd: root,
    stdio: 'inherit',
  })
  if (built.status !== 0) process.exit(1)
}

const lines = []
let failed = 0
for (const instant of chosen()) {
  const wall = new Intl.DateTimeFormat('en-GB', {
    timeZone: instant.zone,
    dateStyle: 'full',
    timeStyle: 'long',
  }).format(new Date(instant.at))
  process.stdout.write(`\n== test:clock ${instant.name}: ${instant.what} — ${wall} (TZ=${instant.zone})\n`)
  const report = join(root, 'test-results', `vitest-clock-${instant.name}.json`)
  rmSync(report, { force: true })
  const env = {
    ...process.env,
    TZ: instant.zone,
    // The wall clock is faked, the monotonic one stays real: timers, timeouts and performance.now()
    // keep working, and a test measuring a duration is not fooled. Children inherit both settings
    // (and the LD_PRELOAD faketime sets), so spawned CLIs see the same instant.
    FAKETIME_DONT_FAKE_MONOTONIC: '1',
    MAKEGOOD_VITEST_JSON: report,
  }
  // `faketime 'date'` starts the clock at that instant and lets it run.
  const status = spawnSync(
    'faketime',
    [
      instant.at.replace('T', ' '),
      process.execPath,
      join(root, 'node_modules', 'vitest', 'vitest.mjs'),
      'run',
      ...vitestArgs,
    ],
    { cwd: root, stdio: 'inherit', env },
  ).status
  const tally = vitestTally(readJson(report), status ?? 1, `vitest at ${instant.name}`)
  const text = summaryText(tally).trim()
  process.stdout.write(`\n[${instant.name}] ${text.split('\n').join(`\n[${instant.name}] `)}\n`)
  lines.push(`${instant.name} (${instant.at}, TZ=${instant.zone}): ${text.split('\n').at(-1)}`)
  if (tally.failed > 0) failed++
}

process.stdout.write(`\ntest:clock\n${lines.map((l) => `  ${l}`).join('\n')}\n`)
process.exit(failed > 0 ? 1 : 0)
