import { type ReactNode, useEffect, useId, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { type ApiError } from '../../../shared/core/errors'
import { useErrorText } from '../hooks'

/**
 * A modal built on the native <dialog>: focus is trapped and Escape closes it, both by the
 * browser, and it is announced by its title.
 */
export function Dialog({ title, onClose, children }: { title: string; onClose: () => void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null)
  const titleId = useId()
  useEffect(() => {
    const dialog = ref.current
    if (dialog && !dialog.open) dialog.showModal()
  }, [])
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault()
        onClose()
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  )
}

/**
 * A form dialog's last lines: the error no field could show (field errors stand beside their
 * fields), then Cancel and the submit button, disabled while the request runs.
 */
export function DialogFooter({
  error,
  fieldErrors,
  submitLabel,
  isBusy = false,
  onCancel,
}: {
  error: ApiError | undefined
  fieldErrors: Record<string, string>
  submitLabel: string
  isBusy?: boolean
  onCancel: () => void
}) {
  const { t } = useTranslation()
  const errorText = useErrorText()
  return (
    <>
      {error && Object.keys(fieldErrors).length === 0 ? <p role="alert">{errorText(error)}</p> : null}
      <div className="actions">
        <button type="button" onClick={onCancel}>
          {t('actions.cancel')}
        </button>
        <button type="submit" className="primary" disabled={isBusy}>
          {submitLabel}
        </button>
      </div>
    </>
  )
}
