import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type ApiError } from '../../../shared/core/errors'
import { type TrashItem } from '../../../shared/trash/schemas'
import { useOfferUndo } from '../components/UndoNotice'
import { asApiError, useApiCall, useErrorText } from '../hooks'
import { usePermissions } from '../team/useSession'

type Props = {
  method: 'cases:delete' | 'grumbles:delete' | 'promises:delete'
  id: string
  /** How the notice names what went: a case's number, a grumble's words. */
  what: string
  onDeleted?: (item: TrashItem) => void
  className?: string
}

/**
 * **Delete**: moves the item to Trash at once (no "are you sure?": it can come back), and the
 * notice offers Undo, which restores it, for ten seconds; after that Settings → Trash does.
 */
export function DeleteButton({ method, id, what, onDeleted, className }: Props) {
  const { t } = useTranslation()
  const call = useApiCall()
  const offerUndo = useOfferUndo()
  const errorText = useErrorText()
  const [error, setError] = useState<ApiError>()
  const [isBusy, setIsBusy] = useState(false)
  const { mayTrash } = usePermissions()

  async function remove() {
    setIsBusy(true)
    try {
      const item = await call(method, { id })
      setError(undefined)
      offerUndo(t('trash:deleted', { what }), () => call('trash:restore', { id: item.id }))
      onDeleted?.(item)
    } catch (caught) {
      setError(asApiError(caught))
    } finally {
      setIsBusy(false)
    }
  }

  // An agent at a team desk may not delete: nothing to offer (the database would refuse it too).
  if (!mayTrash) return null
  return (
    <>
      <button type="button" className={className} disabled={isBusy} onClick={() => void remove()}>
        {t('trash:delete')}
      </button>
      {error ? <span role="alert">{errorText(error)}</span> : null}
    </>
  )
}
