import Papa from 'papaparse'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type CsvField, type CsvImportReport, type CsvMapping, csvFields, mapCsvRow } from '../../../shared/csvImport'
import { type ApiError } from '../../../shared/errors'
import { type Locale, type Settings } from '../../../shared/schemas'
import { api } from '../api'
import { Choice, asOptions } from '../components/Choice'
import { Field } from '../components/Field'
import { formatDateTime } from '../format'
import { asApiError, useErrorText } from '../hooks'

type Parsed = { name: string; text: string; header: string[]; rows: Record<string, string>[] }

const previewRows = 5

/** Header and the first rows only: the whole file is parsed by the service on Check/Import. */
function parseHead(name: string, text: string): Parsed {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), {
    skipEmptyLines: 'greedy',
    preview: previewRows + 1,
  })
  const [first = [], ...rest] = parsed.data
  const header = first.map((h) => h.trim())
  const rows = rest.map((cells) => Object.fromEntries(header.map((h, i) => [h, cells[i] ?? ''])))
  return { name, text, header, rows }
}

/** A column whose header names the field (its key or its translated name), ignoring case. */
function guessColumns(header: string[], labelOf: (field: CsvField) => string): Partial<Record<CsvField, string>> {
  const columns: Partial<Record<CsvField, string>> = {}
  for (const field of csvFields) {
    const names = [field.toLowerCase(), labelOf(field).toLowerCase()]
    const match = header.find((h) => names.includes(h.toLowerCase()))
    if (match) columns[field] = match
  }
  return columns
}

/** Settings → Import complaints: pick a CSV, map its columns, preview, Check (dry run), Import. */
export function ImportComplaintsSection({ settings }: { settings: Settings }) {
  const { t, i18n } = useTranslation()
  const locale = (i18n.resolvedLanguage ?? 'en') as Locale
  const errorText = useErrorText()
  const [file, setFile] = useState<Parsed>()
  const [columns, setColumns] = useState<Partial<Record<CsvField, string>>>({})
  const [dateFormat, setDateFormat] = useState('')
  const [isSkipInvalid, setIsSkipInvalid] = useState(false)
  const [report, setReport] = useState<{ isCheck: boolean; report: CsvImportReport }>()
  const [error, setError] = useState<ApiError>()
  const [isBusy, setIsBusy] = useState(false)
  const labelOf = (field: CsvField) => t(`storage:importUi.fields.${field}`)

  async function choose(chosen: File | undefined) {
    setReport(undefined)
    setError(undefined)
    if (!chosen) {
      setFile(undefined)
      return
    }
    const parsed = parseHead(chosen.name, await chosen.text())
    setFile(parsed)
    setColumns(guessColumns(parsed.header, labelOf))
  }

  const mapping: CsvMapping = {
    columns,
    ...(dateFormat.trim() ? { dateFormat: dateFormat.trim() } : {}),
    defaults: {},
    values: {},
  }
  const isMapped = columns.receivedAt !== undefined && columns.summary !== undefined
  const mappedFields = csvFields.filter((f) => columns[f] !== undefined)
  const categories = new Set(settings.categories.map((c) => c.id))
  // A mapped row shows dates as the app shows them, so a wrong date format is easy to spot.
  const showCell = (field: CsvField, mapped: string | undefined) =>
    mapped !== undefined && (field === 'receivedAt' || field === 'closedAt') ? formatDateTime(mapped, locale) : mapped

  async function run(isDryRun: boolean) {
    if (!file) return
    setIsBusy(true)
    try {
      // A check counts what the valid rows would give, whether or not invalid rows will be skipped.
      const result = await api('imports:complaints', {
        csv: file.text,
        mapping,
        isDryRun,
        isSkipInvalid: isDryRun || isSkipInvalid,
      })
      setReport({ isCheck: isDryRun, report: result })
      setError(undefined)
    } catch (caught) {
      setReport(undefined)
      setError(asApiError(caught))
    } finally {
      setIsBusy(false)
    }
  }

  return (
    <section className="card" aria-labelledby="import-complaints-title">
      <h2 id="import-complaints-title">{t('storage:importUi.title')}</h2>
      <p className="muted small">{t('storage:importUi.hint')}</p>
      <Field label={t('storage:importUi.file')}>
        {(p) => <input {...p} type="file" accept=".csv,text/csv" onChange={(e) => void choose(e.target.files?.[0])} />}
      </Field>
      {file ? (
        <>
          <fieldset className="form-grid">
            <legend>{t('storage:importUi.mapping')}</legend>
            {csvFields.map((field) => (
              <Field key={field} label={labelOf(field)}>
                {(p) => (
                  <Choice
                    {...p}
                    value={columns[field] ?? ''}
                    emptyLabel={t('storage:importUi.notMapped')}
                    options={asOptions(file.header)}
                    onChange={(column) => {
                      setReport(undefined)
                      setColumns((current) => {
                        const next = { ...current }
                        if (column === '') delete next[field]
                        else next[field] = column
                        return next
                      })
                    }}
                  />
                )}
              </Field>
            ))}
            <Field label={t('storage:importUi.dateFormat')}>
              {(p) => (
                <input
                  {...p}
                  value={dateFormat}
                  placeholder="dd.MM.yyyy HH:mm"
                  onChange={(e) => {
                    setReport(undefined)
                    setDateFormat(e.target.value)
                  }}
                />
              )}
            </Field>
          </fieldset>
          {!isMapped ? <p className="muted">{t('storage:importUi.needsRequired')}</p> : null}
          <div>
            <table aria-label={t('storage:importUi.preview')}>
              <caption>{t('storage:importUi.preview')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('storage:importUi.row')}</th>
                  {mappedFields.map((f) => (
                    <th key={f} scope="col">
                      {labelOf(f)}
                    </th>
                  ))}
                  <th scope="col">{t('storage:importUi.problems')}</th>
                </tr>
              </thead>
              <tbody>
                {file.rows.map((record, i) => {
                  // Rows are numbered as in a spreadsheet: the header is row 1.
                  const row = i + 2
                  const mapped = isMapped ? mapCsvRow(record, row, mapping, categories) : undefined
                  const value = mapped?.value as Record<string, string | undefined> | undefined
                  return (
                    <tr key={row}>
                      <th scope="row">{row}</th>
                      {mappedFields.map((f) => (
                        <td key={f} className="preview-cell">
                          {showCell(f, value?.[f]) ?? record[columns[f] ?? ''] ?? ''}
                        </td>
                      ))}
                      <td>{mapped?.errors.map((e) => `${e.column}: ${e.reason}`).join('; ')}</td>
                    </tr>
                  )
                })}
              </tbody>
            </table>
          </div>
          <div className="inline">
            <button type="button" disabled={!isMapped || isBusy} onClick={() => void run(true)}>
              {t('storage:importUi.check')}
            </button>
            <label className="checkbox">
              <input type="checkbox" checked={isSkipInvalid} onChange={(e) => setIsSkipInvalid(e.target.checked)} />
              {t('storage:importUi.skipInvalid')}
            </label>
            <button type="button" className="primary" disabled={!isMapped || isBusy} onClick={() => void run(false)}>
              {t('storage:importUi.import')}
            </button>
          </div>
        </>
      ) : null}
      {error ? <p role="alert">{errorText(error)}</p> : null}
      {report ? <ImportReport {...report} /> : null}
    </section>
  )
}

function ImportReport({ isCheck, report }: { isCheck: boolean; report: CsvImportReport }) {
  const { t } = useTranslation()
  const counts = {
    rows: report.rows,
    created: report.created,
    duplicates: report.duplicates,
    invalid: report.invalid,
  }
  // An Import refused because of invalid rows comes back as a dry run.
  const text = isCheck
    ? t('storage:importUi.checked', counts)
    : report.isDryRun
      ? t('storage:importUi.nothingWritten', { count: report.invalid })
      : t('storage:importUi.imported', counts)
  return (
    <div>
      <p role="status">{text}</p>
      {report.errors.length > 0 ? (
        <table aria-label={t('storage:importUi.invalidRows')}>
          <caption>{t('storage:importUi.invalidRows')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('storage:importUi.row')}</th>
              <th scope="col">{t('storage:importUi.column')}</th>
              <th scope="col">{t('storage:importUi.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {report.errors.map((e) => (
              <tr key={`${e.row}-${e.column}-${e.reason}`}>
                <td>{e.row}</td>
                <td>{e.column}</td>
                <td>{e.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  )
}
