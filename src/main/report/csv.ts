import Papa from 'papaparse'
import { type Report, type Translate } from '../../shared/reports/report'
import { type Cell, reportTables } from '../../shared/reports/reportTables'

/** A byte-order mark, so spreadsheet programs read the UTF-8 (and the Chinese) correctly. */
const bom = '\uFEFF'

/** A CSV value: numbers as plain numbers (rates as fractions, as in the JSON), yes/no as words. */
function csvValue(cell: Cell, t: Translate): string | number {
  if (cell.value === null) return ''
  if (typeof cell.value === 'boolean') return cell.value ? t('report:yes') : t('report:no')
  return cell.value
}

/** One CSV file per section: `[fileName, content]`, named by the section's stable id. */
export function renderReportCsv(report: Report, t: Translate): [string, string][] {
  return reportTables(report, t).map((table) => [
    `${table.id}.csv`,
    bom +
      Papa.unparse(
        {
          fields: table.columns.map((c) => c.label),
          data: table.rows.map((row) => row.cells.map((cell) => csvValue(cell, t))),
        },
        { newline: '\r\n' },
      ) +
      '\r\n',
  ])
}
