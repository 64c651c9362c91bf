import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useApi } from '../hooks'

/** Background jobs run hourly at most: asking once a minute finds a new failure soon enough. */
const askEveryMs = 60_000

/**
 * A daily backup or the monthly export failed: said on every screen until the job next succeeds
 * (the desktop app also shows a notification; in the browser this is the only place it shows).
 */
export function BackgroundAlertsBanner() {
  const { t } = useTranslation()
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set())
  const alerts = useApi('alerts:list', {}, { refetchInterval: askEveryMs }).data ?? []
  const shown = alerts.filter((a) => !dismissed.has(`${a.kind}@${a.at}`))
  if (shown.length === 0) return null
  return (
    <>
      {shown.map((alert) => (
        <div key={alert.kind} role="alert" className="warning banner">
          <strong>{t(`alerts.${alert.kind}.title`)}</strong>{' '}
          {t(`alerts.${alert.kind}.body`, { message: alert.message })}{' '}
          <button type="button" onClick={() => setDismissed((d) => new Set([...d, `${alert.kind}@${alert.at}`]))}>
            {t('alerts.dismiss')}
          </button>
        </div>
      ))}
    </>
  )
}
