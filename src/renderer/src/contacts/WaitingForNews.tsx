import { useTranslation } from 'react-i18next'
import { type Locale } from '../../../shared/schemas'
import { formatAge } from '../format'
import { useApi, useErrorText } from '../hooks'
import { askAgainWhileIncomplete } from '../query'
import { href } from '../router'

/**
 * Today → Waiting for news: open cases whose customer has heard nothing for N business days (the
 * setting). Silence while "working on it" is a failure of its own; longest silence first.
 */
export function WaitingForNews({ now }: { now: Date }) {
  const { t, i18n } = useTranslation()
  const errorText = useErrorText()
  const silent = useApi('cases:silent', {}, { refetchInterval: askAgainWhileIncomplete })
  const locale = i18n.language as Locale
  const cases = silent.data?.cases ?? []
  return (
    <section aria-labelledby="silent-title" className="card">
      <h2 id="silent-title">
        {t('conversation:silent.title')}{' '}
        <span className="count" aria-hidden="true">
          {cases.length}
        </span>
      </h2>
      {silent.data ? (
        <p className="muted small">{t('conversation:silent.hint', { count: silent.data.afterBusinessDays })}</p>
      ) : null}
      {silent.error ? <p role="alert">{errorText(silent.error)}</p> : null}
      {silent.data && cases.length === 0 ? <p>{t('conversation:silent.none')}</p> : null}
      <ul className="rows" aria-labelledby="silent-title">
        {cases.map((c) => (
          <li key={c.id}>
            <a href={href.case(c.id)} className="row-link">
              <span className="mono">{c.number}</span>
              <span className="grow">
                <strong>{c.customerName}</strong> — {c.summary}
              </span>
              <span className="badge">{t('conversation:silent.days', { count: c.businessDaysWithoutNews })}</span>
              <span className="muted">{formatAge(c.lastNewsAt, now, locale)}</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  )
}
