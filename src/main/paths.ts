import { existsSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'

/** The project root: found by walking up to package.json, so it works from src (tsx) and out (built). */
export function appRoot(): string {
  let dir = __dirname
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) return process.cwd()
    dir = parent
  }
  return dir
}

export function resourcesDir(): string {
  return join(appRoot(), 'resources')
}

export function rendererDir(): string {
  return join(appRoot(), 'out', 'renderer')
}

/**
 * The same folder Electron's `app.getPath('userData')` gives for productName "MakeGood", so the
 * CLI, browser mode and the desktop app share one data set unless told otherwise.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.MAKEGOOD_DATA) return resolve(env.MAKEGOOD_DATA)
  const home = homedir()
  if (process.platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'MakeGood')
  if (process.platform === 'darwin') return join(home, 'Library', 'Application Support', 'MakeGood')
  return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'MakeGood')
}
