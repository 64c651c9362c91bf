import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type Locale, type Settings } from '../../../shared/schemas'
import { asApiError, useApi, useApiCall, useErrorText } from '../hooks'
import { askAgainWhileIncomplete } from '../query'
import { formatAge } from '../format'
import { href } from '../router'
import { type ApiError } from '../../../shared/core/errors'
import { TodayPromises } from '../promises/TodayPromises'
import { NewEscalations } from '../escalations/TodayEscalations'
import { MyWork } from './MyWork'
import { ReadyToClose } from './ReadyToClose'
import { WaitingForNews } from '../contacts/WaitingForNews'
import { TeamWork } from './TeamWork'
import { type TodayTab, TodayTabs } from './TodayTabs'

export function TodayView({ settings }: { settings: Settings }) {
  const { t, i18n } = useTranslation()
  const call = useApiCall()
  // Served while older months still load: asked again until the answer is complete.
  const today = useApi('today:get', {}, { refetchInterval: askAgainWhileIncomplete })
  const info = useApi('app:info', {})
  const [loadError, setLoadError] = useState<ApiError>()
  const [isLoading, setIsLoading] = useState(false)
  const errorText = useErrorText()
  const locale = i18n.language as Locale
  const now = info.data ? new Date(info.data.now) : new Date()
  const isPartial = today.data !== undefined && !today.data.isComplete
  const [tab, setTab] = useState<TodayTab>('mine')

  async function loadSample() {
    setIsLoading(true)
    try {
      await call('demo:load', {})
    } catch (caught) {
      setLoadError(asApiError(caught))
    } finally {
      setIsLoading(false)
    }
  }

  return (
    <section aria-labelledby="today-title">
      <h1 id="today-title">{t('today.title')}</h1>
      {info.data?.isEmpty ? (
        <div className="welcome" role="region" aria-label={t('today.welcomeTitle')}>
          <h2>{t('today.welcomeTitle')}</h2>
          <p>{t('today.welcomeText')}</p>
          <button type="button" className="primary" onClick={() => void loadSample()} disabled={isLoading}>
            {t('today.loadSample')}
          </button>
          {loadError ? <p role="alert">{errorText(loadError)}</p> : null}
        </div>
      ) : null}
      <TodayTabs selected={tab} onSelect={setTab} />
      <div role="tabpanel" id={`today-panel-${tab}`} aria-labelledby={`today-tab-${tab}`}>
        {tab === 'team' ? (
          <TeamWork now={now} />
        ) : settings.currentUser ? (
          <MyWork settings={settings} now={now} />
        ) : (
          <>
            {/* Nobody said who they are: everyone's work is theirs, as on a one-person business. */}
            <p className="muted">{t('today.whoAmI')}</p>
            <TodayPromises />
            <NewEscalations />
            <h2>{t('today.nextSteps')}</h2>
            {today.error ? <p role="alert">{errorText(today.error)}</p> : null}
            {today.data && today.data.cases.length === 0 ? <p>{t('today.nothing')}</p> : null}
            <ul className="rows" aria-label={t('today.nextSteps')}>
              {today.data?.cases.map((c) => (
                <li key={c.id}>
                  <a href={href.case(c.id)} className="row-link">
                    <span className="mono">{c.number}</span>
                    <span className="grow">
                      <strong>{c.customerName}</strong> — {c.summary}
                    </span>
                    <span className="badge">
                      {c.nextStep ? t('today.next', { step: t(`cases:step.${c.nextStep}`) }) : ''}
                    </span>
                    <span className="muted">{formatAge(c.receivedAt, now, locale)}</span>
                  </a>
                </li>
              ))}
            </ul>
            {today.data && today.data.total > today.data.cases.length ? (
              <p>
                <a href={href.cases}>{t('today.more', { shown: today.data.cases.length, count: today.data.total })}</a>
              </p>
            ) : null}
            {isPartial ? <p className="muted small">{t('today.stillLoading')}</p> : null}
          </>
        )}
      </div>
      <WaitingForNews now={now} />
      <ReadyToClose now={now} />
    </section>
  )
}
