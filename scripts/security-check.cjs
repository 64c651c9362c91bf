#!/usr/bin/env node
// Runs Electronegativity over src and fails on any finding above LOW that SECURITY.md does not
// explain (each explained check is named there in backticks, e.g. `PRELOAD_JS_CHECK`).
const { spawnSync } = require('node:child_process')
const { mkdirSync, readFileSync, rmSync } = require('node:fs')
const { join } = require('node:path')
const Papa = require('papaparse')

const root = join(__dirname, '..')
const out = join(root, 'test-results', 'electronegativity.csv')
mkdirSync(join(root, 'test-results'), { recursive: true })
const version = require('electron/package.json').version
const explained = readFileSync(join(root, 'SECURITY.md'), 'utf8')

/**
 * One scan. Electronegativity writes its CSV rows asynchronously into an existing file without
 * truncating it, and now and then two writes overlap and garble a row ("iled to parse CSP…"):
 * such a scan is run again rather than read as a finding.
 */
function scanOnce() {
  rmSync(out, { force: true })
  // AvailableSecurityFixesGlobalCheck downloads Electron's release list: there is no network here,
  // and `-e` already tells the other checks which version we ship.
  const scan = spawnSync(
    process.execPath,
    [join(__dirname, 'electronegativity.cjs'), '-i', 'src', '-e', version, '-x', 'AvailableSecurityFixesGlobalCheck', '-o', out, '-r'],
    { cwd: root, encoding: 'utf8' },
  )
  if (scan.status !== 0) {
    process.stderr.write(`Electronegativity did not run:\n${scan.stdout}${scan.stderr}\n`)
    process.exit(1)
  }
  return Papa.parse(readFileSync(out, 'utf8'), {
    header: true,
    skipEmptyLines: true,
    transformHeader: (h) => h.trim(),
    transform: (v) => v.trim(),
  }).data
}

const isWellFormed = (row) => /^[A-Z_]+$/.test(row.issue ?? '') && typeof row.severity === 'string'
let rows = scanOnce()
for (let attempt = 1; attempt < 4 && !rows.every(isWellFormed); attempt++) rows = scanOnce()
const unexplained = rows
  .filter((row) => !['LOW', 'INFORMATIONAL'].includes(row.severity))
  .filter((row) => !explained.includes(`\`${row.issue}\``))
process.stdout.write(`Electronegativity: ${rows.length} findings, ${unexplained.length} above LOW unexplained\n`)
for (const f of unexplained) process.stdout.write(`  ${f.issue} ${f.severity} ${f.filename}:${f.location} ${f.description}\n`)
process.exit(unexplained.length > 0 ? 1 : 0)
