import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type ApiError } from '../../../shared/core/errors'
import { Choice } from '../components/Choice'
import { Dialog, DialogFooter } from '../components/Dialog'
import { Field } from '../components/Field'
import { asApiError, useApi, useApiCall, useFieldErrors } from '../hooks'

/**
 * Pick two customers, keep one: the other's cases, promises, grumbles, churn signals and visits
 * move over and the other record goes to Trash. Two customers of the same name are told apart
 * by their e-mail or phone in the list.
 */
export function MergeCustomersDialog({ onClose, onMerged }: { onClose: () => void; onMerged: (text: string) => void }) {
  const { t } = useTranslation()
  const call = useApiCall()
  const customers = useApi('customers:list', {})
  const [keepId, setKeepId] = useState('')
  const [mergeId, setMergeId] = useState('')
  const [error, setError] = useState<ApiError>()
  const [isSaving, setIsSaving] = useState(false)
  const errors = useFieldErrors(error)
  const options = (customers.data ?? []).map((c) => ({
    value: c.id,
    label: [c.name, c.email ?? c.phone, t('customers.caseCount', { count: c.caseCount })].filter(Boolean).join(' · '),
  }))
  const nameOf = (id: string) => customers.data?.find((c) => c.id === id)?.name ?? ''

  async function submit(event: FormEvent) {
    event.preventDefault()
    setIsSaving(true)
    try {
      const { customer, moved } = await call('customers:merge', { keepId, mergeId })
      onMerged(t('trash:merge.done', { gone: nameOf(mergeId), kept: customer.name, cases: moved.cases }))
    } catch (caught) {
      setError(asApiError(caught))
    } finally {
      setIsSaving(false)
    }
  }

  return (
    <Dialog title={t('trash:merge.title')} onClose={onClose}>
      <p className="muted">{t('trash:merge.hint')}</p>
      <form onSubmit={(e) => void submit(e)} className="form-grid">
        <Field label={t('trash:merge.keep')} error={errors.keepId}>
          {(p) => (
            <Choice
              {...p}
              value={keepId}
              onChange={setKeepId}
              options={options}
              emptyLabel={t('trash:merge.pick')}
              autoFocus
            />
          )}
        </Field>
        <Field label={t('trash:merge.other')} error={errors.mergeId}>
          {(p) => (
            <Choice
              {...p}
              value={mergeId}
              onChange={setMergeId}
              options={options.filter((o) => o.value !== keepId)}
              emptyLabel={t('trash:merge.pick')}
            />
          )}
        </Field>
        <DialogFooter
          error={error}
          fieldErrors={errors}
          submitLabel={t('trash:merge.submit')}
          isBusy={isSaving}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  )
}
