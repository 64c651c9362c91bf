import Papa from 'papaparse'
import { type Report, type Translate } from '../../shared/reports/report'
import { type Cell, formatCell, reportTables } from '../../shared/reports/reportTables'

/** A byte-order mark, so spreadsheet programs read the UTF-8 (and the Chinese) correctly. */
const bom = '\uFEFF'

/**
 * A text cell a spreadsheet would run as a formula (`=HYPERLINK(…)`, `@SUM(…)`, `+`, `-`, tab,
 * carriage return), unless it is only a number written as text ("-3", "-2.5"), which a
 * spreadsheet reads as that number and nothing else. Cells typed as numbers are never touched.
 */
const formulaLeading = /^(?![+-]?\d+(?:\.\d+)?$)[=+\-@\t\r]/

/**
 * Every CSV MakeGood writes goes through here. Formula-leading text gets a single quote in
 * front, inside a quoted cell, as OWASP's "CSV injection" advice says: a name typed by anyone
 * (a customer, a department, a category) must not run in the spreadsheet of whoever opens the file.
 */
export function csvText(fields: string[], rows: (string | number)[][]): string {
  return Papa.unparse({ fields, data: rows }, { newline: '\r\n', escapeFormulae: formulaLeading }) + '\r\n'
}

/** A CSV value: numbers as plain numbers (rates as fractions, as in the JSON), amounts with their currency, yes/no as words. */
function csvValue(cell: Cell, report: Report, t: Translate): string | number {
  if (cell.value === null) return ''
  if (typeof cell.value === 'boolean') return cell.value ? t('report:yes') : t('report:no')
  // An amount without its currency is a guess for whoever reads the file: written as the report shows it.
  if (cell.kind === 'money') return formatCell(cell, report.locale, t)
  return cell.value
}

/** One CSV file per section: `[fileName, content]`, named by the section's stable id. */
export function renderReportCsv(report: Report, t: Translate): [string, string][] {
  return reportTables(report, t).map((table) => [
    `${table.id}.csv`,
    bom +
      csvText(
        table.columns.map((c) => c.label),
        table.rows.map((row) => row.cells.map((cell) => csvValue(cell, report, t))),
      ),
  ])
}
