import { execFile } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { type Case } from '../../src/shared/schemas'
import { type TrashItem } from '../../src/shared/trash/schemas'
import { cliEnv, cliTestTimeout } from '../helpers/cli-env'
import { tempDir } from '../helpers/temp'

const run = promisify(execFile)
const bin = join(__dirname, '..', '..', 'bin', 'makegood.cjs')

/** `makegood --data DIR --now NOW …`, spawned as a user would. */
function makegood(dir: string, now: string, args: string[], locale = 'en_US.UTF-8') {
  return run(process.execPath, [bin, '--data', dir, '--now', now, ...args], { cwd: tmpdir(), env: cliEnv(locale) })
}

type Failure = { code: number; stderr: string }

describe('makegood cases delete, trash list|restore|purge', { timeout: cliTestTimeout }, () => {
  it('deletes a case to Trash, lists it, restores it, and purges only after thirty days', async () => {
    const dir = await tempDir()
    const day1 = '2026-11-02T10:00:00Z'
    const added = await makegood(dir, day1, [
      'cases',
      'add',
      '--customer',
      'Margaret Smith',
      '--summary',
      'Cold soup',
      '--json',
    ])
    const created = JSON.parse(added.stdout) as Case

    const deleted = await makegood(dir, day1, ['cases', 'delete', created.number, '--json'])
    const item = JSON.parse(deleted.stdout) as TrashItem
    expect(item).toMatchObject({
      kind: 'case',
      label: `${created.number} Cold soup`,
      purgeAt: '2026-12-02T10:00:00.000Z',
    })
    const list = await makegood(dir, day1, ['cases', 'list'])
    expect(list.stdout).not.toContain('Cold soup')
    const shown = await makegood(dir, day1, ['trash', 'list'])
    expect(shown.stdout).toContain(item.id)
    expect(shown.stdout).toContain('Cold soup')
    expect(shown.stdout).toContain('2026-12-02 10:00Z')

    const restored = await makegood(dir, '2026-12-01T10:00:00Z', ['trash', 'restore', item.id])
    expect(restored.stdout).toBe(`Restored: ${created.number} Cold soup\n`)
    const back = await makegood(dir, day1, ['cases', 'show', created.number, '--json'])
    expect(JSON.parse(back.stdout)).toMatchObject({ case: created })

    const again = JSON.parse(
      (await makegood(dir, day1, ['cases', 'delete', created.number, '--json'])).stdout,
    ) as TrashItem
    expect((await makegood(dir, '2026-12-02T09:59:00Z', ['trash', 'purge'])).stdout).toBe('0 items removed for good.\n')
    expect((await makegood(dir, '2026-12-02T10:00:00Z', ['trash', 'purge'])).stdout).toBe('1 item removed for good.\n')
    expect((await makegood(dir, day1, ['trash', 'list'])).stdout).toBe('Trash is empty.\n')
    const gone = await makegood(dir, day1, ['trash', 'restore', again.id]).then(
      () => undefined,
      (e: Failure) => e,
    )
    expect(gone?.code).toBe(1)
    expect(gone?.stderr).toContain(again.id)
  })

  it('speaks the reader’s language', async () => {
    const dir = await tempDir()
    const now = '2026-11-02T10:00:00Z'
    const added = await makegood(dir, now, ['cases', 'add', '--customer', '王芳', '--summary', '汤是凉的', '--json'])
    const created = JSON.parse(added.stdout) as Case
    const deleted = await makegood(dir, now, ['cases', 'delete', created.number], 'zh_CN.UTF-8')
    expect(deleted.stdout).toContain(`已移到回收站：${created.number} 汤是凉的`)
    const shown = await makegood(dir, now, ['trash', 'list'], 'zh_CN.UTF-8')
    expect(shown.stdout).toContain('案件')
  })
})
