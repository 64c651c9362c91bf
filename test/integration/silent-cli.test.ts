import { execFile } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { type SilentCase } from '../../src/shared/api'
import { type Case } from '../../src/shared/schemas'
import { dispatch } from '../../src/main/services'
import { Store } from '../../src/main/store/store'
import { cliEnv, cliTestTimeout } from '../helpers/cli-env'
import { tempDir } from '../helpers/temp'

const run = promisify(execFile)
const bin = join(__dirname, '..', '..', 'bin', 'makegood.cjs')

/** `makegood --data DIR --now NOW …`, spawned as a user would, in the given language. */
function makegood(dir: string, now: string, args: string[], locale = 'en_US.UTF-8') {
  return run(process.execPath, [bin, '--data', dir, '--now', now, ...args], { cwd: tmpdir(), env: cliEnv(locale) })
}

/** Two cases received Monday 23 November 2026 in a Budapest business; one gets news on Tuesday. */
async function seed(dir: string): Promise<{ told: Case; untold: Case }> {
  const store = await Store.open(dir)
  let now = new Date('2026-11-23T09:00:00.000Z')
  const ctx = { store, now: () => now }
  const ok = async <T>(method: Parameters<typeof dispatch>[1], input: unknown) => {
    const result = await dispatch(ctx, method, input)
    if (!result.ok) throw new Error(result.error.message)
    return result.value as T
  }
  const promises = store.settings.promises
  await ok('settings:update', {
    promises: { ...promises, calendar: { ...promises.calendar, timeZone: 'Europe/Budapest' } },
  })
  const told = await ok<Case>('cases:create', {
    customerName: 'Margaret Smith',
    summary: 'Soup served cold',
    category: 'other',
  })
  const untold = await ok<Case>('cases:create', { customerName: '王芳', summary: '快递晚到两天', category: 'other' })
  now = new Date('2026-11-24T09:00:00.000Z')
  await ok('contacts:log', { caseId: told.id, kind: 'call', direction: 'out', summary: 'Called her back' })
  await store.close()
  return { told, untold }
}

describe('makegood cases list --silent', { timeout: cliTestTimeout }, () => {
  it('lists open cases left without news for the set business days, as a table and as JSON', async () => {
    const dir = await tempDir()
    const { told, untold } = await seed(dir)

    // Thursday: the Chinese customer has waited Tuesday and Wednesday; Margaret only Wednesday.
    const json = await makegood(dir, '2026-11-26T09:00:00Z', ['cases', 'list', '--silent', '--json'])
    const rows = JSON.parse(json.stdout) as SilentCase[]
    expect(rows.map((r) => [r.number, r.businessDaysWithoutNews, r.lastNewsAt])).toEqual([
      [untold.number, 2, '2026-11-23T09:00:00.000Z'],
    ])
    expect(rows[0]).toMatchObject({ customerName: '王芳', summary: '快递晚到两天', status: 'open' })

    const table = await makegood(dir, '2026-11-26T09:00:00Z', ['cases', 'list', '--silent'])
    expect(table.stdout).toContain(untold.number)
    expect(table.stdout).toContain('2 business days')
    expect(table.stdout).not.toContain(told.number)

    // Friday: both; the longest silence first. In Chinese the table says so in Chinese.
    const friday = await makegood(dir, '2026-11-27T09:00:00Z', ['cases', 'list', '--silent'], 'zh_CN.UTF-8')
    const lines = friday.stdout.trim().split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[0]).toContain(untold.number)
    expect(lines[0]).toContain('3 个工作日')
    expect(lines[1]).toContain(told.number)

    // Monday before: nothing waiting, said in words (exit code 0).
    const none = await makegood(dir, '2026-11-24T10:00:00Z', ['cases', 'list', '--silent'])
    expect(none.stdout.trim()).toBe('No open case has gone 2 business days without news.')

    // A bad status is a usage error (exit code 2), not an empty list.
    const bad = await makegood(dir, '2026-11-26T09:00:00Z', ['cases', 'list', '--silent', '--status', 'nope']).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    )
    expect(bad?.code).toBe(2)
    expect(bad?.stderr).toContain('status')
  })
})
