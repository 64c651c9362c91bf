import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { displayWidth, renderTable, truncateToWidth } from '../../src/main/cli/table'

const run = promisify(execFile)
const bin = join(__dirname, '..', '..', 'bin', 'makegood.cjs')
const now = '2026-11-23T10:00:00Z'

/** The real CLI, with the machine's language and time zone fixed so nothing depends on them. */
async function makegood(args: string[]): Promise<string> {
  const env = { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8', TZ: 'UTC' }
  return (await run(process.execPath, [bin, ...args], { cwd: tmpdir(), env })).stdout
}

type Cell = { start: number; end: number }

/** A table line's cells (columns are two or more spaces apart), as display-width offsets. */
function cellsOf(line: string): Cell[] {
  const cells: Cell[] = []
  for (const match of line.matchAll(/\S+(?: \S+)*/g)) {
    const start = displayWidth(line.slice(0, match.index))
    cells.push({ start, end: start + displayWidth(match[0]) })
  }
  return cells
}

/** Every column starts at the same offset in every row (or, right-aligned, ends at the same one). */
function misalignment(lines: string[]): string[] {
  const rows = lines.map(cellsOf)
  const columns = Math.max(...rows.map((r) => r.length))
  const problems: string[] = []
  if (rows.some((r) => r.length !== columns))
    problems.push(`rows have different numbers of cells:\n${lines.join('\n')}`)
  for (let i = 0; i < columns; i++) {
    const starts = new Set(rows.map((r) => r[i]?.start))
    const ends = new Set(rows.map((r) => r[i]?.end))
    if (starts.size > 1 && ends.size > 1) problems.push(`column ${i + 1} is not aligned:\n${lines.join('\n')}`)
  }
  return problems
}

const tables: { name: string; args: string[]; rows: (line: string) => boolean }[] = [
  { name: 'cases list', args: ['cases', 'list'], rows: () => true },
  { name: 'promises', args: ['promises', '--all'], rows: () => true },
  { name: 'signals', args: ['signals'], rows: (line) => /^\d{4}-\d{2}-\d{2} {2}/.test(line) },
  { name: 'iceberg', args: ['iceberg', '--month', '2026-10'], rows: (line) => /^ {2}\S/.test(line) },
  { name: 'escalations', args: ['escalations'], rows: () => true },
]

describe('CLI tables line up by display width in every language', () => {
  let dir = ''
  beforeAll(async () => {
    // One sample-data folder for every table (the shared temp helper removes its folders after each test).
    dir = await mkdtemp(join(tmpdir(), 'makegood-tables-'))
    await makegood(['--data', dir, '--now', now, 'demo'])
  }, 60_000)
  afterAll(() => rm(dir, { recursive: true, force: true }))

  describe.each(['en', 'hu', 'zh-CN', 'zh-TW'])('%s', (lang) => {
    it.each(tables)(
      '$name',
      async ({ args, rows }) => {
        const output = await makegood(['--data', dir, '--now', now, '--lang', lang, ...args])
        const lines = output.split('\n').filter((line) => line !== '' && rows(line))
        // The sample data fills every table: an empty one would prove nothing.
        expect(lines.length).toBeGreaterThan(1)
        expect(misalignment(lines)).toEqual([])
        expect(lines.filter((line) => line.endsWith(' '))).toEqual([])
      },
      60_000,
    )
  })
})

describe('the table renderer', () => {
  it('pads a Chinese label by its two-column characters, not its length', () => {
    const lines = renderTable([
      ['已逾期', 'C-1'],
      ['Overdue', 'C-2'],
    ])
    expect(lines).toEqual(['已逾期   C-1', 'Overdue  C-2'])
  })

  it('cuts a cell wider than its column cap with an ellipsis, by display width', () => {
    expect(truncateToWidth('沉默流失信号', 7)).toBe('沉默流…')
    expect(displayWidth(truncateToWidth('Csendes lemorzsolódási jelzések', 12))).toBeLessThanOrEqual(12)
    const [line] = renderTable([['Sikertelen megelőzés: Piszkos helyiség vagy rossz higiénia', 'x']], [{ max: 20 }])
    expect(line).toBe('Sikertelen megelőzé…  x')
  })
})

describe('--help in the chosen language', () => {
  it.each([
    ['zh-CN', '用法：makegood [选项] [命令]', '选项：'],
    ['zh-TW', '用法：makegood [選項] [指令]', '指令：'],
    ['hu', 'Használat: makegood [kapcsolók] [parancs]', 'Kapcsolók:'],
  ])(
    '%s: no English word of commander is left, and lines wrap at 80 columns',
    async (lang, usage, heading) => {
      const help = await makegood(['--lang', lang, '--help'])
      expect(help).toContain(usage)
      expect(help).toContain(heading)
      for (const english of [
        'Usage',
        'Options',
        'Commands',
        '[options]',
        '[command]',
        'display help',
        'default:',
        'env:',
      ]) {
        expect(help).not.toContain(english)
      }
      expect(help.split('\n').filter((line) => displayWidth(line) > 80)).toEqual([])
      const serve = await makegood(['--lang', lang, 'serve', '--help'])
      expect(serve).not.toContain('[options]')
    },
    60_000,
  )
})
