import { useTranslation } from 'react-i18next'
import { recordOf } from '../../../shared/core/csv'
import { type CsvField, type CsvMapping, mapCsvRow } from '../../../shared/imports/csvImport'
import { rowErrorText } from '../../../shared/imports/csvImportText'
import { type Columns } from './ColumnMapping'
import { columnName } from './ImportReport'

const previewRows = 5

type Props = {
  file: { header: string[]; rows: string[][] }
  /** The fields shown: those mapped to a column or given a default. */
  fields: CsvField[]
  columns: Columns
  /** Undefined until the required columns are mapped: the rows are then shown as in the file. */
  mapping: CsvMapping | undefined
  categories: ReadonlySet<string>
  showValue: (field: CsvField, value: string | undefined) => string | undefined
}

/** The file's first rows as they will be imported, each with its problems. */
export function ImportPreview({ file, fields, columns, mapping, categories, showValue }: Props) {
  const { t } = useTranslation()
  return (
    <div className="table-card">
      <table className="import-preview" aria-label={t('imports:ui.preview')}>
        <caption>{t('imports:ui.preview')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('imports:ui.row')}</th>
            {fields.map((f) => (
              <th key={f} scope="col">
                {t(`imports:fields.${f}`)}
              </th>
            ))}
            <th scope="col">{t('imports:ui.problems')}</th>
          </tr>
        </thead>
        <tbody>
          {file.rows.slice(0, previewRows).map((cells, i) => {
            // Rows are numbered as in a spreadsheet: the header is row 1.
            const row = i + 2
            const record = recordOf(file.header, cells)
            const mapped = mapping ? mapCsvRow(record, row, mapping, categories) : undefined
            const value = mapped?.value as Record<string, string | undefined> | undefined
            return (
              <tr key={row} className={mapped && mapped.errors.length > 0 ? 'has-problem' : undefined}>
                <th scope="row">{row}</th>
                {fields.map((f) => {
                  // One line per row; the whole text is in the tooltip.
                  const text = showValue(f, value?.[f]) ?? record[columns[f] ?? ''] ?? ''
                  return (
                    <td key={f} className="preview-cell" title={text}>
                      {text}
                    </td>
                  )
                })}
                <td>
                  {mapped?.errors.map((e) => (
                    <div key={e.field}>
                      {t('imports:ui.problemText', { column: columnName(t, e), problem: rowErrorText(t, e) })}
                    </div>
                  ))}
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </div>
  )
}
