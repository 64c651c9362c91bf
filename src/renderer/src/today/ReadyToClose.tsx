import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type ReadyCase } from '../../../shared/api'
import { type Locale } from '../../../shared/schemas'
import { CloseCaseDialog } from '../cases/CaseView'
import { formatAge } from '../format'
import { useApi } from '../hooks'
import { askAgainWhileIncomplete } from '../query'
import { href } from '../router'

/**
 * Cases with all six steps finished but not closed: the satisfaction call is the one thing left,
 * and without this list nothing would ask for it. Waiting longest first.
 */
export function ReadyToClose({ now }: { now: Date }) {
  const { t, i18n } = useTranslation()
  const ready = useApi('today:readyToClose', {}, { refetchInterval: askAgainWhileIncomplete })
  const [closing, setClosing] = useState<ReadyCase>()
  const locale = i18n.language as Locale
  const cases = ready.data?.cases ?? []
  return (
    <section aria-labelledby="ready-title" className="card">
      <h2 id="ready-title">
        {t('today.readyToClose')}{' '}
        <span className="count" aria-hidden="true">
          {cases.length}
        </span>
      </h2>
      <p className="muted small">{t('today.readyHint')}</p>
      {ready.data && cases.length === 0 ? <p>{t('today.readyNone')}</p> : null}
      <ul className="rows" aria-labelledby="ready-title">
        {cases.map((c) => (
          <li key={c.id} aria-label={`${c.number} ${c.summary}`} className="row-with-action">
            <a href={href.case(c.id)} className="row-link">
              <span className="mono">{c.number}</span>
              <span className="grow">
                <strong>{c.customerName}</strong> — {c.summary}
              </span>
              <span className="muted">{t('today.readySince', { age: formatAge(c.readySince, now, locale) })}</span>
            </a>
            <button type="button" className="primary" aria-description={c.number} onClick={() => setClosing(c)}>
              {t('today.callAndClose')}
            </button>
          </li>
        ))}
      </ul>
      {closing ? (
        <CloseCaseDialog c={closing} onClose={() => setClosing(undefined)} onClosed={() => setClosing(undefined)} />
      ) : null}
    </section>
  )
}
