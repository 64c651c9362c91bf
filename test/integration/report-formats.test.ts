import { execFile } from 'node:child_process'
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { translator } from '../helpers/translator'
import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import { parseHTML } from 'linkedom'
import Papa from 'papaparse'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/services'
import { translatorFor } from '../../src/main/services/reports/reports'
import { Store } from '../../src/main/store/store'
import { Report, type Translate } from '../../src/shared/reports/report'
import { type Cell, formatCell, reportTables } from '../../src/shared/reports/reportTables'
import { customers, fixtureCases } from '../helpers/reportFixture'
import { openContext } from '../helpers/temp'
import { cliEnv } from '../helpers/cli-env'

const run = promisify(execFile)
const bin = join(__dirname, '..', '..', 'bin', 'makegood.cjs')
const now = '2026-11-23T10:00:00.000Z'

function makegood(args: string[]) {
  return run(process.execPath, [bin, ...args], { env: cliEnv(), maxBuffer: 20_000_000 })
}

/** A real data folder holding the hand-computed fixture month. */
async function fixtureFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'makegood-report-data-'))
  const store = await Store.open(dir)
  await store.commit([
    {
      collection: 'settings',
      value: {
        ...store.settings,
        businessName: 'Golden Dragon Bistro',
        departments: ['Kitchen', 'Floor'],
        categories: store.settings.categories.map((c) => (c.id === 'poor-quality' ? { ...c, label: 'Cold food' } : c)),
      },
    },
    ...customers.map((value) => ({ collection: 'customers' as const, value })),
    ...fixtureCases().map((value) => ({ collection: 'cases' as const, value })),
  ])
  await store.close()
  return dir
}

const rawOf = (cell: Cell) => cell.value

describe('the same month in every format, read back with real readers', () => {
  let data: string
  let out: string
  let report: Report
  let t: Translate

  beforeAll(async () => {
    data = await fixtureFolder()
    // Shared by all tests of this file (the temp helper cleans up after each test).
    out = await mkdtemp(join(tmpdir(), 'makegood-report-'))
    for (const format of ['json', 'pdf', 'xlsx', 'html']) {
      const { stderr } = await makegood([
        '--data',
        data,
        '--now',
        now,
        'report',
        '--month',
        '2026-10',
        '--format',
        format,
        '--out',
        join(out, `oct.${format}`),
      ])
      expect(stderr).toContain(`Written: ${join(out, `oct.${format}`)}`)
    }
    await makegood([
      '--data',
      data,
      '--now',
      now,
      'report',
      '--month',
      '2026-10',
      '--format',
      'csv',
      '--out',
      join(out, 'csv'),
    ])
    report = Report.parse(JSON.parse(await readFile(join(out, 'oct.json'), 'utf8')))
    t = await translatorFor('en')
  }, 120_000)

  afterAll(async () => {
    await rm(data, { recursive: true, force: true })
    await rm(out, { recursive: true, force: true })
  })

  it('JSON: the model, with the hand-computed figures of the fixture month', () => {
    expect(report.businessName).toBe('Golden Dragon Bistro')
    expect(report.period).toEqual({ from: '2026-10-01', to: '2026-10-31' })
    expect(report.iceberg).toEqual({
      formal: 3,
      grumble: 1,
      silent: 0,
      estimatedTotalProblems: 38,
      grumbleCaptureRate: 0.1159,
    })
    expect(report.cases).toEqual({
      opened: 4,
      closed: 3,
      openAtEnd: 3,
      medianHoursToFirstResponse: 2,
      medianHoursToResolve: 48,
    })
    expect(report.recovery).toEqual({ satisfactionAverage: 4, wouldComeBackRate: 0.5 })
    expect(report.topCategories[0]).toEqual({ category: 'long-wait', count: 2, previousCount: 2 })
    expect(report.promises.keptRate).toBeNull()
  })

  it('XLSX: one sheet per section with typed cells, set widths and a frozen header', async () => {
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile(join(out, 'oct.xlsx'))
    const tables = reportTables(report, t)
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      'Monthly escalation report',
      // Sheet names drop the characters Excel forbids (a section title may end in "?").
      ...tables.map((x) =>
        x.title
          .replace(/[:\\/?*[\]]/g, ' ')
          .slice(0, 31)
          .trim(),
      ),
    ])
    for (const [i, table] of tables.entries()) {
      const sheet = workbook.worksheets[i + 1] as ExcelJS.Worksheet
      expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 })
      expect(sheet.getRow(1).values).toEqual([undefined, ...table.columns.map((c) => c.label)])
      table.columns.forEach((_, ci) => expect(sheet.getColumn(ci + 1).width).toBeGreaterThanOrEqual(10))
      table.rows.forEach((row, ri) => {
        row.cells.forEach((cell, ci) => {
          const value = sheet.getRow(ri + 2).getCell(ci + 1).value
          if (cell.value === null) expect(value).toBeNull()
          else if (typeof cell.value === 'number') expect(value).toBe(cell.value)
          else if (cell.kind === 'date' || cell.kind === 'month') expect(value).toBeInstanceOf(Date)
          else expect(value).toBe(formatCell(cell, 'en', t))
        })
      })
    }
    const cases = workbook.getWorksheet('Cases') as ExcelJS.Worksheet
    expect(cases.getCell('B2').value).toBe(4)
    expect(cases.getCell('B5').value).toBe(2)
    expect(workbook.getWorksheet('Recovery')?.getCell('B3')).toMatchObject({ value: 0.5, numFmt: '0.0%' })
  })

  it('CSV: one UTF-8 file with BOM per section, the same numbers as the JSON', async () => {
    const tables = reportTables(report, t)
    expect((await readdir(join(out, 'csv'))).sort()).toEqual(tables.map((x) => `${x.id}.csv`).sort())
    for (const table of tables) {
      const text = await readFile(join(out, 'csv', `${table.id}.csv`), 'utf8')
      expect(text.charCodeAt(0)).toBe(0xfeff)
      const parsed = Papa.parse<string[]>(text.slice(1), { skipEmptyLines: true })
      expect(parsed.data[0]).toEqual(table.columns.map((c) => c.label))
      table.rows.forEach((row, ri) => {
        row.cells.forEach((cell, ci) => {
          const value = parsed.data[ri + 1]?.[ci]
          if (cell.value === null) expect(value).toBe('')
          // An amount is written with its currency, as every format shows it.
          else if (cell.kind === 'money') expect(value).toBe(formatCell(cell, 'en', t))
          else if (typeof cell.value === 'number') expect(Number(value)).toBe(cell.value)
          else if (typeof cell.value === 'boolean') expect(value).toBe(formatCell(cell, 'en', t))
          else expect(value).toBe(String(rawOf(cell)))
        })
      })
    }
    const cases = Papa.parse<string[]>((await readFile(join(out, 'csv', 'cases.csv'), 'utf8')).slice(1)).data
    expect(cases[1]).toEqual(['Cases opened', '4'])
  })

  it('HTML: one self-contained file whose tables show the same figures', async () => {
    const html = await readFile(join(out, 'oct.html'), 'utf8')
    expect(html).not.toMatch(/<script(?![^>]*application\/json)/)
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//)
    const { document } = parseHTML(html)
    expect(document.querySelector('.report-business')?.textContent).toBe('Golden Dragon Bistro')
    expect(document.querySelectorAll('svg').length).toBeGreaterThanOrEqual(4)
    for (const table of reportTables(report, t)) {
      const element = document.querySelector(`section[data-section="${table.id}"] table`)
      expect(element?.querySelector('caption')?.textContent).toBe(table.title)
      const rows = [...(element?.querySelectorAll('tbody tr') ?? [])]
      if (table.rows.length === 0) continue
      expect(rows).toHaveLength(table.rows.length)
      table.rows.forEach((row, ri) => {
        const cells = [...(rows[ri]?.querySelectorAll('th, td') ?? [])]
        expect(cells.map((c) => c.textContent)).toEqual(row.cells.map((cell) => formatCell(cell, 'en', t)))
      })
    }
    const embedded = Report.parse(JSON.parse(document.querySelector('#report-data')?.textContent ?? ''))
    expect(embedded).toEqual(report)
  })

  it('PDF: pdftotext finds every figure of every section next to its label', async () => {
    const { stdout } = await run('pdftotext', ['-layout', join(out, 'oct.pdf'), '-'])
    const lines = stdout.split('\n')
    expect(stdout).toContain('Golden Dragon Bistro')
    expect(stdout).toContain('Monthly escalation report')
    expect(stdout).toMatch(/Page 1 of \d/)
    for (const table of reportTables(report, t)) {
      expect(stdout).toContain(table.title)
      for (const row of table.rows) {
        // A long text cell wraps at spaces within its column: its first word is on the row's first line.
        const texts = row.cells
          .map((cell) => {
            const shown = formatCell(cell, 'en', t)
            return cell.kind === 'text' && shown.length > 24 ? (shown.split(' ')[0] ?? '') : shown
          })
          .filter(Boolean)
        const line = lines.find((l) => texts.every((x) => l.includes(x)))
        expect(line, `${table.id}: ${texts.join(' | ')}`).toBeDefined()
      }
    }
    // The Cases and Recovery sections end their line with the figure (the headline table adds comparisons).
    expect(lines.filter((l) => l.includes('Median hours to resolution')).some((l) => /48\.0\s*$/.test(l))).toBe(true)
    expect(lines.filter((l) => l.includes('Would come back')).some((l) => /50%\s*$/.test(l))).toBe(true)
  })

  it('PDF on US Letter, and the Chinese report carries the Chinese category names', async () => {
    const letter = join(out, 'letter.pdf')
    await makegood([
      '--data',
      data,
      '--now',
      now,
      'report',
      '--month',
      '2026-10',
      '--format',
      'pdf',
      '--paper',
      'letter',
      '--out',
      letter,
    ])
    expect((await run('pdfinfo', [letter])).stdout).toMatch(/Page size:\s+612 x 792 pts \(letter\)/)
    expect((await run('pdfinfo', [join(out, 'oct.pdf')])).stdout).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/)

    const zh = join(out, 'zh.pdf')
    const { stderr } = await makegood([
      '--data',
      data,
      '--now',
      now,
      '--lang',
      'zh-CN',
      'report',
      '--month',
      '2026-10',
      '--format',
      'pdf',
      '--out',
      zh,
    ])
    expect(stderr).toContain('已写入')
    const { stdout } = await run('pdftotext', ['-layout', zh, '-'])
    for (const name of ['等待时间过长', '环境脏乱或卫生差', '态度恶劣或冷漠', '月度升级报告', '前五大投诉类别'])
      expect(stdout).toContain(name)
    expect(stdout).toMatch(/第 1 页，共 \d 页/)
    const fonts = (await run('pdffonts', [zh])).stdout
    expect(fonts).toMatch(/NotoSans\S*\s+CID/)
  })

  it.each(['en', 'zh-TW', 'hu'] as const)(
    'the CLI report in %s: the PDF text carries the translated headings',
    async (lang) => {
      const t = await translator(lang)
      const file = join(out, `report-${lang}.pdf`)
      await makegood([
        '--data',
        data,
        '--now',
        now,
        '--lang',
        lang,
        'report',
        '--month',
        '2026-10',
        '--format',
        'pdf',
        '--out',
        file,
      ])
      // pdftotext without -layout keeps each heading on its own line.
      const { stdout } = await run('pdftotext', [file, '-'])
      const text = stdout.replace(/\s+/g, ' ')
      for (const key of [
        'report:title',
        'report:section.topCategories',
        'report:section.departments',
        'cases:category.long-wait',
      ])
        expect(text, key).toContain(t(key))
    },
  )

  it('the API gives the same model and one downloadable file per format (CSV zipped)', async () => {
    const ctx = await openContext(data, { now, isReadOnly: true })
    const viaApi = await dispatch(ctx, 'reports:get', { month: '2026-10', locale: 'en' })
    expect(viaApi).toEqual({ ok: true, value: report })
    const csv = await dispatch(ctx, 'reports:export', { month: '2026-10', format: 'csv', locale: 'en' })
    if (!csv.ok) throw new Error(csv.error.message)
    expect(csv.value.fileName).toBe('makegood-report-2026-10-csv.zip')
    const zip = await JSZip.loadAsync(Buffer.from(csv.value.base64, 'base64'))
    const summary = await zip.file('makegood-report-2026-10/cases.csv')?.async('string')
    expect(summary).toBe(await readFile(join(out, 'csv', 'cases.csv'), 'utf8'))
    const pdf = await dispatch(ctx, 'reports:export', { month: '2026-10', format: 'pdf', paper: 'letter' })
    expect(pdf.ok && Buffer.from(pdf.value.base64, 'base64').subarray(0, 5).toString()).toBe('%PDF-')
    const bad = await dispatch(ctx, 'reports:get', { month: '2026-13' })
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
  })

  it('the CLI refuses a bad month or format with exit code 2', async () => {
    const failure = await makegood([
      '--data',
      data,
      'report',
      '--month',
      '10/2026',
      '--format',
      'pdf',
      '--out',
      join(out, 'x.pdf'),
    ]).catch((error: { code: number; stderr: string }) => error)
    expect(failure).toMatchObject({ code: 2 })
    expect((failure as { stderr: string }).stderr).toContain('--month must be YYYY-MM')
    const format = await makegood(['--data', data, 'report', '--format', 'doc', '--out', join(out, 'x.doc')]).catch(
      (error: { code: number; stderr: string }) => error,
    )
    expect(format).toMatchObject({ code: 2 })
  })
})
