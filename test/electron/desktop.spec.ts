import { existsSync, readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron as electron, expect, test } from '@playwright/test'

const root = join(__dirname, '..', '..')

/** The Electron binary's path, or why there is none (as on machines that cannot download it). */
function electronBinary(): { path?: string; why?: string } {
  // The electron package records where its download put the binary in path.txt.
  const electronDir = join(root, 'node_modules', 'electron')
  const pathFile = join(electronDir, 'path.txt')
  if (!existsSync(pathFile)) return { why: 'the Electron binary was never downloaded (no network at install time)' }
  const path = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(path) ? { path } : { why: `the Electron binary is missing (${path})` }
}

const binary = electronBinary()
const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY)

test('the desktop window opens sandboxed on a fresh data folder and shows Today', async () => {
  const reason = binary.why ?? (hasDisplay ? undefined : 'there is no display (set DISPLAY or run under xvfb-run)')
  if (reason) process.stdout.write(`Electron test skipped: ${reason}\n`)
  test.skip(reason !== undefined, reason)
  const dataDir = await mkdtemp(join(tmpdir(), 'makegood-electron-'))
  const app = await electron.launch({
    executablePath: binary.path,
    args: [root],
    env: { ...process.env, MAKEGOOD_DATA: dataDir },
  })
  try {
    const window = await app.firstWindow()
    await expect(window.locator('[data-app-state="loaded"]')).toBeVisible()
    await expect(window.getByRole('link', { name: 'Today', exact: true })).toBeVisible()
    expect(await window.evaluate(() => typeof (window as unknown as { require?: unknown }).require)).toBe('undefined')
    expect(await window.evaluate(() => Object.keys((window as unknown as { makegood: object }).makegood))).toContain(
      'cases:list',
    )
    // The store and services run in their own utilityProcess, not in the process serving the window.
    const processes = await app.evaluate(({ app: electronApp }) =>
      electronApp.getAppMetrics().map((metric) => ({ type: metric.type, name: metric.serviceName ?? metric.name })),
    )
    expect(processes).toContainEqual({ type: 'Utility', name: 'MakeGood data' })
  } finally {
    await app.close()
    await rm(dataDir, { recursive: true, force: true })
  }
})
