import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import './promises.css'
import { type ApiError } from '../../../shared/core/errors'
import { type PromiseFilter, type PromiseSummary } from '../../../shared/promises/contract'
import { makerLabel, promiseMaker, promiseWhat } from '../../../shared/promises/promiseLabels'
import { type PromiseMetrics, type PromiseState, promiseStates } from '../../../shared/promises/promises'
import { type Locale, type Settings } from '../../../shared/schemas'
import { api } from '../api'
import { formatDateTime } from '../format'
import { useOfferUndo } from '../components/UndoNotice'
import { asApiError, useApi, useApiCall, useErrorText } from '../hooks'
import { usePages } from '../usePages'
import { href } from '../router'
import { StateBadge } from './PromiseItem'

const rowHeight = 48

const rowStyle = (top: number) =>
  ({ position: 'absolute', top: 0, left: 0, right: 0, height: rowHeight, transform: `translateY(${top}px)` }) as const

type Filters = { state: PromiseState | ''; madeBy: string; department: string; dueFrom: string; dueTo: string }

/** A date input's day, as the first or last instant of that day in the user's own zone. */
function dayBound(day: string, isEnd: boolean): string | undefined {
  if (!day) return undefined
  const at = new Date(`${day}T00:00:00`)
  if (isEnd) at.setDate(at.getDate() + 1)
  return new Date(at.getTime() - (isEnd ? 1 : 0)).toISOString()
}

function downloadText(filename: string, content: string, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }))
  const link = document.createElement('a')
  link.href = url
  link.download = filename
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** The whole ledger, filterable, with each staff member's kept-on-time rate and the calendar export. */
export function PromisesView({ settings }: { settings: Settings }) {
  const { t, i18n } = useTranslation()
  const errorText = useErrorText()
  const locale = i18n.language as Locale
  const [filters, setFilters] = useState<Filters>({ state: '', madeBy: '', department: '', dueFrom: '', dueTo: '' })
  const [exportNote, setExportNote] = useState('')
  const [exportError, setExportError] = useState<ApiError>()
  const dueFrom = dayBound(filters.dueFrom, false)
  const dueTo = dayBound(filters.dueTo, true)
  const query: PromiseFilter = {
    ...(filters.state ? { states: [filters.state] } : {}),
    ...(filters.madeBy ? { madeBy: filters.madeBy } : {}),
    ...(filters.department ? { department: filters.department } : {}),
    ...(dueFrom ? { dueFrom } : {}),
    ...(dueTo ? { dueTo } : {}),
  }
  const promises = usePages('promises:page', query)
  const metrics = useApi('promises:metrics', { ...(dueFrom ? { from: dueFrom } : {}), ...(dueTo ? { to: dueTo } : {}) })
  // Latest due first (the server's order): what is coming and what just happened are at the top.
  const rows = promises.rows
  const scrollRef = useRef<HTMLDivElement>(null)
  // Virtualised: 300,000 promises scroll as smoothly as 30.
  // eslint-disable-next-line react-hooks/incompatible-library -- the compiler skips this component; TanStack Virtual is still correct
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 10,
  })
  const visible = virtualizer.getVirtualItems()
  // The rows on screen say which pages to fetch (each page of 100 is its own query).
  const first = visible[0]?.index ?? 0
  const last = visible.at(-1)?.index ?? 0
  const { onRangeChange } = promises
  useEffect(() => onRangeChange(first, last), [first, last, onRangeChange])
  const set = (key: keyof Filters, value: string) => setFilters((f) => ({ ...f, [key]: value }))
  const makers = [
    ...new Set([...settings.staff.map((s) => s.name), ...(metrics.data?.byStaff ?? []).map((s) => s.name)]),
  ]

  async function exportCalendar() {
    try {
      const file = await api('promises:ics', { lang: locale })
      downloadText(file.filename, file.content, 'text/calendar')
      setExportNote(t('promises:ledger.exported', { count: file.count }))
      setExportError(undefined)
    } catch (caught) {
      setExportError(asApiError(caught))
    }
  }

  const rate = (m: PromiseMetrics) =>
    m.keptRate === null ? t('promises:ledger.noRate') : `${Math.round(m.keptRate * 100)}%`

  return (
    <section aria-labelledby="promises-view-title" className="promises-view">
      <div className="card-head">
        <h1 id="promises-view-title">{t('promises:title')}</h1>
        <button type="button" onClick={() => void exportCalendar()}>
          {t('promises:ledger.export')}
        </button>
      </div>
      <p role="status" className="muted">
        {exportNote}
      </p>
      {exportError ? <p role="alert">{errorText(exportError)}</p> : null}
      <div className="filters" role="search" aria-label={t('promises:ledger.filters')}>
        <label>
          {t('promises:ledger.status')}
          <select value={filters.state} onChange={(e) => set('state', e.target.value)}>
            <option value="">{t('promises:ledger.any')}</option>
            {promiseStates.map((s) => (
              <option key={s} value={s}>
                {t(`promises:state.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('promises:ledger.staff')}
          <select value={filters.madeBy} onChange={(e) => set('madeBy', e.target.value)}>
            <option value="">{t('promises:ledger.any')}</option>
            {makers.map((name) => (
              <option key={name} value={name}>
                {makerLabel(t, name)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('promises:ledger.department')}
          <select value={filters.department} onChange={(e) => set('department', e.target.value)}>
            <option value="">{t('promises:ledger.any')}</option>
            {settings.departments.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('promises:ledger.dueFrom')}
          <input type="date" value={filters.dueFrom} onChange={(e) => set('dueFrom', e.target.value)} />
        </label>
        <label>
          {t('promises:ledger.dueTo')}
          <input type="date" value={filters.dueTo} onChange={(e) => set('dueTo', e.target.value)} />
        </label>
      </div>

      <section aria-labelledby="rates-title" className="card">
        <h2 id="rates-title">{t('promises:ledger.rates')}</h2>
        <p className="muted small">{t('promises:ledger.ratesHint')}</p>
        {metrics.error ? <p role="alert">{errorText(metrics.error)}</p> : null}
        <table className="rates">
          <thead>
            <tr>
              <th scope="col">{t('promises:ledger.name')}</th>
              <th scope="col">{t('promises:ledger.dueCount')}</th>
              <th scope="col">{t('promises:ledger.keptOnTime')}</th>
              <th scope="col">{t('promises:ledger.keptLate')}</th>
              <th scope="col">{t('promises:ledger.brokenCount')}</th>
              <th scope="col">{t('promises:ledger.rate')}</th>
            </tr>
          </thead>
          <tbody>
            {(metrics.data?.byStaff ?? []).map(({ name, metrics: m }) => (
              <tr key={name}>
                <th scope="row">{makerLabel(t, name)}</th>
                <td>{m.due}</td>
                <td>{m.keptOnTime}</td>
                <td>{m.keptLate}</td>
                <td>{m.broken}</td>
                <td>{rate(m)}</td>
              </tr>
            ))}
            {metrics.data ? (
              <tr className="total">
                <th scope="row">{t('promises:ledger.total')}</th>
                <td>{metrics.data.total.due}</td>
                <td>{metrics.data.total.keptOnTime}</td>
                <td>{metrics.data.total.keptLate}</td>
                <td>{metrics.data.total.broken}</td>
                <td>{rate(metrics.data.total)}</td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </section>

      <h2 id="ledger-title">{t('promises:ledger.list')}</h2>
      {promises.error ? <p role="alert">{errorText(promises.error)}</p> : null}
      <p className="muted" aria-live="polite">
        {promises.total !== undefined ? t('promises:ledger.count', { count: promises.total }) : t('app.loading')}
      </p>
      <div ref={scrollRef} className="virtual-scroll">
        <ul
          aria-labelledby="ledger-title"
          className="rows"
          style={{ height: virtualizer.getTotalSize(), position: 'relative' }}
        >
          {visible.map((item) => {
            const p = rows[item.index]
            // A row of a page not fetched yet: it shows until its page arrives.
            if (!p)
              return (
                <li key={`row-${item.index}`} className="ledger-row muted" style={rowStyle(item.start)}>
                  {t('app.loading')}
                </li>
              )
            return <LedgerRow key={p.id} p={p} settings={settings} locale={locale} top={item.start} />
          })}
        </ul>
      </div>
    </section>
  )
}

function LedgerRow({
  p,
  settings,
  locale,
  top,
}: {
  p: PromiseSummary
  settings: Settings
  locale: Locale
  top: number
}) {
  const { t } = useTranslation()
  const call = useApiCall()
  const offerUndo = useOfferUndo()
  const what = promiseWhat(t, p, settings.promises.guarantees)

  const [error, setError] = useState<ApiError>()
  const errorText = useErrorText()

  async function keep() {
    try {
      await call('promises:keep', { id: p.id, note: '' })
      offerUndo(t('undo.promiseKept', { what: promiseWhat(t, p, settings.promises.guarantees) }), () =>
        call('promises:undoClose', { id: p.id }),
      )
    } catch (caught) {
      setError(asApiError(caught))
    }
  }

  return (
    <li aria-label={what} className="ledger-row" style={rowStyle(top)}>
      <span className="muted small nowrap">{formatDateTime(p.dueAt, locale)}</span>
      <StateBadge state={p.state} />
      <span className="grow ellipsis">
        <strong>{p.customerName}</strong> — {p.caseId ? <a href={href.case(p.caseId)}>{what}</a> : what}
      </span>
      <span className="muted small ellipsis">{promiseMaker(t, p)}</span>
      {p.status === 'open' ? (
        <button type="button" onClick={() => void keep()} aria-description={what}>
          {t('promises:action.kept')}
        </button>
      ) : null}
      {error ? <span role="alert">{errorText(error)}</span> : null}
    </li>
  )
}
