import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type ApiError } from '../../../shared/core/errors'
import { type GrumbleSummary } from '../../../shared/iceberg/contract'
import { type Settings } from '../../../shared/schemas'
import { Dialog, DialogFooter } from '../components/Dialog'
import { asApiError, useApiCall, useFieldErrors } from '../hooks'
import { type GrumbleForm, GrumbleFields } from '../iceberg/GrumbleFields'

/** Corrects a grumble: its words, the customer, category, department and the suggestion. */
export function EditGrumbleDialog({
  grumble,
  settings,
  onClose,
}: {
  grumble: GrumbleSummary
  settings: Settings
  onClose: () => void
}) {
  const { t } = useTranslation()
  const call = useApiCall()
  const [error, setError] = useState<ApiError>()
  const [isSaving, setIsSaving] = useState(false)
  const [form, setForm] = useState<GrumbleForm>({
    text: grumble.text,
    customerName: grumble.customerName ?? '',
    category: grumble.category ?? '',
    department: grumble.department ?? '',
    suggestion: grumble.suggestion,
  })
  const errors = useFieldErrors(error)

  async function submit(event: FormEvent) {
    event.preventDefault()
    setIsSaving(true)
    try {
      await call('grumbles:update', { id: grumble.id, ...form })
      onClose()
    } catch (caught) {
      setError(asApiError(caught))
    } finally {
      setIsSaving(false)
    }
  }

  return (
    <Dialog title={t('trash:editGrumble')} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} className="form-grid grumble-form">
        <GrumbleFields
          form={form}
          errors={errors}
          settings={settings}
          onChange={(key, value) => setForm((f) => ({ ...f, [key]: value }))}
        />
        <DialogFooter
          error={error}
          fieldErrors={errors}
          submitLabel={t('actions.save')}
          isBusy={isSaving}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  )
}
