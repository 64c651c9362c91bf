import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type ApiError } from '../../../shared/core/errors'
import { type GrumbleSummary } from '../../../shared/iceberg/contract'
import { type Settings } from '../../../shared/schemas'
import { Choice, asOptions } from '../components/Choice'
import { Dialog, DialogFooter } from '../components/Dialog'
import { Field } from '../components/Field'
import { KnownCustomerInput } from '../components/SuggestingInput'
import { categoryOptions } from '../components/labels'
import { asApiError, useApiCall, useFieldErrors } from '../hooks'

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
  const [form, setForm] = useState({
    text: grumble.text,
    customerName: grumble.customerName ?? '',
    category: grumble.category ?? '',
    department: grumble.department ?? '',
    suggestion: grumble.suggestion,
  })
  const errors = useFieldErrors(error)
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }))
  const update = (key: keyof typeof form) => (e: { target: { value: string } }) => set(key)(e.target.value)

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
        <div className="wide">
          <Field label={t('iceberg:grumble.text')} error={errors.text}>
            {(p) => <input {...p} value={form.text} onChange={update('text')} autoFocus maxLength={500} />}
          </Field>
        </div>
        <Field label={t('iceberg:grumble.customer')} error={errors.customerName}>
          {(p) => <KnownCustomerInput {...p} value={form.customerName} onChange={update('customerName')} />}
        </Field>
        <Field label={t('iceberg:grumble.category')} error={errors.category}>
          {(p) => (
            <Choice
              {...p}
              value={form.category}
              onChange={set('category')}
              options={categoryOptions(t, settings.categories)}
              emptyLabel={t('iceberg:grumble.none')}
            />
          )}
        </Field>
        <Field label={t('iceberg:grumble.department')} error={errors.department}>
          {(p) => (
            <Choice
              {...p}
              value={form.department}
              onChange={set('department')}
              options={asOptions(settings.departments)}
              emptyLabel={t('iceberg:grumble.none')}
            />
          )}
        </Field>
        <div className="wide">
          <Field label={t('iceberg:grumble.suggestion')} error={errors.suggestion}>
            {(p) => <input {...p} value={form.suggestion} onChange={update('suggestion')} maxLength={2000} />}
          </Field>
        </div>
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
