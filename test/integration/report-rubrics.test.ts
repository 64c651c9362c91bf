import { execFile } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import { parseHTML } from 'linkedom'
import Papa from 'papaparse'
import { beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/services'
import { type ServiceContext } from '../../src/main/services/context'
import { exportReport, translatorFor } from '../../src/main/services/reports/reports'
import { scoreRubric } from '../../src/main/services/rubrics/rubrics'
import { exportToFile } from '../../src/main/services/storage/exchange'
import { type Report, type Translate } from '../../src/shared/reports/report'
import { formatCell, reportTables } from '../../src/shared/reports/reportTables'
import { openContext, tempDir } from '../helpers/temp'

/**
 * The report's rubric section recounted from the exported data by a second, simple
 * implementation written here: the sample data, some closed cases scored in October and one
 * in November, the October report.
 */

const run = promisify(execFile)
const dims = ['timing', 'information', 'connection', 'differentiation'] as const
type Scores = Record<(typeof dims)[number], number>
type Exported = {
  collections: {
    cases: { id: string; owner: string; department: string; status: string }[]
    rubrics: { caseId: string; scoredAt: string; scores: Scores }[]
  }
}

let ctx: ServiceContext & { setNow: (iso: string) => void }
let data: Exported
let report: Report
let t: Translate

async function file(format: 'csv' | 'xlsx' | 'html' | 'pdf'): Promise<Buffer> {
  const answer = await exportReport(ctx, { month: '2026-10', format, locale: 'en', paper: 'a4' })
  return Buffer.from(answer.base64, 'base64')
}

beforeAll(async () => {
  ctx = await openContext(await tempDir(), { now: '2026-10-05T09:00:00.000Z' })
  const loaded = await dispatch(ctx, 'demo:load', {})
  if (!loaded.ok) throw new Error(loaded.error.message)
  const closed = [...ctx.store.all('cases')]
    .filter((c) => c.status === 'closed')
    .sort((a, b) => a.id.localeCompare(b.id))
  expect(closed.length).toBeGreaterThanOrEqual(8)
  // Eight scores in October (varied levels), one of them given again later in October, one in November.
  for (const [i, c] of closed.slice(0, 8).entries()) {
    ctx.setNow(`2026-10-${String(10 + i).padStart(2, '0')}T12:00:00.000Z`)
    await scoreRubric(ctx, {
      caseId: c.id,
      scores: { timing: 1 + (i % 5), information: 5 - (i % 5), connection: 1 + ((i * 2) % 5), differentiation: 3 },
      comment: `Scored ${i}`,
    })
  }
  ctx.setNow('2026-10-30T12:00:00.000Z')
  await scoreRubric(ctx, {
    caseId: closed[0]!.id,
    scores: { timing: 5, information: 5, connection: 5, differentiation: 5 },
  })
  ctx.setNow('2026-11-03T12:00:00.000Z')
  await scoreRubric(ctx, {
    caseId: closed[8]!.id,
    scores: { timing: 1, information: 1, connection: 1, differentiation: 1 },
  })
  ctx.setNow('2026-11-25T10:00:00.000Z')
  const exported = join(await tempDir(), 'export.json')
  await exportToFile(ctx, exported)
  data = JSON.parse(await readFile(exported, 'utf8')) as Exported
  const json = await exportReport(ctx, { month: '2026-10', format: 'json', locale: 'en', paper: 'a4' })
  report = JSON.parse(Buffer.from(json.base64, 'base64').toString('utf8')) as Report
  t = await translatorFor('en')
})

/** The recount: October scores grouped by the case's owner or department, plain means to 2 decimals. */
function recount(by: 'owner' | 'department') {
  const cases = new Map(data.collections.cases.map((c) => [c.id, c]))
  const groups: Record<string, Scores[]> = {}
  for (const r of data.collections.rubrics) {
    if (!r.scoredAt.startsWith('2026-10')) continue
    const key = cases.get(r.caseId)![by]
    ;(groups[key] ??= []).push(r.scores)
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
  const r2 = (x: number) => Math.round(x * 100) / 100
  return Object.keys(groups)
    .sort((a, b) => a.localeCompare(b))
    .map((name) => {
      const list = groups[name]!
      const means = dims.map((d) => mean(list.map((s) => s[d])))
      return {
        name,
        count: list.length,
        ...Object.fromEntries(dims.map((d, i) => [d, r2(means[i]!)])),
        overall: r2(mean(means)),
      }
    })
}

describe('rubric averages in the monthly report', () => {
  it('JSON key `rubrics`: per person and per department, recounted from the export', () => {
    expect(report.rubrics.scored).toBe(8)
    expect(report.rubrics.people).toEqual(recount('owner'))
    expect(report.rubrics.departments).toEqual(recount('department'))
    const all = data.collections.rubrics.filter((r) => r.scoredAt.startsWith('2026-10'))
    const overall = dims.map((d) => all.reduce((a, r) => a + r.scores[d], 0) / all.length)
    expect(report.rubrics.average?.timing).toBe(Math.round(overall[0]! * 100) / 100)
    // The keys the report had before are all still there.
    for (const key of ['iceberg', 'cases', 'promises', 'recovery', 'churn', 'departments', 'trend'])
      expect(report).toHaveProperty(key)
  })

  it('every format carries both rubric tables with the same figures', async () => {
    const tables = reportTables(report, t).filter((x) => x.id.startsWith('rubric'))
    expect(tables.map((x) => x.id)).toEqual(['rubricPeople', 'rubricDepartments'])
    expect(tables[0]!.rows.length).toBe(report.rubrics.people.length)
    const texts = (row: (typeof tables)[number]['rows'][number]) => row.cells.map((c) => formatCell(c, 'en', t))

    const zip = await JSZip.loadAsync(await file('csv'))
    for (const table of tables) {
      const csv = await zip.file(`makegood-report-2026-10/${table.id}.csv`)!.async('string')
      const rows = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data
      expect(rows[0]).toEqual(table.columns.map((c) => c.label))
      expect(rows.slice(1).map((r) => Number(r[6]))).toEqual(table.rows.map((r) => r.cells[6]!.value))
    }

    const workbook = new ExcelJS.Workbook()
    const xlsx = await file('xlsx')
    await workbook.xlsx.load(xlsx.buffer.slice(xlsx.byteOffset, xlsx.byteOffset + xlsx.byteLength) as ArrayBuffer)
    for (const table of tables) {
      const sheet = workbook.worksheets.find((s) => s.name === table.title.slice(0, 31))
      expect(sheet, table.title).toBeDefined()
      const values = sheet!.getSheetValues().filter(Boolean).flat()
      for (const row of table.rows) expect(values).toContain(row.cells[6]!.value)
    }

    const { document } = parseHTML((await file('html')).toString('utf8'))
    for (const table of tables) {
      const element = document.querySelector(`section[data-section="${table.id}"] table`)
      expect(element?.querySelector('caption')?.textContent).toBe(table.title)
      const rows = [...(element?.querySelectorAll('tbody tr') ?? [])]
      expect(rows.map((r) => [...r.querySelectorAll('th, td')].map((c) => c.textContent))).toEqual(
        table.rows.map(texts),
      )
    }

    const pdf = join(await tempDir(), 'oct.pdf')
    await writeFile(pdf, await file('pdf'))
    const { stdout } = await run('pdftotext', ['-layout', pdf, '-'])
    const lines = stdout.split('\n')
    for (const table of tables) {
      expect(stdout).toContain(table.title)
      for (const row of table.rows) {
        const want = texts(row)
        expect(
          lines.find((l) => want.every((x) => l.includes(x))),
          want.join(' | '),
        ).toBeDefined()
      }
    }
  })
})
