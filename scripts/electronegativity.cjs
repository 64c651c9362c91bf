#!/usr/bin/env node
// Runs Electronegativity over src. It requires `commander` without declaring it and expects the
// old (v6) API, while our CLI uses commander 14: point its require at the v6 copy we install.
const Module = require('node:module')
const { join } = require('node:path')

const toolDir = join(__dirname, '..', 'node_modules', '@doyensec', 'electronegativity')
const resolve = Module._resolveFilename
Module._resolveFilename = function (request, parent, ...rest) {
  if (request === 'commander' && parent?.filename?.startsWith(toolDir)) return require.resolve('commander-v6')
  return resolve.call(this, request, parent, ...rest)
}
require(join(toolDir, 'dist', 'index.js'))
