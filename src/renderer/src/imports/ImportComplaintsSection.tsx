import { format } from 'date-fns'
import { useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import {
  type CsvField,
  type CsvImportReport,
  CsvMapping,
  type ValueField,
  columnSynonyms,
  csvFields,
  distinctValues,
  fieldFallbacks,
  guessDateFormat,
  valueFields,
} from '../../../shared/imports/csvImport'
import { categoryLabel } from '../../../shared/cases/categoryLabel'
import { readCsv, recordOf } from '../../../shared/core/csv'
import { type ApiError } from '../../../shared/core/errors'
import { dateLocaleOf } from '../../../shared/core/i18n/dateLocales'
import { type Locale, type Settings } from '../../../shared/schemas'
import { Choice, type ChoiceOption } from '../components/Choice'
import { Field } from '../components/Field'
import { formatDateTime } from '../format'
import { asApiError, useApiCall, useErrorText } from '../hooks'
import { logFailure } from '../logFailure'
import sampleCsv from '../../../../resources/demo/complaints-sample.csv?raw'
import { ColumnMapping, type Columns } from './ColumnMapping'
import { ImportPreview } from './ImportPreview'
import { ImportReport } from './ImportReport'
import { ValueFieldBlock, guessValue, ourOptions } from './ValueMapping'
import './importComplaints.css'

/** The whole file as parsed in the window: the header, and every row as an array of cells. */
type Parsed = { name: string; text: string; header: string[]; rows: string[][] }
/** The user's choices for a value of the file: our value, or '' to keep it as it is. */
type ValueChoices = Partial<Record<ValueField, Record<string, string>>>

/** Rows sampled to guess the date format: enough to tell 03/14 from 14/03. */
const dateSamples = 200

function parseFile(name: string, text: string): Parsed {
  const { header, rows } = readCsv(text)
  return { name, text, header, rows }
}

/** A column whose header names the field (its key or its translated name), ignoring case. */
function guessColumns(header: string[], labelsOf: (field: CsvField) => string[]): Columns {
  const columns: Columns = {}
  for (const field of csvFields) {
    const names = [field, ...labelsOf(field), ...columnSynonyms[field]].map((name) => name.toLowerCase())
    // A column already taken by an earlier field is not offered twice.
    const taken = new Set(Object.values(columns))
    const match = header.find((h) => !taken.has(h) && names.includes(h.toLowerCase()))
    if (match) columns[field] = match
  }
  return columns
}

/** Settings → Import complaints: pick a CSV, map its columns and values, preview, Check (dry run), Import. */
export function ImportComplaintsSection({ settings }: { settings: Settings }) {
  const { t, i18n } = useTranslation()
  const call = useApiCall()
  const locale = (i18n.resolvedLanguage ?? 'en') as Locale
  const errorText = useErrorText()
  const [file, setFile] = useState<Parsed>()
  const [columns, setColumns] = useState<Columns>({})
  const [dateFormat, setDateFormat] = useState('')
  const [isDateFormatGuessed, setIsDateFormatGuessed] = useState(false)
  const [defaults, setDefaults] = useState<Partial<Record<ValueField, string>>>({})
  const [valueChoices, setValueChoices] = useState<ValueChoices>({})
  const [isSkipInvalid, setIsSkipInvalid] = useState(false)
  const [report, setReport] = useState<{ isCheck: boolean; report: CsvImportReport }>()
  const [error, setError] = useState<ApiError>()
  const [busy, setBusy] = useState<'check' | 'import'>()
  const [isRemembered, setIsRemembered] = useState(false)
  const labelOf = (field: CsvField) => t(`imports:fields.${field}`)
  // Files from other systems are often in English whatever language this app speaks.
  const english = useMemo(() => i18n.getFixedT('en'), [i18n])

  // Distinct values of every column, counted once per file (a 100k-row file is parsed once too).
  const distinctByColumn = useMemo(() => {
    const byColumn = new Map<string, { value: string; count: number }[]>()
    if (!file) return byColumn
    const records = file.rows.map((cells) => recordOf(file.header, cells))
    for (const column of file.header) byColumn.set(column, distinctValues(records, column))
    return byColumn
  }, [file])
  const options = useMemo(
    () =>
      Object.fromEntries(valueFields.map((f) => [f, ourOptions(t, settings, f)])) as Record<ValueField, ChoiceOption[]>,
    [t, settings],
  )
  const englishOptions = useMemo(
    () =>
      Object.fromEntries(valueFields.map((f) => [f, ourOptions(english, settings, f)])) as Record<
        ValueField,
        ChoiceOption[]
      >,
    [english, settings],
  )

  /** Sets the column mapping; a date format not typed by the user follows the Received column. */
  function applyColumns(
    next: Columns,
    parsed: Parsed | undefined = file,
    isTyped = !isDateFormatGuessed && dateFormat !== '',
  ) {
    setColumns(next)
    setReport(undefined)
    if (isTyped || !parsed) return
    const index = next.receivedAt !== undefined ? parsed.header.indexOf(next.receivedAt) : -1
    const guessed =
      index >= 0 ? guessDateFormat(parsed.rows.slice(0, dateSamples).map((r) => r[index] ?? '')) : undefined
    setDateFormat(guessed ?? '')
    setIsDateFormatGuessed(guessed !== undefined)
  }

  async function choose(chosen: File | undefined) {
    if (!chosen) {
      setFile(undefined)
      setReport(undefined)
      setError(undefined)
      return
    }
    openText(chosen.name, await chosen.text())
  }

  function openText(name: string, text: string) {
    setReport(undefined)
    setError(undefined)
    const parsed = parseFile(name, text)
    setFile(parsed)
    // A file with the columns of the last import (next month's export) gets that mapping again.
    const last = rememberedFor(parsed.header)
    setIsRemembered(last !== undefined)
    if (last) {
      setValueChoices(last.values)
      setDefaults(last.defaults)
      setDateFormat(last.dateFormat ?? '')
      setIsDateFormatGuessed(false)
      applyColumns(last.columns, parsed, true)
      return
    }
    setValueChoices({})
    setDefaults({})
    setDateFormat('')
    setIsDateFormatGuessed(false)
    const labelsOf = (field: CsvField) => [labelOf(field), english(`imports:fields.${field}`)]
    applyColumns(guessColumns(parsed.header, labelsOf), parsed, false)
  }

  function rememberedFor(header: string[]): CsvMapping | undefined {
    const saved = CsvMapping.safeParse(settings.imports.lastComplaintMapping)
    if (!saved.success) return undefined
    return Object.values(saved.data.columns).every((column) => header.includes(column)) ? saved.data : undefined
  }

  /** For each value field mapped to a column: file value → ours, chosen or matched automatically. */
  const valueMaps = useMemo(() => {
    const maps: Partial<Record<ValueField, Record<string, string>>> = {}
    for (const field of valueFields) {
      const column = columns[field]
      if (column === undefined) continue
      const map: Record<string, string> = {}
      for (const { value } of distinctByColumn.get(column) ?? []) {
        const ours =
          valueChoices[field]?.[value] ??
          (guessValue(options[field], value) || guessValue(englishOptions[field], value))
        if (ours !== '' && ours !== value) map[value] = ours
      }
      if (Object.keys(map).length > 0) maps[field] = map
    }
    return maps
  }, [columns, distinctByColumn, valueChoices, options, englishOptions])

  const mapping: CsvMapping = {
    columns,
    ...(dateFormat.trim() ? { dateFormat: dateFormat.trim() } : {}),
    defaults: Object.fromEntries(Object.entries(defaults).filter(([, v]) => v !== '')),
    values: valueMaps,
  }
  // Departments are offered only when the business has named some.
  const usableValueFields = valueFields.filter((f) => options[f].length > 0)
  const mappedValueFields = usableValueFields.filter((f) => columns[f] !== undefined)
  const unmappedValueFields = usableValueFields.filter((f) => columns[f] === undefined)
  const isMapped = columns.receivedAt !== undefined && columns.summary !== undefined
  const shownFields = csvFields.filter((f) => columns[f] !== undefined || (mapping.defaults[f] ?? '') !== '')
  const categories = new Set(settings.categories.map((c) => c.id))

  /** A mapped value as the app will show it: dates in the user's format, our values by name. */
  function showValue(field: CsvField, value: string | undefined): string | undefined {
    if (value === undefined || value === '') return value
    if (field === 'receivedAt' || field === 'closedAt') {
      // A date without a time is shown as the date in the file, whatever the time zone here.
      const [y = 0, m = 1, d = 1] = value.slice(0, 10).split('-').map(Number)
      return value.endsWith('T00:00:00.000Z')
        ? format(new Date(y, m - 1, d), 'PP', { locale: dateLocaleOf(locale) })
        : formatDateTime(value, locale)
    }
    if (field === 'category') return categoryLabel(t, settings.categories, value)
    if (field === 'severity' || field === 'source' || field === 'status' || field === 'channel') {
      return t(`cases:${field}.${value}`)
    }
    return value
  }

  async function run(isDryRun: boolean) {
    if (!file) return
    setBusy(isDryRun ? 'check' : 'import')
    setReport(undefined)
    try {
      // A check counts what the valid rows would give, whether or not invalid rows will be skipped.
      const result = await call('imports:complaints', {
        csv: file.text,
        mapping,
        isDryRun,
        isSkipInvalid: isDryRun || isSkipInvalid,
      })
      setReport({ isCheck: isDryRun, report: result })
      setError(undefined)
      if (!result.isDryRun) {
        // Remembered for the next file with these columns; failing to remember is not an import error.
        await call('settings:update', { imports: { ...settings.imports, lastComplaintMapping: mapping } }).catch(
          (caught: unknown) => logFailure('the column mapping was not remembered', caught),
        )
      }
    } catch (caught) {
      setError(asApiError(caught))
    } finally {
      setBusy(undefined)
    }
  }

  function setDefault(field: ValueField, value: string) {
    setReport(undefined)
    setDefaults((current) => ({ ...current, [field]: value }))
  }

  /** "— none —", or the value a case gets anyway, named ("Minor (standard)"). */
  function emptyLabelOf(field: ValueField): string {
    if (field === 'department') return t('imports:ui.noDefault')
    const fallback = fieldFallbacks[field]
    const label = options[field].find((o) => o.value === fallback)?.label ?? fallback
    return t('imports:ui.standard', { value: label })
  }

  function chooseValue(field: ValueField, value: string, ours: string) {
    setReport(undefined)
    setValueChoices((current) => ({ ...current, [field]: { ...current[field], [value]: ours } }))
  }

  return (
    <section className="card import-complaints" aria-labelledby="import-complaints-title">
      <h2 id="import-complaints-title">{t('imports:ui.title')}</h2>
      <p className="muted small">{t('imports:ui.hint')}</p>
      <div className="inline">
        <Field label={t('imports:ui.file')}>
          {(p) => (
            <input {...p} type="file" accept=".csv,text/csv" onChange={(e) => void choose(e.target.files?.[0])} />
          )}
        </Field>
        {/* No export at hand yet: a realistic one shows what mapping does, and Check is harmless. */}
        <button type="button" onClick={() => openText('complaints-sample.csv', sampleCsv)}>
          {t('imports:ui.trySample')}
        </button>
      </div>
      {file ? (
        <>
          <p className="muted small">
            {t('imports:ui.fileSummary', { name: file.name, count: file.rows.length, columns: file.header.length })}
          </p>
          {isRemembered ? <p className="muted small">{t('imports:ui.remembered')}</p> : null}
          <ColumnMapping
            header={file.header}
            columns={columns}
            onColumns={applyColumns}
            dateFormat={dateFormat}
            isDateFormatGuessed={isDateFormatGuessed}
            onDateFormat={(next) => {
              setReport(undefined)
              setDateFormat(next)
              setIsDateFormatGuessed(false)
            }}
          />
          <fieldset className="import-values">
            <legend>{t('imports:ui.values')}</legend>
            <p className="muted small">{t('imports:ui.valuesHint')}</p>
            <div className="import-values-grid">
              {mappedValueFields.map((field) => (
                <ValueFieldBlock
                  key={field}
                  field={field}
                  column={columns[field] ?? ''}
                  distinct={distinctByColumn.get(columns[field] ?? '') ?? []}
                  options={options[field]}
                  emptyLabel={emptyLabelOf(field)}
                  defaultValue={defaults[field] ?? ''}
                  onDefault={(value) => setDefault(field, value)}
                  mapped={(value) => valueMaps[field]?.[value] ?? ''}
                  onChoose={(value, ours) => chooseValue(field, value, ours)}
                />
              ))}
            </div>
            {unmappedValueFields.length > 0 ? (
              <div className="import-unmapped">
                <p className="muted small">{t('imports:ui.notInFile')}</p>
                <div className="form-grid">
                  {unmappedValueFields.map((field) => (
                    <Field key={field} label={labelOf(field)}>
                      {(p) => (
                        <Choice
                          {...p}
                          aria-label={t('imports:ui.defaultFor', { field: labelOf(field) })}
                          value={defaults[field] ?? ''}
                          emptyLabel={emptyLabelOf(field)}
                          options={options[field]}
                          onChange={(value) => setDefault(field, value)}
                        />
                      )}
                    </Field>
                  ))}
                </div>
              </div>
            ) : null}
          </fieldset>
          {!isMapped ? <p className="warning">{t('imports:ui.needsRequired')}</p> : null}
          <ImportPreview
            file={file}
            fields={shownFields}
            columns={columns}
            mapping={isMapped ? mapping : undefined}
            categories={categories}
            showValue={showValue}
          />
          <div className="actions">
            <label className="checkbox">
              <input type="checkbox" checked={isSkipInvalid} onChange={(e) => setIsSkipInvalid(e.target.checked)} />
              {t('imports:ui.skipInvalid')}
            </label>
            <button type="button" disabled={!isMapped || busy !== undefined} onClick={() => void run(true)}>
              {t('imports:ui.check')}
            </button>
            <button
              type="button"
              className="primary"
              disabled={!isMapped || busy !== undefined}
              onClick={() => void run(false)}
            >
              {t('imports:ui.import')}
            </button>
            <span className="muted" aria-live="polite">
              {busy ? t(busy === 'check' ? 'imports:ui.checking' : 'imports:ui.importing') : ''}
            </span>
          </div>
        </>
      ) : null}
      {error ? <p role="alert">{errorText(error)}</p> : null}
      {report ? <ImportReport {...report} /> : null}
    </section>
  )
}
