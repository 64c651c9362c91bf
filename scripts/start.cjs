#!/usr/bin/env node
// `npm start`: the desktop app where it can run, otherwise the same app in the browser.
// The Electron binary is fetched on first start if `npm ci` skipped its download.
const { spawn, spawnSync } = require('node:child_process')
const { existsSync } = require('node:fs')
const { join } = require('node:path')

const root = join(__dirname, '..')
const run = (command, args, options = {}) => spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options })

function electronBinary() {
  try {
    const path = require('electron') // the package exports the binary's path, and throws if it is missing
    return typeof path === 'string' && existsSync(path) ? path : undefined
  } catch {
    return undefined
  }
}

function ensureElectron() {
  if (electronBinary()) return electronBinary()
  const install = join(root, 'node_modules', 'electron', 'install.js')
  if (!existsSync(install)) return undefined
  process.stdout.write('Fetching the Electron binary (first start only)…\n')
  run(process.execPath, [install], { env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '' } })
  return electronBinary()
}

const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY)
const binary = hasDisplay ? ensureElectron() : undefined

const build = run(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'])
if (build.status !== 0) process.exit(build.status ?? 1)

let child
if (binary) {
  child = spawn(binary, ['.'], { cwd: root, stdio: 'inherit' })
} else {
  const why = hasDisplay ? 'the Electron binary is not available' : 'there is no display'
  process.stdout.write(`The desktop app cannot start here (${why}); serving MakeGood in the browser instead.\n`)
  child = spawn(process.execPath, [join(root, 'bin', 'makegood.cjs'), 'serve', ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
  })
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal))
child.on('exit', (code) => process.exit(code ?? 0))
