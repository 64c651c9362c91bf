import { execFile } from 'node:child_process'
import { existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { type Case } from '../../src/shared/schemas'
import { cliEnv, cliTestTimeout } from '../helpers/cli-env'
import { tempDir } from '../helpers/temp'

const run = promisify(execFile)
const bin = join(__dirname, '..', '..', 'bin', 'makegood.cjs')
const now = '2026-11-23T10:00:00Z'

/** `makegood --data DIR --now NOW …` in the given language, in UTC so printed times are known. */
function makegood(dir: string, args: string[], locale = 'en_US.UTF-8') {
  return run(process.execPath, [bin, '--data', dir, '--now', now, ...args], {
    cwd: tmpdir(),
    env: cliEnv(locale, { TZ: 'UTC' }),
  })
}

/** The PDF's text as poppler reads it: what a reader, a search or a screen reader gets. */
async function pdfText(file: string): Promise<{ text: string; pages: number }> {
  const { stdout: text } = await run('pdftotext', ['-layout', file, '-'])
  const { stdout: info } = await run('pdfinfo', [file])
  return { text, pages: Number(/Pages:\s+(\d+)/.exec(info)?.[1]) }
}

describe('makegood cases show NUMBER --pdf FILE', { timeout: cliTestTimeout }, () => {
  it('prints a sample case: facts, the six steps with notes, its promises and its timeline, every page numbered', async () => {
    const dir = await tempDir()
    await makegood(dir, ['demo'])
    // The newest case in recovery: some steps done with notes, promises made.
    const list = (await makegood(dir, ['cases', 'list'])).stdout.split('\n')
    const number = /C-\d{4}-\d{4}/.exec(list.find((line) => line.includes('In recovery')) ?? '')?.[0] ?? ''
    const shown = JSON.parse((await makegood(dir, ['cases', 'show', number, '--json'])).stdout) as { case: Case }
    const file = join(dir, 'case.pdf')
    const { stderr } = await makegood(dir, ['cases', 'show', number, '--pdf', file])
    expect(stderr).toContain(`${number} written to ${file}`)
    const { text, pages } = await pdfText(file)
    // A sample case's sheet is a page or two (its timeline now carries the logged calls too).
    expect(pages).toBeGreaterThanOrEqual(1)
    expect(pages).toBeLessThanOrEqual(2)
    const c = shown.case
    for (const expected of [
      number,
      c.summary,
      'The complaint',
      'Remedy sought',
      'Recovery steps',
      'Empathise',
      'Apologise',
      'Resolve',
      'Investigate',
      'Add a plus',
      'Prevent',
      'Promises',
      'Timeline',
      'Printed Nov 23, 2026, 10:00 AM',
      `Page ${pages} of ${pages}`,
    ]) {
      expect(text).toContain(expected)
    }
    // A step note and the promise made on the case, in words.
    const note = c.steps.find((s) => s.note)?.note ?? ''
    expect(note).not.toBe('')
    // Compared without spaces: a wrapped line of Chinese comes back from pdftotext with one inside.
    const noSpace = (value: string) => value.replace(/\s+/g, '')
    expect(noSpace(text)).toContain(noSpace(note).slice(0, 20))
    expect(text).toContain('First response within 4 business hours')
    expect(text).toContain(`logged the complaint “${c.summary}”`)
  })

  it('prints Chinese in the embedded CJK face, with Chinese labels', async () => {
    const dir = await tempDir()
    await makegood(dir, ['cases', 'add', '--customer', '王芳', '--summary', '汤端上来是凉的', '--department', '厨房'])
    const file = join(dir, '案件.pdf')
    const { stderr } = await makegood(dir, ['cases', 'show', 'C-2026-0001', '--pdf', file], 'zh_CN.UTF-8')
    expect(stderr).toContain('C-2026-0001 已写入')
    const { text, pages } = await pdfText(file)
    // A sample case's sheet is a page or two (its timeline now carries the logged calls too).
    expect(pages).toBeGreaterThanOrEqual(1)
    expect(pages).toBeLessThanOrEqual(2)
    for (const expected of [
      '汤端上来是凉的',
      '王芳',
      '厨房',
      '投诉内容',
      '补救步骤',
      '共情',
      '预防',
      '承诺',
      '时间线',
    ]) {
      expect(text).toContain(expected)
    }
    expect(text).toContain('第 1 页，共 1 页')
    const { stdout: fonts } = await run('pdffonts', [file])
    expect(fonts).toMatch(/NotoSans(Hans|CJK)/)
  })

  it('an unknown case writes no file and exits 1 with the reason', async () => {
    const dir = await tempDir()
    const file = join(dir, 'none.pdf')
    const failure = await makegood(dir, ['cases', 'show', 'C-2026-9999', '--pdf', file]).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    )
    expect(failure?.code).toBe(1)
    expect(failure?.stderr).toContain('C-2026-9999')
    expect(existsSync(file)).toBe(false)
  })
})
