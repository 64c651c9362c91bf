import ExcelJS from 'exceljs'
import { type Report, type Translate } from '../../shared/reports/report'
import { type Cell, type ReportTable, formatCell, formatPeriod, reportTables } from '../../shared/reports/reportTables'

const numberFormats: Partial<Record<Cell['kind'], string>> = {
  int: '#,##0',
  decimal: '0.0#',
  money: '#,##0.00',
  percent: '0.0%',
  date: 'yyyy-mm-dd',
  month: 'yyyy-mm',
}

/**
 * Excel's number format for an amount in `currency` as `locale` writes it: the symbol where
 * Intl puts it ("€1,234.50", "1 234 Ft"), so the spreadsheet shows the currency and the cell
 * stays a number.
 */
export function excelMoneyFormat(locale: string, currency: string): string {
  const nf = new Intl.NumberFormat(locale, { style: 'currency', currency })
  const parts = nf.formatToParts(1234.5)
  const digits = nf.resolvedOptions().maximumFractionDigits ?? 2
  const number = `#,##0${digits > 0 ? `.${'0'.repeat(digits)}` : ''}`
  const symbolAt = parts.findIndex((p) => p.type === 'currency')
  const firstNumber = parts.findIndex((p) => p.type === 'integer')
  const symbol = parts[symbolAt]?.value ?? currency
  const quoted = (text: string) => `"${text.replace(/"/g, '')}"`
  if (symbolAt < firstNumber) {
    const gap = parts[symbolAt + 1]?.type === 'literal' ? (parts[symbolAt + 1]?.value ?? '') : ''
    return `${quoted(symbol + gap)}${number}`
  }
  const gap = parts[symbolAt - 1]?.type === 'literal' ? (parts[symbolAt - 1]?.value ?? '') : ''
  return `${number}${quoted(gap + symbol)}`
}

/** A cell's value as Excel wants it: numbers as numbers, dates as dates, yes/no as words. */
function excelValue(cell: Cell, report: Report, t: Translate): ExcelJS.CellValue {
  const { value } = cell
  if (value === null) return null
  if (typeof value === 'boolean') return formatCell(cell, report.locale, t)
  if (cell.kind === 'date') return new Date(String(value).length === 10 ? `${String(value)}T00:00:00Z` : String(value))
  if (cell.kind === 'month') return new Date(`${String(value)}-01T00:00:00Z`)
  return value
}

/** Sheet names: at most 31 characters, none of : \ / ? * [ ]. */
function sheetName(title: string, used: Set<string>): string {
  const base =
    title
      .replace(/[:\\/?*[\]]/g, ' ')
      .slice(0, 31)
      .trim() || 'Sheet'
  let name = base
  for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base.slice(0, 28)} ${i}`
  used.add(name.toLowerCase())
  return name
}

function addTableSheet(
  workbook: ExcelJS.Workbook,
  table: ReportTable,
  report: Report,
  t: Translate,
  used: Set<string>,
) {
  const sheet = workbook.addWorksheet(sheetName(table.title, used), {
    views: [{ state: 'frozen', ySplit: 1 }],
  })
  sheet.columns = table.columns.map((c, i) => {
    const texts = [c.label, ...table.rows.map((r) => formatCell(r.cells[i] as Cell, report.locale, t))]
    // CJK characters are about twice as wide as Latin ones in a spreadsheet column.
    const width = Math.max(...texts.map((s) => [...s].reduce((n, ch) => n + (/\p{Script=Han}/u.test(ch) ? 2 : 1), 0)))
    return { header: c.label, key: c.key, width: Math.min(60, Math.max(10, width + 2)) }
  })
  sheet.getRow(1).font = { bold: true }
  for (const row of table.rows) {
    const added = sheet.addRow(row.cells.map((cell) => excelValue(cell, report, t)))
    row.cells.forEach((cell, i) => {
      const numFmt =
        cell.kind === 'money' && cell.currency
          ? excelMoneyFormat(report.locale, cell.currency)
          : numberFormats[cell.kind]
      if (numFmt && cell.value !== null && typeof cell.value !== 'boolean') added.getCell(i + 1).numFmt = numFmt
      if (cell.kind === 'text') added.getCell(i + 1).alignment = { wrapText: true, vertical: 'top' }
    })
  }
  if (table.note) {
    sheet.addRow([])
    sheet.addRow([table.note]).font = { italic: true }
  }
}

/** One sheet per section, typed cells, set widths and a frozen header row. */
export async function renderReportXlsx(report: Report, t: Translate): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook()
  workbook.creator = 'MakeGood'
  workbook.created = new Date(report.generatedAt)
  workbook.title = `${t('report:title')} ${formatPeriod(report, t)}`
  const used = new Set<string>()
  const about = workbook.addWorksheet(sheetName(t('report:title'), used))
  about.columns = [{ width: 28 }, { width: 40 }]
  about.addRow([report.businessName || t('report:noBusinessName')]).font = { bold: true, size: 14 }
  about.addRow([t('report:title')]).font = { bold: true }
  about.addRow([t('report:column.from'), new Date(`${report.period.from}T00:00:00Z`)]).getCell(2).numFmt = 'yyyy-mm-dd'
  about.addRow([t('report:column.to'), new Date(`${report.period.to}T00:00:00Z`)]).getCell(2).numFmt = 'yyyy-mm-dd'
  about.addRow([t('report:generated', { when: '' }).trim(), new Date(report.generatedAt)]).getCell(2).numFmt =
    'yyyy-mm-dd hh:mm'
  about.addRow([t('insights:currency'), report.currency])
  for (const table of reportTables(report, t)) addTableSheet(workbook, table, report, t, used)
  return Buffer.from(await workbook.xlsx.writeBuffer())
}
