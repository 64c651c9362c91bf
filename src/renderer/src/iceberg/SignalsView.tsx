import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useCurrency } from '../money'
import { VirtualList } from '../components/VirtualList'
import { type ActivityMap, csvColumns } from '../../../shared/iceberg/activityImport'
import { type ApiError } from '../../../shared/core/errors'
import { type ImportResult } from '../../../shared/iceberg/contract'
import { type IcebergSettings } from '../../../shared/iceberg/settings'
import { type Locale, type Settings } from '../../../shared/schemas'
import { Field } from '../components/Field'
import { formatDate } from '../format'
import { asApiError, useApiCall, useErrorText } from '../hooks'
import { usePages } from '../usePages'
import { href } from '../router'
import { formatList } from '../../../shared/core/i18n/listFormat'
import { IcebergSubnav } from './IcebergSubnav'

const rowHeight = 64

export function SignalsView({ settings }: { settings: Settings }) {
  const { t, i18n } = useTranslation()
  const currency = useCurrency()
  const call = useApiCall()
  const [status, setStatus] = useState<'open' | 'closed'>('open')
  // A page at a time: at 100,000 cases there are 200,000 signals.
  const list = usePages('signals:page', { status })
  const errorText = useErrorText()
  const [detectMessage, setDetectMessage] = useState('')
  const [actionError, setActionError] = useState<ApiError>()
  const rows = list.rows
  const locale = i18n.language as Locale

  async function detect() {
    try {
      const result = await call('signals:detect', {})
      setDetectMessage(t('iceberg:signals.detected', result))
      setActionError(undefined)
    } catch (caught) {
      setActionError(asApiError(caught))
    }
  }

  const rate = list.latest?.winBack
  return (
    <section aria-labelledby="signals-title">
      <h1 id="signals-title">{t('iceberg:signals.title')}</h1>
      <IcebergSubnav current="signals" />
      <p className="muted">{t('iceberg:signals.intro')}</p>
      <div className="iceberg-columns">
        <div className="card">
          <h2>{t('iceberg:signals.winBackRate')}</h2>
          <p>
            {!rate
              ? t('app.loading')
              : rate.rate !== null
                ? t('iceberg:signals.winBackRateValue', {
                    ...rate,
                    decided: rate.wonBack + rate.lost,
                    count: rate.falseAlarms,
                  })
                : t('iceberg:signals.winBackRateNone')}
          </p>
          {list.latest ? (
            <p>{t('iceberg:valueAtRisk.total', { value: list.latest.totalValueAtRisk, currency })}</p>
          ) : null}
        </div>
        <div className="card">
          <div className="actions">
            <button type="button" onClick={() => void detect()}>
              {t('iceberg:signals.detect')}
            </button>
          </div>
          {detectMessage ? <p role="status">{detectMessage}</p> : null}
          {actionError ? <p role="alert">{errorText(actionError)}</p> : null}
          <p className="muted small">{t('iceberg:signals.thresholdsExplain')}</p>
        </div>
      </div>

      <div className="filters">
        <label>
          {t('iceberg:signals.status')}
          <select value={status} onChange={(e) => setStatus(e.target.value as 'open' | 'closed')}>
            <option value="open">{t('iceberg:signals.open')}</option>
            <option value="closed">{t('iceberg:signals.closed')}</option>
          </select>
        </label>
      </div>
      <p className="muted" aria-live="polite">
        {list.total !== undefined ? t('iceberg:signals.count', { count: list.total }) : t('app.loading')}
      </p>
      {list.error ? <p role="alert">{errorText(list.error)}</p> : null}
      {list.total === 0 ? <p>{t('iceberg:signals.empty')}</p> : null}
      <VirtualList
        items={rows}
        onRangeChange={list.onRangeChange}
        rowHeight={rowHeight}
        label={t('iceberg:signals.list')}
        getKey={(s) => s.id}
        className="virtual-scroll short"
        style={{ height: Math.min(360, rows.length * rowHeight + 2) }}
        renderRow={(s) => (
          <a href={href.signal(s.id)} className="row-link">
            <span className={`status level-${s.outcome ?? s.level}`}>
              {s.outcome ? t(`iceberg:outcome.${s.outcome}`) : t(`iceberg:level.${s.level}`)}
            </span>
            <span className="grow">
              <strong>{s.customerName}</strong> —{' '}
              {formatList(
                locale,
                s.reasons.map((r) => t(`iceberg:reason.${r}`)),
              )}
              <br />
              <span className="muted small">
                {s.valueAtRisk
                  ? t('iceberg:valueAtRisk.formula', { ...s.valueAtRisk, currency })
                  : t('iceberg:valueAtRisk.unknown')}
              </span>
            </span>
            <span className="muted">{t('iceberg:signals.since', { when: formatDate(s.raisedAt, locale) })}</span>
          </a>
        )}
      />

      <Thresholds key={JSON.stringify(settings.iceberg)} settings={settings} />
      <ActivityImport />
    </section>
  )
}

const thresholdKeys = [
  'minVisits',
  'recentVisits',
  'maxIrregularity',
  'atRiskFactor',
  'atRiskMinDays',
  'lostFactor',
  'lostMinDays',
  'frequencyDropPercent',
  'spendDropPercent',
  'horizonYears',
  'newCustomerDays',
  'coreVisitsPerYear',
  'inactiveDays',
] as const satisfies readonly (keyof IcebergSettings)[]

function Thresholds({ settings }: { settings: Settings }) {
  const { t } = useTranslation()
  const call = useApiCall()
  const errorText = useErrorText()
  const [draft, setDraft] = useState<Record<string, string>>(() =>
    Object.fromEntries(thresholdKeys.map((k) => [k, String(settings.iceberg[k])])),
  )
  const [error, setError] = useState<ApiError>()
  const [isSaved, setIsSaved] = useState(false)

  async function save(event: FormEvent) {
    event.preventDefault()
    try {
      const iceberg = Object.fromEntries(thresholdKeys.map((k) => [k, Number(draft[k])])) as IcebergSettings
      await call('settings:update', { iceberg })
      setError(undefined)
      setIsSaved(true)
    } catch (caught) {
      setIsSaved(false)
      setError(asApiError(caught))
    }
  }

  return (
    <details className="card">
      <summary>
        <h2 className="inline-heading">{t('iceberg:signals.thresholds')}</h2>
      </summary>
      <p className="muted small">{t('iceberg:signals.thresholdsIntro', settings.iceberg)}</p>
      <form onSubmit={(e) => void save(e)} className="form-grid">
        {thresholdKeys.map((key) => (
          <Field key={key} label={t(`iceberg:signals.${key}`)}>
            {(p) => (
              <input
                {...p}
                type="number"
                step="any"
                value={draft[key] ?? ''}
                onChange={(e) => {
                  setIsSaved(false)
                  setDraft((d) => ({ ...d, [key]: e.target.value }))
                }}
              />
            )}
          </Field>
        ))}
        {error ? <p role="alert">{errorText(error)}</p> : null}
        <div className="actions">
          <button type="submit" className="primary">
            {t('iceberg:signals.saveThresholds')}
          </button>
          {isSaved ? <span role="status">{t('actions.saved')}</span> : null}
        </div>
      </form>
    </details>
  )
}

/** Guesses which column is which from common header names, in our four languages. */
function guess(columns: string[], pattern: RegExp): string {
  return columns.find((c) => pattern.test(c)) ?? ''
}

function ActivityImport() {
  const { t } = useTranslation()
  const call = useApiCall()
  const errorText = useErrorText()
  const [csv, setCsv] = useState('')
  const [columns, setColumns] = useState<string[]>([])
  const [map, setMap] = useState({ customer: '', date: '', amount: '', email: '', dateFormat: '', decimal: '.' })
  const [error, setError] = useState<ApiError>()
  const [result, setResult] = useState<ImportResult>()

  async function choose(file: File | undefined) {
    if (!file) return
    const text = await file.text()
    const found = csvColumns(text)
    setCsv(text)
    setColumns(found)
    setResult(undefined)
    setError(undefined)
    setMap((m) => ({
      ...m,
      customer: guess(found, /customer|client|name|顾客|顧客|客户|客戶|姓名|ügyfél|név/i),
      date: guess(found, /date|day|time|日期|时间|時間|dátum|nap/i),
      amount: guess(found, /amount|spend|total|sum|金额|金額|消费|消費|összeg/i),
      email: guess(found, /e-?mail|邮箱|郵箱|電郵/i),
    }))
  }

  async function submit(event: FormEvent) {
    event.preventDefault()
    try {
      const input: ActivityMap = {
        customer: map.customer,
        date: map.date,
        decimal: map.decimal === ',' ? ',' : '.',
        ...(map.amount ? { amount: map.amount } : {}),
        ...(map.email ? { email: map.email } : {}),
        ...(map.dateFormat.trim() ? { dateFormat: map.dateFormat.trim() } : {}),
      }
      const imported = await call('activities:import', { csv, map: input })
      setResult(imported)
      setError(undefined)
    } catch (caught) {
      setResult(undefined)
      setError(asApiError(caught))
    }
  }

  const columnSelect = (key: 'customer' | 'date' | 'amount' | 'email', label: string, isOptional: boolean) => (
    <Field label={label}>
      {(p) => (
        <select {...p} value={map[key]} onChange={(e) => setMap((m) => ({ ...m, [key]: e.target.value }))}>
          {isOptional || !map[key] ? <option value="">{t('iceberg:signals.noColumn')}</option> : null}
          {columns.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      )}
    </Field>
  )

  return (
    <section className="card" aria-labelledby="import-title">
      <h2 id="import-title">{t('iceberg:signals.import')}</h2>
      <p className="muted small">{t('iceberg:signals.importIntro')}</p>
      <form onSubmit={(e) => void submit(e)} className="form-grid">
        <Field label={t('iceberg:signals.file')}>
          {(p) => (
            <input {...p} type="file" accept=".csv,text/csv" onChange={(e) => void choose(e.target.files?.[0])} />
          )}
        </Field>
        {columns.length > 0 ? (
          <>
            {columnSelect('customer', t('iceberg:signals.customerColumn'), false)}
            {columnSelect('date', t('iceberg:signals.dateColumn'), false)}
            {columnSelect('amount', t('iceberg:signals.amountColumn'), true)}
            {columnSelect('email', t('iceberg:signals.emailColumn'), true)}
            <Field label={t('iceberg:signals.dateFormat')}>
              {(p) => (
                <input
                  {...p}
                  value={map.dateFormat}
                  onChange={(e) => setMap((m) => ({ ...m, dateFormat: e.target.value }))}
                />
              )}
            </Field>
            <Field label={t('iceberg:signals.decimal')}>
              {(p) => (
                <select {...p} value={map.decimal} onChange={(e) => setMap((m) => ({ ...m, decimal: e.target.value }))}>
                  <option value=".">1,234.50</option>
                  <option value=",">1.234,50</option>
                </select>
              )}
            </Field>
          </>
        ) : null}
        {error ? (
          <div role="alert" className="import-errors">
            <p>{errorText(error)}</p>
            {error.details.length > 1 ? (
              <ul className="compact small">
                {error.details.slice(0, 10).map((d, i) => (
                  <li key={i}>{d.message}</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
        <div className="actions">
          <button type="submit" className="primary" disabled={!csv || !map.customer || !map.date}>
            {t('iceberg:signals.importButton')}
          </button>
        </div>
        {result ? (
          <p role="status" className="wide">
            {t('iceberg:signals.imported', { ...result, ...result.detection })}
          </p>
        ) : null}
      </form>
    </section>
  )
}
