import { useState } from 'react'
import './trash.css'
import { useTranslation } from 'react-i18next'
import { type ApiError } from '../../../shared/core/errors'
import { type Locale } from '../../../shared/schemas'
import { trashKeepDays } from '../../../shared/trash/schemas'
import { formatDate, formatDateTime } from '../format'
import { asApiError, useApi, useApiCall, useErrorText } from '../hooks'
import { usePermissions } from '../team/useSession'

/** Settings → Trash: what was deleted, by whom and when, with Restore, until it is purged. */
export function TrashSection() {
  const { t, i18n } = useTranslation()
  const locale = (i18n.resolvedLanguage ?? 'en') as Locale
  const call = useApiCall()
  const errorText = useErrorText()
  const trash = useApi('trash:list', {})
  const [error, setError] = useState<ApiError>()
  const [busyId, setBusyId] = useState<string>()
  const [message, setMessage] = useState('')
  const { mayTrash } = usePermissions()
  const items = trash.data ?? []

  async function restore(id: string, label: string) {
    setBusyId(id)
    try {
      await call('trash:restore', { id })
      setError(undefined)
      setMessage(t('trash:restored', { what: label }))
    } catch (caught) {
      setError(asApiError(caught))
    } finally {
      setBusyId(undefined)
    }
  }

  return (
    <section className="card" aria-labelledby="trash-title">
      <h2 id="trash-title">{t('trash:title')}</h2>
      <p className="muted">{t('trash:intro', { days: trashKeepDays })}</p>
      {trash.error ? <p role="alert">{errorText(trash.error)}</p> : null}
      {error ? <p role="alert">{errorText(error)}</p> : null}
      {message ? (
        <p className="notice" aria-live="polite">
          {message}
        </p>
      ) : null}
      {trash.data && items.length === 0 ? <p>{t('trash:empty')}</p> : null}
      {items.length > 0 ? (
        <table className="trash-table">
          <thead>
            <tr>
              <th scope="col">{t('trash:column.kind')}</th>
              <th scope="col">{t('trash:column.what')}</th>
              <th scope="col">{t('trash:column.deletedBy')}</th>
              <th scope="col">{t('trash:column.deletedAt')}</th>
              <th scope="col">{t('trash:column.purgeAt')}</th>
              <td />
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.id}>
                <td>{t(`trash:kind.${item.kind}`)}</td>
                <td>{item.label}</td>
                <td>{item.deletedBy}</td>
                <td>{formatDateTime(item.deletedAt, locale)}</td>
                <td>{formatDate(item.purgeAt, locale)}</td>
                <td>
                  <button
                    type="button"
                    disabled={!mayTrash || busyId === item.id}
                    onClick={() => void restore(item.id, item.label)}
                  >
                    {t('trash:restore')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  )
}
