#!/usr/bin/env node
// `npm test`: the whole suite. Builds the UI, runs vitest (unit + integration), Playwright
// (browser end-to-end, and Electron where its binary exists) and the Electron security scan,
// then prints one line with the totals: `N passed, N failed`.
const { spawnSync } = require('node:child_process')
const { existsSync, readFileSync, rmSync } = require('node:fs')
const { join } = require('node:path')

const root = join(__dirname, '..')
const results = join(root, 'test-results')
const bin = (name) => join(root, 'node_modules', '.bin', name)
const run = (command, args) => spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env }).status

rmSync(join(results, 'vitest.json'), { force: true })
rmSync(join(results, 'playwright.json'), { force: true })
let passed = 0
let failed = 0

const readJson = (file) => (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined)

if (run(bin('electron-vite'), ['build']) !== 0) {
  process.stdout.write('The build failed.\n')
  failed++
} else {
  const vitestStatus = run(bin('vitest'), ['run'])
  const vitest = readJson(join(results, 'vitest.json'))
  if (vitest) {
    passed += vitest.numPassedTests
    failed += vitest.numFailedTests + (vitest.numFailedTestSuites > 0 && vitest.numFailedTests === 0 ? 1 : 0)
  } else if (vitestStatus !== 0) failed++

  const playwrightStatus = run(bin('playwright'), ['test'])
  const playwright = readJson(join(results, 'playwright.json'))
  if (playwright) {
    passed += playwright.stats.expected + playwright.stats.flaky
    failed += playwright.stats.unexpected
    if (playwright.errors?.length > 0 && playwright.stats.unexpected === 0) failed++
  } else if (playwrightStatus !== 0) failed++
}

const securityStatus = run(process.execPath, [join(root, 'scripts', 'security-check.cjs')])
if (securityStatus === 0) passed++
else failed++

process.stdout.write(`\n${passed} passed, ${failed} failed\n`)
process.exit(failed > 0 ? 1 : 0)
