import { useTranslation } from 'react-i18next'
import { promiseWhat } from '../../../shared/promises/promiseLabels'
import { type Locale, type Settings } from '../../../shared/schemas'
import { escalationTitle } from '../../../shared/escalations/escalationText'
import { formatAge, formatDateTime } from '../format'
import { useApi, useErrorText } from '../hooks'
import { askAgainWhileIncomplete } from '../query'
import { href } from '../router'

/** Today → Mine with a person named: their open cases, their promises, their escalations. */
export function MyWork({ settings, now }: { settings: Settings; now: Date }) {
  const { t, i18n } = useTranslation()
  const errorText = useErrorText()
  const mine = useApi('today:mine', {}, { refetchInterval: askAgainWhileIncomplete })
  const locale = i18n.language as Locale
  if (mine.error) return <p role="alert">{errorText(mine.error)}</p>
  if (!mine.data) return <p>{t('app.loading')}</p>
  const { cases, promises, escalations } = mine.data
  return (
    <>
      <section aria-labelledby="my-cases-title">
        <h2 id="my-cases-title">{t('today.myCases')}</h2>
        {cases.length === 0 ? <p className="muted">{t('today.noneMine')}</p> : null}
        <ul className="rows" aria-labelledby="my-cases-title">
          {cases.map((c) => (
            <li key={c.id}>
              <a href={href.case(c.id)} className="row-link">
                <span className="mono">{c.number}</span>
                <span className="grow">
                  <strong>{c.customerName}</strong> — {c.summary}
                </span>
                {c.nextStep ? (
                  <span className="badge">{t('today.next', { step: t(`cases:step.${c.nextStep}`) })}</span>
                ) : (
                  <span className="badge">{t('today.readyToClose')}</span>
                )}
                <span className="muted">{t('today.touched', { age: formatAge(c.updatedAt, now, locale) })}</span>
              </a>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="my-promises-title">
        <h2 id="my-promises-title">{t('today.myPromises')}</h2>
        {promises.length === 0 ? <p className="muted">{t('today.noneMine')}</p> : null}
        <ul className="rows" aria-labelledby="my-promises-title">
          {promises.map((p) => (
            <li key={p.id}>
              <a href={p.caseId ? href.case(p.caseId) : href.promises} className="row-link">
                <span className={`badge state-${p.state}`}>{t(`promises:state.${p.state}`)}</span>
                <span className="grow">
                  {promiseWhat(t, p, settings.promises.guarantees)}
                  {p.customerName ? <span className="muted"> — {p.customerName}</span> : null}
                </span>
                <span className="muted">{formatDateTime(p.dueAt, locale)}</span>
              </a>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="my-escalations-title">
        <h2 id="my-escalations-title">{t('today.myEscalations')}</h2>
        {escalations.length === 0 ? <p className="muted">{t('today.noneMine')}</p> : null}
        <ul className="rows" aria-labelledby="my-escalations-title">
          {escalations.map((e) => (
            <li key={e.id}>
              <a href={href.escalations} className="row-link">
                <span className="grow">{escalationTitle(t, settings.categories, e)}</span>
                <span className="muted">{e.action ? formatDateTime(e.action.dueAt, locale) : ''}</span>
              </a>
            </li>
          ))}
        </ul>
      </section>
    </>
  )
}
