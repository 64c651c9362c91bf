import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import './promises.css'
import { type ApiError } from '../../../shared/core/errors'
import { type PromiseSummary } from '../../../shared/promises/contract'
import { promiseMaker, promiseWhat } from '../../../shared/promises/promiseLabels'
import { type Locale, type Settings } from '../../../shared/schemas'
import { formatCount, formatDateTime } from '../format'
import { useOfferUndo } from '../components/UndoNotice'
import { asApiError, useApi, useApiCall, useErrorText } from '../hooks'
import { href } from '../router'
import { StateBadge } from './PromiseItem'

/** How many of each list Today shows: it is read at a glance; the Promises screen has them all. */
const shownPerList = 20

/** The top of Today: Overdue, Due today, Due this week; each promise one click from Kept. */
export function TodayPromises() {
  const { t, i18n } = useTranslation()
  const errorText = useErrorText()
  const today = useApi('promises:today', { limit: shownPerList })
  const settings = useApi('settings:get', {})
  if (today.error) return <p role="alert">{errorText(today.error)}</p>
  if (!today.data || !settings.data) return null
  const sections = [
    {
      id: 'overdue',
      title: t('promises:today.overdue'),
      empty: t('promises:today.noneOverdue'),
      list: today.data.overdue,
      total: today.data.totals.overdue,
    },
    {
      id: 'due-today',
      title: t('promises:today.dueToday'),
      empty: t('promises:today.noneToday'),
      list: today.data.dueToday,
      total: today.data.totals.dueToday,
    },
    {
      id: 'due-week',
      title: t('promises:today.dueThisWeek'),
      empty: t('promises:today.noneThisWeek'),
      list: today.data.dueThisWeek,
      total: today.data.totals.dueThisWeek,
    },
  ]
  return (
    <div className="today-promises">
      {sections.map((section) => (
        <section key={section.id} aria-labelledby={`promises-${section.id}`} className={`card promises-${section.id}`}>
          <h2 id={`promises-${section.id}`}>
            {section.title}{' '}
            <span className="count" aria-hidden="true">
              {formatCount(section.total, i18n.language as Locale)}
            </span>
          </h2>
          {section.list.length === 0 ? <p className="muted small">{section.empty}</p> : null}
          <ul className="rows" aria-labelledby={`promises-${section.id}`}>
            {section.list.map((p) => (
              <TodayRow key={p.id} p={p} settings={settings.data as Settings} />
            ))}
          </ul>
          {section.total > section.list.length ? (
            <p className="muted small">
              <a href={href.promises}>
                {t('promises:today.more', { shown: section.list.length, count: section.total })}
              </a>
            </p>
          ) : null}
        </section>
      ))}
    </div>
  )
}

function TodayRow({ p, settings }: { p: PromiseSummary; settings: Settings }) {
  const { t, i18n } = useTranslation()
  const call = useApiCall()
  const offerUndo = useOfferUndo()
  const errorText = useErrorText()
  const [error, setError] = useState<ApiError>()
  const what = promiseWhat(t, p, settings.promises.guarantees)

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
    <li aria-label={what} className="today-promise">
      <span className="grow">
        <strong>{p.customerName}</strong> — {p.caseId ? <a href={href.case(p.caseId)}>{what}</a> : what}
        <span className="muted small today-promise-meta">
          {formatDateTime(p.dueAt, i18n.language as Locale)} · {promiseMaker(t, p)}{' '}
          {p.state === 'overdue' ? <StateBadge state={p.state} /> : null}
        </span>
      </span>
      <button type="button" className="primary" onClick={() => void keep()} aria-description={what}>
        {t('promises:action.kept')}
      </button>
      {error ? <span role="alert">{errorText(error)}</span> : null}
    </li>
  )
}
