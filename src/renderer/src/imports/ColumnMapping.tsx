import { useTranslation } from 'react-i18next'
import { type CsvField, commonDateFormats, csvFields } from '../../../shared/imports/csvImport'
import { Choice, asOptions } from '../components/Choice'
import { Field } from '../components/Field'

/** Which column of the file fills each of our fields. */
export type Columns = Partial<Record<CsvField, string>>

type Props = {
  header: string[]
  columns: Columns
  onColumns: (next: Columns) => void
  dateFormat: string
  /** The format shown was guessed from the file, not typed: said so under the input. */
  isDateFormatGuessed: boolean
  onDateFormat: (next: string) => void
}

/** The import's column mapping: a column per field, and how the file writes its dates. */
export function ColumnMapping({ header, columns, onColumns, dateFormat, isDateFormatGuessed, onDateFormat }: Props) {
  const { t } = useTranslation()
  return (
    <fieldset className="form-grid">
      <legend>{t('imports:ui.mapping')}</legend>
      {csvFields.map((field) => (
        <Field key={field} label={t(`imports:fields.${field}`)}>
          {(p) => (
            <Choice
              {...p}
              value={columns[field] ?? ''}
              emptyLabel={t('imports:ui.notMapped')}
              options={asOptions(header)}
              onChange={(column) => {
                const next = { ...columns }
                if (column === '') delete next[field]
                else next[field] = column
                onColumns(next)
              }}
            />
          )}
        </Field>
      ))}
      <div className="field date-format">
        <Field label={t('imports:ui.dateFormat')}>
          {(p) => (
            <input
              {...p}
              value={dateFormat}
              list="import-date-formats"
              placeholder="dd.MM.yyyy HH:mm"
              aria-describedby="import-date-format-hint"
              onChange={(e) => onDateFormat(e.target.value)}
            />
          )}
        </Field>
        <datalist id="import-date-formats">
          {commonDateFormats.map((f) => (
            <option key={f} value={f} />
          ))}
        </datalist>
        <div id="import-date-format-hint" className="muted small">
          {isDateFormatGuessed ? <p>{t('imports:ui.dateFormatGuessed')}</p> : null}
          <p>{t('imports:ui.dateFormatHint')}</p>
        </div>
      </div>
    </fieldset>
  )
}
