import { useTranslation } from 'react-i18next'
import { type Locale } from '../../../shared/schemas'
import { VirtualList } from '../components/VirtualList'
import { formatAge, formatCount } from '../format'
import { useErrorText } from '../hooks'
import { href } from '../router'
import { usePages } from '../usePages'

const rowHeight = 48
/** Rows shown before the card scrolls: Today stays a page people read at a glance. */
const rowsShown = 6

/**
 * Today → Waiting for news: open cases whose customer has heard nothing for N business days (the
 * setting). Silence while "working on it" is a failure of its own; longest silence first. Fetched
 * a page at a time as it scrolls: at 100,000 cases tens of thousands may be waiting.
 */
export function WaitingForNews({ now }: { now: Date }) {
  const { t, i18n } = useTranslation()
  const errorText = useErrorText()
  const silent = usePages('cases:silentPage', {})
  const locale = i18n.language as Locale
  const total = silent.total ?? 0
  return (
    <section aria-labelledby="silent-title" className="card">
      <h2 id="silent-title">
        {t('conversation:silent.title')}{' '}
        {silent.total !== undefined ? (
          <span className="count" aria-hidden="true">
            {formatCount(silent.total, locale)}
          </span>
        ) : null}
      </h2>
      {silent.latest ? (
        <>
          <p className="muted small">{t('conversation:silent.hint', { count: silent.latest.afterBusinessDays })}</p>
          <p className="muted small" aria-live="polite">
            {t('conversation:silent.count', { count: silent.latest.total })}
          </p>
        </>
      ) : (
        <p className="muted small">{t('app.loading')}</p>
      )}
      {silent.error ? <p role="alert">{errorText(silent.error)}</p> : null}
      {silent.total === 0 ? <p>{t('conversation:silent.none')}</p> : null}
      {total > 0 ? (
        <VirtualList
          items={silent.rows}
          onRangeChange={silent.onRangeChange}
          rowHeight={rowHeight}
          label={t('conversation:silent.title')}
          getKey={(c) => c.id}
          style={{ height: Math.min(rowsShown, total) * rowHeight + 2, minHeight: 0 }}
          renderRow={(c) => (
            <a href={href.case(c.id)} className="row-link">
              <span className="mono">{c.number}</span>
              <span className="grow ellipsis">
                <strong>{c.customerName}</strong> — {c.summary}
              </span>
              <span className="badge">{t('conversation:silent.days', { count: c.businessDaysWithoutNews })}</span>
              <span className="muted">{formatAge(c.lastNewsAt, now, locale)}</span>
            </a>
          )}
        />
      ) : null}
    </section>
  )
}
