import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type MethodOutput } from '../../../shared/api'
import { type ApiError } from '../../../shared/core/errors'
import { type Locale, type Settings } from '../../../shared/schemas'
import { api } from '../api'
import { Dialog } from '../components/Dialog'
import { Field } from '../components/Field'
import { formatDateTime } from '../format'
import { asApiError, useApi, useApiCall, useErrorText } from '../hooks'
import { usePermissions } from '../team/useSession'

type Preview = MethodOutput<'backups:preview'>

/** Settings → Backups: damaged-file notice, `Back up now`, the list, and `Restore…` with a preview. */
export function BackupsSection({ settings }: { settings: Settings }) {
  const { mayDelete } = usePermissions()
  const { t, i18n } = useTranslation()
  const call = useApiCall()
  const errorText = useErrorText()
  const locale = (i18n.resolvedLanguage ?? 'en') as Locale
  const backups = useApi('backups:list', {})
  const status = useApi('storage:status', {})
  const [error, setError] = useState<ApiError>()
  const [message, setMessage] = useState('')
  const [preview, setPreview] = useState<Preview>()
  const [isBusy, setIsBusy] = useState(false)

  async function run(action: () => Promise<void>) {
    setIsBusy(true)
    try {
      await action()
      setError(undefined)
    } catch (caught) {
      setError(asApiError(caught))
    } finally {
      setIsBusy(false)
    }
  }

  const saveStorage = (next: Partial<Settings['storage']>) =>
    run(async () => {
      await call('settings:update', { storage: { ...settings.storage, ...next } })
    })

  const backUpNow = () =>
    run(async () => {
      await call('backups:create', {})
      setMessage(t('storage:backups.done'))
    })

  const restore = (name: string) =>
    run(async () => {
      const { keptAs } = await call('backups:restore', { name })
      setPreview(undefined)
      setMessage(t('storage:backups.restored', { name: keptAs }))
    })

  const dismiss = (id: string) =>
    run(async () => {
      await call('storage:dismissProblem', { id })
    })

  const problems = status.data?.problems ?? []
  const latest = status.data?.latestBackup
  const openPreview = (name: string) => run(async () => setPreview(await api('backups:preview', { name })))
  return (
    <section className="card" aria-labelledby="backups-title">
      <h2 id="backups-title">{t('storage:backups.title')}</h2>
      {problems.length > 0 ? (
        <div role="alert">
          <p>
            <strong>{t('storage:backups.problemsTitle')}</strong>
          </p>
          <ul className="compact">
            {problems.map((p) => (
              <li key={p.id ?? p.file}>
                {t('storage:backups.problem', { file: p.file, message: p.message })}{' '}
                {p.id ? (
                  <button type="button" className="link" disabled={isBusy} onClick={() => void dismiss(p.id!)}>
                    {t('storage:backups.dismiss')}
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
          <p className="muted small">{t('storage:backups.problemHint')}</p>
          <p className="muted small">{t('storage:backups.dismissHint')}</p>
          {latest && mayDelete ? (
            <button type="button" disabled={isBusy} onClick={() => void openPreview(latest.name)}>
              {t('storage:backups.restoreLatest', { date: formatDateTime(latest.createdAt, locale) })}
            </button>
          ) : null}
        </div>
      ) : null}
      <p className="muted small">{t('storage:backups.hint')}</p>
      <div className="inline">
        <label className="checkbox">
          <input
            type="checkbox"
            checked={settings.storage.isDailyBackupOn}
            onChange={(e) => void saveStorage({ isDailyBackupOn: e.target.checked })}
          />
          {t('storage:backups.daily')}
        </label>
        <Field label={t('storage:backups.keep')}>
          {(p) => (
            <input
              {...p}
              type="number"
              min={1}
              max={365}
              value={settings.storage.backupsToKeep}
              onChange={(e) => {
                const n = Number(e.target.value)
                if (Number.isInteger(n) && n >= 1 && n <= 365) void saveStorage({ backupsToKeep: n })
              }}
            />
          )}
        </Field>
        <button type="button" onClick={() => void backUpNow()} disabled={isBusy}>
          {t('storage:backups.backUpNow')}
        </button>
      </div>
      {message ? <p role="status">{message}</p> : null}
      {error ? <p role="alert">{errorText(error)}</p> : null}
      {backups.data && backups.data.length === 0 ? <p className="muted">{t('storage:backups.none')}</p> : null}
      <ul className="compact" aria-label={t('storage:backups.title')}>
        {(backups.data ?? []).map((b) => (
          <li key={b.name}>
            <span id={`backup-${b.name}`}>
              {formatDateTime(b.createdAt, locale)} <span className="muted small">{b.name}</span>
            </span>{' '}
            {/* A restore replaces every record: only an owner may (the team database refuses anyone else). */}
            {mayDelete ? (
              <button
                type="button"
                className="link"
                aria-describedby={`backup-${b.name}`}
                onClick={() => void openPreview(b.name)}
              >
                {t('storage:backups.restore')}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      {preview ? (
        <Dialog title={t('storage:backups.restoreTitle')} onClose={() => setPreview(undefined)}>
          <p>{t('storage:backups.replaces', { date: formatDateTime(preview.backup.createdAt, locale) })}</p>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('storage:backups.kind')}</th>
                <th scope="col">{t('storage:backups.current')}</th>
                <th scope="col">{t('storage:backups.inBackup')}</th>
              </tr>
            </thead>
            <tbody>
              {preview.counts.map((c) => (
                <tr key={c.kind}>
                  <th scope="row">{t(`storage:kinds.${c.kind}`, { defaultValue: c.kind })}</th>
                  <td>{c.current}</td>
                  <td>{c.inBackup}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="actions">
            <button type="button" onClick={() => setPreview(undefined)}>
              {t('actions.cancel')}
            </button>
            <button
              type="button"
              className="primary"
              disabled={isBusy}
              onClick={() => void restore(preview.backup.name)}
            >
              {t('storage:backups.confirm')}
            </button>
          </div>
        </Dialog>
      ) : null}
    </section>
  )
}
