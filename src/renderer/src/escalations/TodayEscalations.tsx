import { useTranslation } from 'react-i18next'
import { escalationTitle } from '../../../shared/escalations/escalationText'
import { type Locale } from '../../../shared/schemas'
import { formatAge } from '../format'
import { useApi } from '../hooks'
import { href } from '../router'

/** How many new escalations Today lists before pointing to the Escalations screen. */
const shownOnToday = 5

/** Today's "New escalations": the ones no manager has acknowledged yet, most severe first. */
export function NewEscalations() {
  const { t, i18n } = useTranslation()
  const raised = useApi('escalations:list', { status: 'raised', limit: shownOnToday })
  const settings = useApi('settings:get', {})
  const info = useApi('app:info', {})
  if (!raised.data || !settings.data) return null
  const now = info.data ? new Date(info.data.now) : new Date()
  const categories = settings.data.categories
  return (
    <section aria-labelledby="today-escalations-title">
      <h2 id="today-escalations-title">{t('escalations:today.title')}</h2>
      {raised.data.escalations.length === 0 ? <p>{t('escalations:today.none')}</p> : null}
      <ul className="rows" aria-label={t('escalations:today.title')}>
        {raised.data.escalations.map((e) => (
          <li key={e.id}>
            <a href={href.escalations} className="row-link">
              <span className={`badge severity-badge-${e.severity}`}>{t(`escalations:severity.${e.severity}`)}</span>
              <span className="grow">{escalationTitle(t, categories, e)}</span>
              <span className="muted">{formatAge(e.firstRaisedAt, now, i18n.language as Locale)}</span>
            </a>
          </li>
        ))}
      </ul>
      {raised.data.escalations.length > 0 ? (
        <p>
          <a href={href.escalations}>{t('escalations:today.all')}</a>
        </p>
      ) : null}
    </section>
  )
}
