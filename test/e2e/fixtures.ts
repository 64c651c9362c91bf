import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test as base, expect, type Page } from '@playwright/test'
import { cliEnv } from '../helpers/cli-env'
import { e2eTimeZone } from './clock'

const root = join(__dirname, '..', '..')

/** Runs a `makegood` command the way a person would (set-up steps such as `team init`); its output. */
export function makegood(args: string[]): string {
  const run = spawnSync(process.execPath, [join(root, 'bin', 'makegood.cjs'), ...args], {
    cwd: root,
    env: cliEnv(),
    encoding: 'utf8',
  })
  if (run.status !== 0) throw new Error(`makegood ${args.join(' ')} failed: ${run.stderr}`)
  return run.stdout
}

export type Server = { url: string; dataDir: string; stop: () => Promise<void> }

/**
 * Starts `makegood serve` on a data folder and waits for the URL it prints: the same command a
 * user runs, so the test sees exactly what they would. It runs in the pinned zone and language
 * (an empty calendar zone in the settings means the server's own).
 */
export async function startServer(dataDir: string, extraArgs: string[] = [], timeZone = e2eTimeZone): Promise<Server> {
  const child: ChildProcess = spawn(
    process.execPath,
    [join(root, 'bin', 'makegood.cjs'), '--data', dataDir, ...extraArgs, 'serve'],
    { cwd: root, env: cliEnv('en_US.UTF-8', { TZ: timeZone }), stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let output = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${output}`)), 30_000)
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(output)
      if (match?.[1]) {
        clearTimeout(timer)
        resolve(match[1])
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}:\n${output}`)))
  })
  return {
    url,
    dataDir,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        if (child.exitCode !== null) return resolve()
        // A server that does not stop on SIGTERM within 10 s is a bug the test should see, not hang on.
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
        child.once('exit', (code, signal) => {
          clearTimeout(timer)
          if (signal === 'SIGKILL') reject(new Error(`makegood serve ignored SIGTERM:\n${output}`))
          else resolve()
        })
        child.kill('SIGTERM')
      }),
  }
}

export const test = base.extend<{ dataDir: string }>({
  // Each test gets its own fresh data folder: tests never share state.
  // eslint-disable-next-line no-empty-pattern -- Playwright fixtures must destructure their first argument
  dataDir: async ({}, use) => {
    const dir = await mkdtemp(join(tmpdir(), 'makegood-e2e-'))
    await use(dir)
    await rm(dir, { recursive: true, force: true })
  },
})

export { expect }

/** Waits for the app to say it has loaded (data-app-state), never for a fixed time. */
export async function openApp(page: Page, url: string): Promise<void> {
  await page.goto(url)
  await expect(page.locator('[data-app-state="loaded"]')).toBeVisible()
}

export const screenshotDir = join(root, 'test-results', 'screens')
