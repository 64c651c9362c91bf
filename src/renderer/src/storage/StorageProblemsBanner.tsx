import { useTranslation } from 'react-i18next'
import { useApi } from '../hooks'
import { href } from '../router'

/**
 * Told on every screen, not only in Settings: a damaged data file was set aside on start. The
 * link leads to Settings → Backups, where each file, what was wrong and the latest backup are.
 */
export function StorageProblemsBanner() {
  const { t } = useTranslation()
  // Asked once when shown, not after every change: problems are found on open and cleared by a
  // restore in Settings, and leaving Settings shows the banner afresh.
  const status = useApi('storage:status', {})
  const problems = status.data?.problems ?? []
  if (problems.length === 0) return null
  const first = problems[0]!
  return (
    <div role="alert" className="warning banner">
      <strong>{t('storage:backups.problemsTitle')}</strong>{' '}
      {t('storage:banner.summary', { count: problems.length, file: first.file.split(/[\\/]/).pop() ?? first.file })}{' '}
      <a href={href.backups}>{t('storage:banner.review')}</a>
    </div>
  )
}
