import { execFile } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { Store } from '../../src/main/store/store'
import { tempDir } from '../helpers/temp'
import { cliEnv, cliTestTimeout } from '../helpers/cli-env'

const run = promisify(execFile)
const bin = join(__dirname, '..', '..', 'bin', 'makegood.cjs')

function makegood(args: string[], env: NodeJS.ProcessEnv = {}) {
  // Run from another folder: a user's `makegood` works wherever they are.
  return run(process.execPath, [bin, ...args], { cwd: tmpdir(), env: cliEnv(env.LANG ?? 'en_US.UTF-8', env) })
}

describe('the makegood CLI, spawned as a process', { timeout: cliTestTimeout }, () => {
  it('loads the demo and lists cases as text and JSON', async () => {
    const dir = await tempDir()
    const demo = await makegood(['--data', dir, '--now', '2026-11-23T10:00:00Z', 'demo'])
    expect(demo.stdout).toContain('Loaded 133 customers and 150 cases')
    const json = JSON.parse((await makegood(['--data', dir, 'cases', 'list', '--json'])).stdout) as { number: string }[]
    expect(json).toHaveLength(150)
    expect(json[0]?.number).toMatch(/^C-2026-\d{4}$/)
    const text = (await makegood(['cases', 'list', '--status', 'closed'], { MAKEGOOD_DATA: dir })).stdout
    const lines = text.split('\n').filter(Boolean)
    // As many lines as closed cases (never an empty list that would pass any check), each closed.
    const closed = (
      JSON.parse((await makegood(['--data', dir, 'cases', 'list', '--json'])).stdout) as { status: string }[]
    ).filter((c) => c.status === 'closed')
    expect(closed.length).toBeGreaterThan(0)
    expect(lines).toHaveLength(closed.length)
    expect(lines.filter((line) => !line.includes('Closed'))).toEqual([])
  })

  it('prints help for every command, in the language of LANG or --lang', async () => {
    // Side by side: seven CLI starts one after another outlast the test's time on a busy machine.
    const english = await Promise.all(
      [['--help'], ['serve', '--help'], ['demo', '--help'], ['cases', '--help'], ['cases', 'list', '--help']].map(
        (args) => makegood(args),
      ),
    )
    for (const { stdout } of english) expect(stdout).toContain('Usage: makegood')
    expect((await makegood(['demo', '--help'], { LANG: 'zh_CN.UTF-8' })).stdout).toContain('示例数据')
    expect((await makegood(['--lang', 'zh-CN', 'demo', '--help'])).stdout).toContain('示例数据')
  })

  it('lists beside a running writer, and refuses a second writer politely', async () => {
    const dir = await tempDir()
    const writer = await Store.open(dir)
    try {
      expect((await makegood(['--data', dir, 'cases', 'list'])).stdout).toContain('No cases.')
      const refused = await makegood(['--data', dir, 'demo']).catch((error: { code: number; stderr: string }) => error)
      expect(refused).toMatchObject({ code: 1 })
      expect((refused as { stderr: string }).stderr).toContain('already writing to')
    } finally {
      await writer.close()
    }
  })

  it('rejects a bad --now with a clear error', async () => {
    const failure = await makegood(['--data', await tempDir(), '--now', 'yesterday', 'cases', 'list']).catch(
      (error: { code: number; stderr: string }) => error,
    )
    expect(failure).toMatchObject({ code: 2 })
    expect((failure as { stderr: string }).stderr).toContain('--now must be an ISO date-time')
  })
})
