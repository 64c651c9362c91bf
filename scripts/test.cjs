#!/usr/bin/env node
// `npm test`: the whole suite. Builds the UI, runs vitest (unit + integration), Playwright
// (browser end-to-end, and Electron where its binary exists: under xvfb-run when there is no
// display) and the Electron security scan, then prints the skipped tests by name and one line with
// the totals: `N passed, N failed, N skipped`. A runner that exits non-zero counts as a failure
// even when its report shows none, with the reason printed above the line.
const { spawnSync } = require('node:child_process')
const { existsSync, readFileSync, rmSync } = require('node:fs')
const { join } = require('node:path')
const { add, playwrightTally, readJson, summaryText, vitestTally } = require('./test-summary.cjs')

const root = join(__dirname, '..')
const results = join(root, 'test-results')
const bin = (name) => join(root, 'node_modules', '.bin', name)
const run = (command, args) => spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env }).status

rmSync(join(results, 'vitest.json'), { force: true })
rmSync(join(results, 'playwright.json'), { force: true })
const total = { passed: 0, failed: 0, skipped: [], notes: [] }

/** Whether the Electron binary was downloaded (it cannot be on machines without network). */
function hasElectronBinary() {
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt')
  if (!existsSync(pathFile)) return false
  return existsSync(join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim()))
}

const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY)
const hasXvfb = spawnSync('xvfb-run', ['--help'], { stdio: 'ignore' }).error === undefined

if (run(bin('electron-vite'), ['build']) !== 0) {
  add(total, { passed: 0, failed: 1, skipped: [], notes: ['the build failed'] })
} else {
  const vitestStatus = run(bin('vitest'), ['run'])
  add(total, vitestTally(readJson(join(results, 'vitest.json')), vitestStatus))

  // The Electron window test needs a display: give it a virtual one rather than skip it.
  const playwrightStatus =
    hasElectronBinary() && !hasDisplay && hasXvfb
      ? run('xvfb-run', ['-a', bin('playwright'), 'test'])
      : run(bin('playwright'), ['test'])
  add(total, playwrightTally(readJson(join(results, 'playwright.json')), playwrightStatus))
}

const securityStatus = run(process.execPath, [join(root, 'scripts', 'security-check.cjs')])
if (securityStatus === 0) total.passed++
else add(total, { passed: 0, failed: 1, skipped: [], notes: [`the security check exited with ${securityStatus}`] })

process.stdout.write(summaryText(total))
process.exit(total.failed > 0 ? 1 : 0)
