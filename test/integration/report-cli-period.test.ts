import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import ExcelJS from 'exceljs'
import { parseHTML } from 'linkedom'
import Papa from 'papaparse'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Store } from '../../src/main/store/store'
import { Report } from '../../src/shared/reports/report'
import { cliEnv, cliTestTimeout } from '../helpers/cli-env'
import { customers, fixtureCases } from '../helpers/reportFixture'

/**
 * `makegood report --from/--to` and the currency in every format, read back with real readers
 * (Papa for CSV, ExcelJS for XLSX, pdftotext for PDF, linkedom for HTML). The expected amounts
 * are recounted here from the records written into the folder.
 */

const run = promisify(execFile)
const bin = join(__dirname, '..', '..', 'bin', 'makegood.cjs')
const now = '2026-11-23T10:00:00.000Z'

function makegood(args: string[]) {
  return run(process.execPath, [bin, ...args], { env: cliEnv(), maxBuffer: 20_000_000 })
}

/** Two failures without a customer inside the range (one outside), and a case cost inside. */
const failures = [
  { id: 'f1', at: '2026-10-06T09:00:00.000Z', cost: 12500 },
  { id: 'f2', at: '2026-10-18T09:00:00.000Z', cost: 3300.5 },
  { id: 'f3', at: '2026-10-25T09:00:00.000Z', cost: 999 },
]

let data: string
let out: string
let cases: ReturnType<typeof fixtureCases>

beforeAll(async () => {
  data = await mkdtemp(join(tmpdir(), 'makegood-period-data-'))
  out = await mkdtemp(join(tmpdir(), 'makegood-period-out-'))
  const store = await Store.open(data)
  cases = fixtureCases().map((c, i) =>
    i === 0 ? { ...c, costs: [{ id: 'k1', kind: 'refund', amount: 1200, note: '', at: c.receivedAt, by: 'Me' }] } : c,
  )
  await store.commit([
    {
      collection: 'settings',
      value: {
        ...store.settings,
        businessName: 'Golden Dragon Bistro',
        departments: ['Kitchen', 'Floor'],
        currency: 'HUF',
      },
    },
    ...customers.map((value) => ({ collection: 'customers' as const, value })),
    ...cases.map((value) => ({ collection: 'cases' as const, value })),
    ...failures.map(({ id, at, cost }) => ({
      collection: 'failures' as const,
      value: {
        id,
        at,
        category: 'poor-quality',
        department: 'Kitchen',
        what: 'Oven broke down',
        cost,
        by: 'Me',
        createdAt: at,
      },
    })),
  ])
  await store.close()
  for (const format of ['json', 'pdf', 'xlsx', 'html', 'csv']) {
    await makegood([
      '--data',
      data,
      '--now',
      now,
      'report',
      '--from',
      '2026-10-05',
      '--to',
      '2026-10-20',
      '--format',
      format,
      '--out',
      join(out, format === 'csv' ? 'csv' : `range.${format}`),
    ])
  }
}, cliTestTimeout)

afterAll(async () => {
  await rm(data, { recursive: true, force: true })
  await rm(out, { recursive: true, force: true })
})

/** The period's cost recounted from the records: case costs of cases received in it, plus its failures. */
function expectedTotal(): number {
  const inRange = (iso: string) => iso >= '2026-10-05' && iso < '2026-10-21'
  const caseCosts = cases
    .filter((c) => inRange(c.receivedAt))
    .flatMap((c) => c.costs ?? [])
    .reduce((a, k) => a + k.amount, 0)
  return caseCosts + failures.filter((f) => inRange(f.at)).reduce((a, f) => a + f.cost, 0)
}
const huf = (n: number) => new Intl.NumberFormat('en', { style: 'currency', currency: 'HUF' }).format(n)

describe('report --from/--to with the currency in every format', () => {
  it('JSON: the range as the period, the currency, the costs of that range only', async () => {
    const report = Report.parse(JSON.parse(await readFile(join(out, 'range.json'), 'utf8')))
    expect(report.period).toEqual({ from: '2026-10-05', to: '2026-10-20' })
    expect(report.currency).toBe('HUF')
    expect(report.costs.total).toBe(expectedTotal())
    expect(report.costs.failuresWithoutCustomer).toBe(2)
    // A range that is not a calendar month compares with the 16 days before it.
    expect(report.compare.previous?.from).toBe('2026-09-19')
    expect(report.compare.previous?.to).toBe('2026-10-04')
  })

  it('CSV: amounts written with the currency', async () => {
    const rows = Papa.parse<string[]>((await readFile(join(out, 'csv', 'costs.csv'), 'utf8')).slice(1), {
      skipEmptyLines: true,
    }).data
    expect(rows.find((r) => r[0] === 'Cost of failures')?.[1]).toBe(huf(expectedTotal()))
  })

  it('XLSX: amounts stay numbers, shown with the currency by their number format', async () => {
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile(join(out, 'range.xlsx'))
    const sheet = workbook.getWorksheet('What failures cost') as ExcelJS.Worksheet
    const total = sheet.getCell('B2')
    expect(total.value).toBe(expectedTotal())
    expect(total.numFmt).toContain('HUF')
    const about = workbook.worksheets[0] as ExcelJS.Worksheet
    expect(about.getColumn(2).values).toContain('HUF')
  })

  it('PDF: pdftotext finds the currency and the amount', async () => {
    const { stdout } = await run('pdftotext', ['-layout', join(out, 'range.pdf'), '-'])
    expect(stdout).toContain('Amounts in HUF')
    expect(stdout.replace(/\u00a0/g, ' ')).toContain(huf(expectedTotal()).replace(/\u00a0/g, ' '))
  })

  it('HTML: the amount with its currency', async () => {
    const { document } = parseHTML(await readFile(join(out, 'range.html'), 'utf8'))
    const cells = [...document.querySelectorAll('section[data-section="costs"] td')].map((c) => c.textContent)
    expect(cells).toContain(huf(expectedTotal()))
  })

  it.each([
    [['--month', '2026-10', '--from', '2026-10-01', '--to', '2026-10-31'], 'either --month or --from/--to'],
    [['--from', '2026-10-01'], 'both --from and --to'],
    [['--from', '2026-10-20', '--to', '2026-10-05'], 'is after --to'],
    [['--from', '2026-02-30', '--to', '2026-03-05'], 'is not a date'],
  ])(
    'refuses %j with exit code 2 (invalid input)',
    async (args, message) => {
      const failure = await makegood([
        '--data',
        data,
        '--now',
        now,
        'report',
        ...args,
        '--format',
        'json',
        '--out',
        join(out, 'x.json'),
      ]).catch((error: { code: number; stderr: string }) => error)
      expect(failure).toMatchObject({ code: 2 })
      expect((failure as { stderr: string }).stderr).toContain(message)
    },
    cliTestTimeout,
  )
})
