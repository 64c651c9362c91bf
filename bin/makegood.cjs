#!/usr/bin/env node
// The `makegood` command: runs the TypeScript CLI through tsx, so a fresh clone needs no build.
const { spawn } = require('node:child_process')
const { join } = require('node:path')
const { pathToFileURL } = require('node:url')

const child = spawn(
  process.execPath,
  // tsx is resolved from MakeGood's own folder, so `makegood` works from any directory.
  [
    '--import',
    pathToFileURL(require.resolve('tsx')).href,
    join(__dirname, '..', 'src', 'main', 'cli', 'main.ts'),
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit', cwd: process.cwd() },
)
// Stopping `makegood serve` stops the server itself, which then releases its lock.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)))
