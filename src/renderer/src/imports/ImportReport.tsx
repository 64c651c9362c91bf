import { type TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import { type CsvImportReport, type RowError } from '../../../shared/imports/csvImport'
import { rowErrorText } from '../../../shared/imports/csvImportText'
import { VirtualList } from '../components/VirtualList'

/** The file's column, with the field it fills when that helps ("Type (Category)"). */
export function columnName(t: TFunction, e: RowError): string {
  const field = t(`imports:fields.${e.field}`)
  return e.column === e.field || e.column === field ? field : t('imports:ui.columnOfField', { column: e.column, field })
}

/** What a Check or an Import did, and every invalid row with its reason. */
export function ImportReport({ isCheck, report }: { isCheck: boolean; report: CsvImportReport }) {
  const { t } = useTranslation()
  const counts = {
    rows: report.rows,
    created: report.created,
    duplicates: report.duplicates,
    invalid: report.invalid,
  }
  // An Import refused because of invalid rows comes back as a dry run.
  const text = isCheck
    ? t('imports:ui.checked', counts)
    : report.isDryRun
      ? t('imports:ui.nothingWritten', { count: report.invalid })
      : t('imports:ui.imported', counts)
  return (
    <div className="import-report">
      <p role="status" className={!isCheck && report.isDryRun ? 'warning' : undefined}>
        {text}
      </p>
      {report.errors.length > 0 ? (
        <>
          <h3 id="import-invalid-title">{t('imports:ui.invalidRows')}</h3>
          {/* A file may have 100k bad rows: only those on screen are in the page. */}
          <VirtualList
            items={report.errors}
            rowHeight={30}
            label={t('imports:ui.invalidRows')}
            className="virtual-scroll import-errors"
            getKey={(e) => `${e.row}-${e.field}-${e.reason}`}
            renderRow={(e) => (
              <div className="import-error-row" title={rowErrorText(t, e)}>
                <span className="import-error-where">{t('imports:ui.rowNumber', { row: e.row })}</span>
                <span className="import-error-where">{columnName(t, e)}</span>
                <span className="import-error-reason">{rowErrorText(t, e)}</span>
              </div>
            )}
          />
        </>
      ) : null}
    </div>
  )
}
