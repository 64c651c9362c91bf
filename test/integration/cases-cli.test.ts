import { execFile } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { type CaseDetail } from '../../src/shared/api'
import { type Case } from '../../src/shared/schemas'
import { cliEnv, cliTestTimeout } from '../helpers/cli-env'
import { tempDir } from '../helpers/temp'

const run = promisify(execFile)
const bin = join(__dirname, '..', '..', 'bin', 'makegood.cjs')
const now = '2026-11-23T10:00:00Z'

/** `makegood --data DIR --now NOW …`, spawned as a user would, in the given language. */
function makegood(dir: string, args: string[], locale = 'en_US.UTF-8') {
  return run(process.execPath, [bin, '--data', dir, '--now', now, ...args], { cwd: tmpdir(), env: cliEnv(locale) })
}

type Failure = { code: number; stderr: string }
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined as Failure | undefined,
    (e: Failure) => e,
  )

describe('makegood cases show|add|update|assign', { timeout: cliTestTimeout }, () => {
  it('adds a case, edits it field by field, hands it off, and shows every change with before → after', async () => {
    const dir = await tempDir()
    const added = await makegood(dir, [
      'cases',
      'add',
      '--customer',
      'Margaret Smith',
      '--summary',
      'Cold soup',
      '--severity',
      'major',
      '--department',
      'Kitchen',
      '--channel',
      'formal',
      '--json',
    ])
    const created = JSON.parse(added.stdout) as Case
    expect(created).toMatchObject({ number: 'C-2026-0001', summary: 'Cold soup', severity: 'major', category: 'other' })

    const updated = await makegood(dir, [
      'cases',
      'update',
      'C-2026-0001',
      '--category',
      'long-wait',
      '--severity',
      'minor',
      '--remedy',
      'A refund',
      '--customer',
      'John Doe',
    ])
    expect(updated.stdout.trim()).toBe('C-2026-0001: 4 changes.')
    const again = await makegood(dir, ['cases', 'update', 'c-2026-0001', '--severity', 'minor'])
    expect(again.stdout.trim()).toBe('C-2026-0001: nothing changed.')

    const assigned = await makegood(dir, [
      'cases',
      'assign',
      'C-2026-0001',
      'Anna Kovács',
      '--note',
      'Knows the kitchen',
    ])
    expect(assigned.stdout.trim()).toBe('C-2026-0001 is now with Anna Kovács.')

    const detail = JSON.parse((await makegood(dir, ['cases', 'show', 'C-2026-0001', '--json'])).stdout) as CaseDetail
    expect(detail.customer.name).toBe('John Doe')
    expect(detail.case).toMatchObject({ owner: 'Anna Kovács', category: 'long-wait', severity: 'minor' })
    const changes = detail.case.timeline
      .filter((e) => e.type === 'edit' || e.type === 'assign')
      .map((e) => [e.field, e.before, e.after, e.note ?? ''])
    expect(changes).toEqual([
      ['remedySought', '', 'A refund', ''],
      ['category', 'other', 'long-wait', ''],
      ['severity', 'major', 'minor', ''],
      ['customer', 'Margaret Smith', 'John Doe', ''],
      ['owner', '', 'Anna Kovács', 'Knows the kitchen'],
    ])

    const text = (await makegood(dir, ['cases', 'show', 'C-2026-0001'])).stdout
    expect(text).toContain('Category: Other → Waiting too long')
    expect(text).toContain('handed the case over: — → Anna Kovács — Knows the kitchen')
    expect(text.split('\n').filter((line) => line !== line.trimEnd())).toEqual([])
    const chinese = (await makegood(dir, ['cases', 'show', 'C-2026-0001'], 'zh_CN.UTF-8')).stdout
    expect(chinese).toContain('类别：其他 → 等待时间过长')
    expect(chinese).toContain('转交了案件：— → Anna Kovács')
  })

  it('exits 2 on invalid input and 1 on a case that does not exist, leaving the data as it was', async () => {
    const dir = await tempDir()
    await makegood(dir, ['cases', 'add', '--customer', 'Margaret Smith', '--summary', 'Cold soup'])
    const before = (await makegood(dir, ['cases', 'show', 'C-2026-0001', '--json'])).stdout

    const badCategory = await failureOf(makegood(dir, ['cases', 'update', 'C-2026-0001', '--category', 'nope']))
    expect(badCategory).toMatchObject({ code: 2 })
    expect(badCategory?.stderr).toContain('Unknown category nope')
    const badSeverity = await failureOf(makegood(dir, ['cases', 'update', 'C-2026-0001', '--severity', 'huge']))
    expect(badSeverity).toMatchObject({ code: 2 })
    const nothing = await failureOf(makegood(dir, ['cases', 'update', 'C-2026-0001']))
    expect(nothing).toMatchObject({ code: 2 })
    expect(nothing?.stderr).toContain('Say what to change')
    const missing = await failureOf(makegood(dir, ['cases', 'assign', 'C-2026-0099', 'Anna Kovács']))
    expect(missing).toMatchObject({ code: 1 })
    expect(missing?.stderr).toContain('No case C-2026-0099.')
    const noSummary = await failureOf(makegood(dir, ['cases', 'add', '--customer', 'Margaret Smith']))
    expect(noSummary?.code).toBeGreaterThan(0)

    expect((await makegood(dir, ['cases', 'show', 'C-2026-0001', '--json'])).stdout).toBe(before)
  })
})
