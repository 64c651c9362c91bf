// Totals from the runners' JSON reports, for the one summary line of `npm test` and
// `npm run test:clock`. The line must tell the truth: a runner that exits non-zero has failed even
// when its report counts no failed test (an unhandled error after the tests, a crash of a
// worker), and skipped tests are counted and named, never silently dropped.
const { existsSync, readFileSync } = require('node:fs')
const { join, relative } = require('node:path')

const root = join(__dirname, '..')

function readJson(file) {
  if (!existsSync(file)) return undefined
  try {
    return JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return undefined
  }
}

/** An empty tally; a runner that wrote no report but exited non-zero has failed once. */
function emptyTally(status, label) {
  const tally = { passed: 0, failed: 0, skipped: [], notes: [] }
  if (status !== 0) countFailure(tally, `${label} exited with ${status} and wrote no report`)
  return tally
}

function countFailure(tally, note) {
  tally.failed++
  tally.notes.push(note)
}

/** A non-zero exit is a failure even when the report counts none (an unhandled error after the tests). */
function withExitStatus(tally, status, label) {
  if (status !== 0 && tally.failed === 0) {
    countFailure(tally, `${label} exited with ${status} although no test failed (an unhandled error or rejection)`)
  }
  return tally
}

/** `{ passed, failed, skipped: string[], notes: string[] }` for one run of vitest. */
function vitestTally(report, status, label = 'vitest') {
  if (!report) return emptyTally(status, label)
  const tally = { passed: 0, failed: 0, skipped: [], notes: [] }
  tally.passed = report.numPassedTests
  tally.failed = report.numFailedTests
  // A file run by two vitest projects (data folder, team database) is reported twice: a test one
  // engine skips (it checks the folder's files) is said to have passed on the other.
  const passedElsewhere = new Set()
  for (const file of report.testResults ?? []) {
    for (const test of file.assertionResults ?? []) {
      if (test.status === 'passed') passedElsewhere.add(`${file.name}\0${test.fullName}`)
    }
  }
  for (const file of report.testResults ?? []) {
    for (const test of file.assertionResults ?? []) {
      if (test.status === 'skipped' || test.status === 'pending' || test.status === 'todo') {
        const other = passedElsewhere.has(`${file.name}\0${test.fullName}`)
          ? ' (one engine only: passed on the other)'
          : ''
        tally.skipped.push(`${relative(root, file.name)} › ${test.fullName}${other}`)
      }
    }
    // A file that failed to load has no test results of its own.
    if (file.status === 'failed' && (file.assertionResults ?? []).every((t) => t.status !== 'failed')) {
      countFailure(tally, `${relative(root, file.name)} failed outside its tests: ${firstLine(file.message)}`)
    }
  }
  return withExitStatus(tally, status, label)
}

/** The same for one run of Playwright. */
function playwrightTally(report, status, label = 'playwright') {
  if (!report) return emptyTally(status, label)
  const tally = { passed: 0, failed: 0, skipped: [], notes: [] }
  tally.passed = report.stats.expected + report.stats.flaky
  tally.failed = report.stats.unexpected
  // Spec files are named relative to the config's testDir; name them from the project root.
  const fileOf = (file) => (report.config?.rootDir && file ? relative(root, join(report.config.rootDir, file)) : file)
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== 'skipped') continue
        const annotations = [...(test.annotations ?? []), ...(test.results ?? []).flatMap((r) => r.annotations ?? [])]
        const why = annotations.find((a) => a.type === 'skip' || a.type === 'fixme')?.description
        tally.skipped.push(`${fileOf(spec.file ?? suite.file)} › ${spec.title}${why ? ` — ${why}` : ''}`)
      }
    }
    for (const child of suite.suites ?? []) walk(child)
  }
  for (const suite of report.suites ?? []) walk(suite)
  if ((report.errors ?? []).length > 0 && tally.failed === 0) {
    countFailure(tally, `${label} reported an error outside the tests: ${firstLine(report.errors[0]?.message)}`)
  }
  return withExitStatus(tally, status, label)
}

function firstLine(text) {
  return String(text ?? '').split('\n')[0]
}

/** Adds `more` into `total`. */
function add(total, more) {
  total.passed += more.passed
  total.failed += more.failed
  total.skipped.push(...more.skipped)
  total.notes.push(...more.notes)
  return total
}

/** The lines above the summary (why failures were counted, what was skipped), then the summary. */
function summaryText(tally) {
  const lines = ['']
  for (const note of tally.notes) lines.push(`Counted as failed: ${note}`)
  if (tally.skipped.length > 0) {
    lines.push(`Skipped (${tally.skipped.length}):`)
    for (const name of tally.skipped) lines.push(`  - ${name}`)
  }
  lines.push(`${tally.passed} passed, ${tally.failed} failed, ${tally.skipped.length} skipped`)
  return `${lines.join('\n')}\n`
}

module.exports = { add, playwrightTally, readJson, summaryText, vitestTally }
