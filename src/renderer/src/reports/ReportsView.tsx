import { type FormEvent, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type ApiError } from '../../../shared/core/errors'
import { lastFullMonth } from '../../../shared/core/months'
import { ReportPeriod, type Translate, monthPeriod } from '../../../shared/reports/report'
import { reportBodyHtml, reportCss } from '../../../shared/reports/reportHtml'
import { type PaperSize, type ReportFormat, paperSizes, reportFormats } from '../../../shared/reports/settings'
import { type Locale, type Settings } from '../../../shared/schemas'
import { api } from '../api'
import { Field } from '../components/Field'
import { asApiError, useApi, useApiCall, useErrorText } from '../hooks'

/** Hands a file to the browser as a download; in the desktop app Electron turns it into a save dialog. */
function download(fileName: string, mimeType: string, base64: string): void {
  const bytes = Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0))
  const url = URL.createObjectURL(new Blob([bytes], { type: mimeType }))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

export function ReportsView({ settings }: { settings: Settings }) {
  const { t, i18n } = useTranslation()
  const errorText = useErrorText()
  const locale = i18n.language as Locale
  const info = useApi('app:info', {})
  const [chosenMonth, setChosenMonth] = useState<string>()
  const month = chosenMonth ?? (info.data ? lastFullMonth(new Date(info.data.now)) : undefined)
  // Any period: a calendar month, or a range of days (both ends inclusive).
  const [isRange, setIsRange] = useState(false)
  const [range, setRange] = useState<{ from: string; to: string }>({ from: '', to: '' })
  const isRangeValid = ReportPeriod.safeParse(range).success
  const query: ReportRequest | undefined = isRange ? (isRangeValid ? range : undefined) : month ? { month } : undefined
  const [format, setFormat] = useState<ReportFormat>('pdf')
  const [paper, setPaper] = useState<PaperSize>('a4')
  const [isExporting, setIsExporting] = useState(false)
  const [exported, setExported] = useState('')
  const [exportError, setExportError] = useState<ApiError>()

  return (
    <section aria-labelledby="reports-title" className="reports">
      <h1 id="reports-title">{t('report:screen.title')}</h1>
      <form
        className="card inline"
        onSubmit={(event: FormEvent) => {
          event.preventDefault()
          if (!query) return
          setIsExporting(true)
          setExported('')
          setExportError(undefined)
          api('reports:export', { ...query, format, paper, locale })
            .then((file) => {
              download(file.fileName, file.mimeType, file.base64)
              setExported(t('report:screen.exported', { file: file.fileName }))
            })
            .catch((caught: unknown) => setExportError(asApiError(caught)))
            .finally(() => setIsExporting(false))
        }}
      >
        <fieldset className="inline period-choice">
          <legend>{t('insights:period.title')}</legend>
          <label className="checkbox">
            <input type="radio" name="period-kind" checked={!isRange} onChange={() => setIsRange(false)} />
            {t('insights:period.month')}
          </label>
          <label className="checkbox">
            <input
              type="radio"
              name="period-kind"
              checked={isRange}
              onChange={() => {
                setIsRange(true)
                // A range starts as the month shown, so the picker opens on sensible dates.
                if (!range.from && month) setRange(monthPeriod(month))
              }}
            />
            {t('insights:period.range')}
          </label>
        </fieldset>
        {isRange ? (
          <>
            <Field label={t('insights:period.from')}>
              {(p) => (
                <input
                  {...p}
                  type="date"
                  required
                  value={range.from}
                  onChange={(e) => setRange((r) => ({ ...r, from: e.target.value }))}
                />
              )}
            </Field>
            <Field
              label={t('insights:period.to')}
              error={range.from && range.to && !isRangeValid ? t('insights:period.toBeforeFrom') : undefined}
            >
              {(p) => (
                <input
                  {...p}
                  type="date"
                  required
                  value={range.to}
                  min={range.from || undefined}
                  onChange={(e) => setRange((r) => ({ ...r, to: e.target.value }))}
                />
              )}
            </Field>
          </>
        ) : (
          <Field label={t('report:screen.month')}>
            {(p) => (
              <input
                {...p}
                type="month"
                required
                value={month ?? ''}
                onChange={(e) => {
                  if (/^\d{4}-\d{2}$/.test(e.target.value)) setChosenMonth(e.target.value)
                }}
              />
            )}
          </Field>
        )}
        <Field label={t('report:screen.format')}>
          {(p) => (
            <select {...p} value={format} onChange={(e) => setFormat(e.target.value as ReportFormat)}>
              {reportFormats.map((f) => (
                <option key={f} value={f}>
                  {t(`report:screen.formats.${f}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('report:screen.paper')}>
          {(p) => (
            <select
              {...p}
              value={paper}
              disabled={format !== 'pdf'}
              onChange={(e) => setPaper(e.target.value as PaperSize)}
            >
              {paperSizes.map((s) => (
                <option key={s} value={s}>
                  {t(`report:screen.paperSize.${s}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="actions">
          <button type="submit" className="primary" disabled={isExporting || !query}>
            {isExporting ? t('report:screen.exporting') : t('report:screen.export')}
          </button>
          <span role="status">{exported}</span>
          {exportError ? <p role="alert">{errorText(exportError)}</p> : null}
        </div>
      </form>
      {query ? <ReportPreview query={query} locale={locale} /> : null}
      <AutoExportSettings settings={settings} />
    </section>
  )
}

type ReportRequest = { month: string } | { from: string; to: string }

function ReportPreview({ query, locale }: { query: ReportRequest; locale: Locale }) {
  const { t } = useTranslation()
  const errorText = useErrorText()
  const report = useApi('reports:get', { ...query, locale })
  // The same markup as the exported HTML file: what is seen here is what is exported.
  const html = useMemo(
    () => (report.data ? reportBodyHtml(report.data, t as unknown as Translate) : ''),
    [report.data, t],
  )
  if (report.error) return <p role="alert">{errorText(report.error)}</p>
  if (!report.data) return <p>{t('report:screen.loading')}</p>
  return (
    <article className="card report-preview" aria-label={t('report:title')}>
      <style>{reportCss}</style>
      <div dangerouslySetInnerHTML={{ __html: html }} />
    </article>
  )
}

function AutoExportSettings({ settings }: { settings: Settings }) {
  const { t } = useTranslation()
  const errorText = useErrorText()
  const call = useApiCall()
  const [draft, setDraft] = useState(settings.reports.autoExport)
  const [isSaved, setIsSaved] = useState(false)
  const [error, setError] = useState<ApiError>()
  const change = (next: Partial<typeof draft>) => {
    setIsSaved(false)
    setDraft((d) => ({ ...d, ...next }))
  }
  return (
    <form
      className="card form-grid"
      aria-labelledby="auto-export-title"
      onSubmit={(event: FormEvent) => {
        event.preventDefault()
        call('settings:update', { reports: { autoExport: draft } })
          .then(() => {
            setIsSaved(true)
            setError(undefined)
          })
          .catch((caught: unknown) => setError(asApiError(caught)))
      }}
    >
      <h2 id="auto-export-title">{t('report:screen.auto.title')}</h2>
      <p className="muted small checkbox">{t('report:screen.auto.hint')}</p>
      <label className="checkbox">
        <input type="checkbox" checked={draft.isEnabled} onChange={(e) => change({ isEnabled: e.target.checked })} />
        {t('report:screen.auto.enabled')}
      </label>
      <Field label={t('report:screen.auto.folder')}>
        {(p) => <input {...p} value={draft.folder} onChange={(e) => change({ folder: e.target.value })} />}
      </Field>
      <Field label={t('report:screen.format')}>
        {(p) => (
          <select {...p} value={draft.format} onChange={(e) => change({ format: e.target.value as ReportFormat })}>
            {reportFormats.map((f) => (
              <option key={f} value={f}>
                {t(`report:screen.formats.${f}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="actions">
        <button type="submit">{t('report:screen.auto.save')}</button>
        <span role="status">{isSaved ? t('report:screen.auto.saved') : ''}</span>
        {draft.lastMonth ? (
          <span className="muted small">{t('report:screen.auto.last', { month: draft.lastMonth })}</span>
        ) : null}
      </div>
      {error ? <p role="alert">{errorText(error)}</p> : null}
    </form>
  )
}
