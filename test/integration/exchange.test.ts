import { execFile } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { Store } from '../../src/main/store/store'
import { tempDir } from '../helpers/temp'
import { cliEnv, cliTestTimeout } from '../helpers/cli-env'

const run = promisify(execFile)
const bin = join(__dirname, '..', '..', 'bin', 'makegood.cjs')
const makegood = (args: string[]) => run(process.execPath, [bin, ...args], { env: cliEnv() })
const failing = (args: string[]) =>
  makegood(args).then(
    () => {
      throw new Error('expected the command to fail')
    },
    (error: { code: number; stdout: string; stderr: string }) => error,
  )

describe('export and import, through the CLI', { timeout: cliTestTimeout }, () => {
  it('export → import → export is byte-for-byte identical', async () => {
    const source = await tempDir()
    await makegood(['--data', source, '--now', '2026-11-23T10:00:00Z', 'demo'])
    const work = await tempDir()
    const first = join(work, 'first.json')
    const exported = (await makegood(['--data', source, 'export', '--out', first])).stdout
    const records = Object.values(
      (JSON.parse(await readFile(first, 'utf8')) as { collections: Record<string, unknown[]> }).collections,
    ).reduce((sum, list) => sum + list.length, 0)
    expect(records).toBeGreaterThan(190)
    expect(exported).toContain(`Exported ${records} records`)
    const target = await tempDir()
    expect((await makegood(['--data', target, 'import', first])).stdout).toContain(`Imported ${records} records`)
    const second = join(work, 'second.json')
    await makegood(['--data', target, 'export', '--out', second])
    expect(await readFile(second, 'utf8')).toBe(await readFile(first, 'utf8'))
    const parsed = JSON.parse(await readFile(first, 'utf8')) as { collections: { cases: unknown[] } }
    expect(parsed.collections.cases).toHaveLength(150)
    const refused = await failing(['--data', target, 'import', first])
    expect(refused.stderr).toContain('already holds data')
  })
})

const map = {
  columns: {
    receivedAt: 'Date received',
    summary: 'Issue',
    description: 'Details',
    customerName: 'Customer',
    customerRef: 'Customer no',
    category: 'Type',
    severity: 'Severity',
    externalId: 'Ticket',
  },
  dateFormat: 'MM/dd/yyyy',
  defaults: { channel: 'formal' },
  values: { category: { Wait: 'long-wait', Rude: 'rude-service' }, severity: { High: 'major', Low: 'minor' } },
}

const rows = [
  'Ticket,Date received,Issue,Details,Customer,Customer no,Type,Severity',
  'T-1,03/14/2025,Cold soup,"Line one\r\nline two, with a comma",Margaret Smith,C1,Wait,Low',
  'T-2,2025-03-15T09:30:00Z,等了四十分钟,"他说：""下次不来了""",王小明,C2,Rude,High',
  'T-3,13/45/2025,Bad date,x,Ann,C3,Wait,Low',
  'T-4,03/16/2025,,x,Ann,C3,Spaceship,Huge',
]

/** An empty data folder, and the CSV above (BOM, CRLF) with its mapping file, in another folder. */
async function complaintFiles() {
  const dir = await tempDir()
  const files = await tempDir()
  const csv = join(files, 'complaints.csv')
  const mapFile = join(files, 'map.json')
  await writeFile(csv, `\uFEFF${rows.join('\r\n')}\r\n`)
  await writeFile(mapFile, JSON.stringify(map))
  return { dir, files, csv, mapFile }
}

describe('CSV complaints import, through the CLI', { timeout: cliTestTimeout }, () => {
  it('reports every invalid row, writes nothing without --skip-invalid, and never imports twice', async () => {
    const { dir, csv, mapFile } = await complaintFiles()

    const refused = await failing(['--data', dir, 'import', 'complaints', csv, '--map', mapFile])
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('row 4, column "Date received": "13/45/2025" is not a date in MM/dd/yyyy')
    expect(refused.stderr).toContain('row 5, column "Issue": required')
    expect(refused.stderr).toContain('row 5, column "Type": "Spaceship" is not a known category')
    expect(refused.stderr).toContain('row 5, column "Severity": "Huge" is not one of')
    expect(refused.stderr).toContain('Nothing was imported: 2 rows are not valid')
    const empty = await Store.open(dir, { isReadOnly: true })
    expect(empty.count('cases')).toBe(0)
    await empty.close()

    const dry = await makegood([
      '--data',
      dir,
      'import',
      'complaints',
      csv,
      '--map',
      mapFile,
      '--skip-invalid',
      '--dry-run',
    ])
    expect(dry.stdout).toContain('4 rows: 2 new cases, 0 already imported, 2 invalid')
    expect(dry.stdout).toContain('Dry run')

    const done = await makegood(['--data', dir, 'import', 'complaints', csv, '--map', mapFile, '--skip-invalid'])
    expect(done.stdout).toContain('4 rows: 2 new cases, 0 already imported, 2 invalid')
    const again = await makegood(['--data', dir, 'import', 'complaints', csv, '--map', mapFile, '--skip-invalid'])
    expect(again.stdout).toContain('4 rows: 0 new cases, 2 already imported, 2 invalid')

    const store = await Store.open(dir, { isReadOnly: true })
    const cases = [...store.all('cases')].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt))
    expect(cases.map((c) => [c.receivedAt, c.summary, c.category, c.severity, c.externalId])).toEqual([
      ['2025-03-14T00:00:00.000Z', 'Cold soup', 'long-wait', 'minor', 'T-1'],
      ['2025-03-15T09:30:00.000Z', '等了四十分钟', 'rude-service', 'major', 'T-2'],
    ])
    expect(cases[0]?.description).toBe('Line one\r\nline two, with a comma')
    expect(cases[1]?.description).toBe('他说："下次不来了"')
    expect(store.get('customers', cases[1]!.customerId)?.name).toBe('王小明')
    await store.close()
  })

  it('without an external id, a content hash keeps a re-import from duplicating', async () => {
    const dir = await tempDir()
    const files = await tempDir()
    const csv = join(files, 'plain.csv')
    const mapFile = join(files, 'map.json')
    await writeFile(csv, 'When,What\n2025-01-02,Rude waiter\n2025-01-03,Long queue\n')
    await writeFile(mapFile, JSON.stringify({ columns: { receivedAt: 'When', summary: 'What' } }))
    expect((await makegood(['--data', dir, 'import', 'complaints', csv, '--map', mapFile])).stdout).toContain(
      '2 new cases',
    )
    expect((await makegood(['--data', dir, 'import', 'complaints', csv, '--map', mapFile])).stdout).toContain(
      '0 new cases, 2 already imported',
    )
  })

  it('speaks the CLI language for row problems, and --json keeps reason keys and English messages', async () => {
    const { dir, files, csv, mapFile } = await complaintFiles()

    const chinese = await failing(['--data', dir, '--lang', 'zh-CN', 'import', 'complaints', csv, '--map', mapFile])
    expect(chinese.code).toBe(2)
    expect(chinese.stderr).toContain('第 4 行，列“Date received”：“13/45/2025”不是 MM/dd/yyyy 格式的日期')
    expect(chinese.stderr).toContain('第 5 行，列“Issue”：必填')
    expect(chinese.stderr).toContain('第 5 行，列“Type”：“Spaceship”不是已知的类别')

    const hungarian = await failing(['--data', dir, '--lang', 'hu', 'import', 'complaints', csv, '--map', mapFile])
    expect(hungarian.stderr).toContain('5. sor, „Issue” oszlop: kötelező')

    const json = await failing(['--data', dir, 'import', 'complaints', csv, '--map', mapFile, '--json'])
    expect(json.code).toBe(2)
    const report = JSON.parse(json.stdout) as { rows: number; errors: Record<string, unknown>[] }
    expect(report.rows).toBe(4)
    expect(report.errors).toContainEqual({
      row: 4,
      column: 'Date received',
      field: 'receivedAt',
      reason: 'not_a_date_in_format',
      params: { value: '13/45/2025', format: 'MM/dd/yyyy' },
      message: '"13/45/2025" is not a date in MM/dd/yyyy',
    })
    expect(report.errors).toContainEqual(
      expect.objectContaining({
        row: 5,
        field: 'severity',
        reason: 'not_one_of',
        params: expect.objectContaining({ value: 'Huge' }),
      }),
    )

    await writeFile(join(files, 'wrong.json'), JSON.stringify({ columns: { receivedAt: 'When', summary: 'Issue' } }))
    const wrongColumn = await failing([
      '--data',
      dir,
      '--lang',
      'zh-TW',
      'import',
      'complaints',
      csv,
      '--map',
      join(files, 'wrong.json'),
    ])
    expect(wrongColumn.stderr).toContain('檔案中沒有「When」欄。')
    const store = await Store.open(dir, { isReadOnly: true })
    expect(store.count('cases')).toBe(0)
    await store.close()
  })
})
