#!/usr/bin/env node
// Runs Electronegativity over src. It requires `commander` without declaring it and expects the
// old (v6) API, while our CLI uses commander 14: point its require at the v6 copy we install.
const Module = require('node:module')
const { join } = require('node:path')

// Its real path: Node names modules by real path, so a symlinked node_modules would not match.
const toolDir = require('node:fs').realpathSync(join(__dirname, '..', 'node_modules', '@doyensec', 'electronegativity'))
const resolve = Module._resolveFilename
Module._resolveFilename = function (request, parent, ...rest) {
  if (request === 'commander' && parent?.filename?.startsWith(toolDir)) return require.resolve('commander-v6')
  return resolve.call(this, request, parent, ...rest)
}
// It writes the CSV header and then the rows with two concurrent fs.writeFile calls, so the header
// sometimes lands over the first row (a flaky "unexplained finding"): make the writes happen in order.
const fs = require('node:fs')
fs.writeFile = (file, data, options, callback) => {
  const done = typeof options === 'function' ? options : callback
  try {
    fs.writeFileSync(file, data, typeof options === 'function' ? undefined : options)
    process.nextTick(() => done?.(null))
  } catch (error) {
    process.nextTick(() => done?.(error))
  }
}
require(join(toolDir, 'dist', 'index.js'))
