import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

type Tally = { passed: number; failed: number; skipped: string[]; notes: string[] }
type Summary = {
  vitestTally: (report: unknown, status: number | null, label?: string) => Tally
  playwrightTally: (report: unknown, status: number | null, label?: string) => Tally
  summaryText: (tally: Tally) => string
}

const root = join(__dirname, '..', '..')
// The script `npm test` and `npm run test:clock` use, loaded as they load it.
const summary = createRequire(__filename)(join(root, 'scripts', 'test-summary.cjs')) as Summary

const vitestReport = (tests: { status: string; fullName: string }[], fileStatus = 'passed') => ({
  numPassedTests: tests.filter((t) => t.status === 'passed').length,
  numFailedTests: tests.filter((t) => t.status === 'failed').length,
  testResults: [{ name: join(root, 'test', 'unit', 'x.test.ts'), status: fileStatus, assertionResults: tests }],
})

describe('the summary line of npm test', () => {
  it('counts a non-zero exit as a failure even when the report shows none, and says why', () => {
    const tally = summary.vitestTally(vitestReport([{ status: 'passed', fullName: 'a' }]), 1)
    expect(tally).toMatchObject({ passed: 1, failed: 1 })
    expect(tally.notes).toEqual(['vitest exited with 1 although no test failed (an unhandled error or rejection)'])
    const text = summary.summaryText(tally)
    expect(text).toContain('Counted as failed: vitest exited with 1')
    expect(text.trim().split('\n').at(-1)).toBe('1 passed, 1 failed, 0 skipped')
  })

  it('does not count a failure twice when failed tests explain the exit', () => {
    const tally = summary.vitestTally(vitestReport([{ status: 'failed', fullName: 'a' }], 'failed'), 1)
    expect(tally).toMatchObject({ passed: 0, failed: 1, notes: [] })
  })

  it('counts a file that failed to load, and a runner that wrote no report', () => {
    const broken = summary.vitestTally(vitestReport([], 'failed'), 1)
    expect(broken.failed).toBe(1)
    expect(broken.notes[0]).toContain('test/unit/x.test.ts failed outside its tests')
    expect(summary.vitestTally(undefined, 2)).toMatchObject({
      failed: 1,
      notes: ['vitest exited with 2 and wrote no report'],
    })
    expect(summary.vitestTally(undefined, 0)).toMatchObject({ passed: 0, failed: 0 })
  })

  it('says when a skipped test passed in the other vitest project (a test for one engine only)', () => {
    const file = join(root, 'test', 'integration', 'y.test.ts')
    const tally = summary.vitestTally(
      {
        numPassedTests: 3,
        numFailedTests: 0,
        testResults: [
          {
            name: file,
            status: 'passed',
            assertionResults: [
              { status: 'passed', fullName: 'checks the folder' },
              { status: 'passed', fullName: 'serves' },
            ],
          },
          {
            name: file,
            status: 'passed',
            assertionResults: [
              { status: 'skipped', fullName: 'checks the folder' },
              { status: 'passed', fullName: 'serves' },
              { status: 'skipped', fullName: 'never runs' },
            ],
          },
        ],
      },
      0,
    )
    expect(tally.skipped).toEqual([
      'test/integration/y.test.ts › checks the folder (one engine only: passed on the other)',
      'test/integration/y.test.ts › never runs',
    ])
  })

  it('names every skipped test above the line, with the reason Playwright recorded', () => {
    const vitest = summary.vitestTally(
      vitestReport([
        { status: 'passed', fullName: 'runs' },
        { status: 'skipped', fullName: 'group is skipped' },
        { status: 'todo', fullName: 'group is todo' },
      ]),
      0,
    )
    const playwright = summary.playwrightTally(
      {
        config: { rootDir: join(root, 'test') },
        stats: { expected: 2, flaky: 0, unexpected: 0, skipped: 1 },
        errors: [],
        suites: [
          {
            file: 'electron/desktop.spec.ts',
            specs: [
              {
                title: 'the desktop window opens',
                file: 'electron/desktop.spec.ts',
                tests: [{ status: 'skipped', annotations: [{ type: 'skip', description: 'no Electron binary' }] }],
              },
            ],
          },
        ],
      },
      0,
    )
    const all = {
      passed: vitest.passed + playwright.passed,
      failed: vitest.failed + playwright.failed,
      skipped: [...vitest.skipped, ...playwright.skipped],
      notes: [],
    }
    const lines = summary.summaryText(all).trim().split('\n')
    expect(lines).toEqual([
      'Skipped (3):',
      '  - test/unit/x.test.ts › group is skipped',
      '  - test/unit/x.test.ts › group is todo',
      '  - test/electron/desktop.spec.ts › the desktop window opens — no Electron binary',
      '3 passed, 0 failed, 3 skipped',
    ])
  })

  it('counts a Playwright error outside the tests, and a non-zero exit with nothing failed', () => {
    const report = {
      stats: { expected: 1, flaky: 0, unexpected: 0 },
      errors: [{ message: 'global setup failed\nat …' }],
    }
    expect(summary.playwrightTally(report, 1)).toMatchObject({
      failed: 1,
      notes: ['playwright reported an error outside the tests: global setup failed'],
    })
    expect(summary.playwrightTally({ ...report, errors: [] }, 1)).toMatchObject({ failed: 1 })
  })
})
