import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type CaseEdit } from '../../../shared/api'
import { type ApiError } from '../../../shared/core/errors'
import { type Case, type Customer, type Settings } from '../../../shared/schemas'
import { Dialog, DialogFooter } from '../components/Dialog'
import { KnownCustomerInput } from '../components/SuggestingInput'
import { Field } from '../components/Field'
import { categoryOptions } from '../components/labels'
import { asApiError, useApiCall, useFieldErrors } from '../hooks'
import { CaseChoiceFields } from './CaseChoiceFields'

type Props = { c: Case; customer: Customer; settings: Settings; onClose: () => void }

/**
 * Edits a case's facts. Only what changed is sent, so each change becomes one timeline entry
 * with before → after (the service compares field by field).
 */
export function EditCaseDialog({ c, customer, settings, onClose }: Props) {
  const { t } = useTranslation()
  const call = useApiCall()
  const [error, setError] = useState<ApiError>()
  const [isSaving, setIsSaving] = useState(false)
  const [form, setForm] = useState({
    customerName: customer.name,
    summary: c.summary,
    description: c.description,
    remedySought: c.remedySought,
    category: c.category,
    severity: c.severity as string,
    department: c.department,
    channel: c.channel as string,
  })
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }))
  const update = (key: keyof typeof form) => (e: { target: { value: string } }) => set(key)(e.target.value)
  const errors = useFieldErrors(error)
  // A category or department no longer offered stays choosable on the case that has it.
  const departments =
    settings.departments.includes(c.department) || !c.department
      ? settings.departments
      : [c.department, ...settings.departments]

  async function submit(event: FormEvent) {
    event.preventDefault()
    const { customerName, ...fields } = form
    const input: CaseEdit = { id: c.id }
    for (const [key, value] of Object.entries(fields) as [keyof typeof fields, string][]) {
      if (value !== c[key]) Object.assign(input, { [key]: value })
    }
    const name = customerName.trim()
    if (name !== customer.name) {
      // The server finds a known customer by this name (case and spacing ignored) or creates one.
      Object.assign(input, { customerName: name })
    }
    setIsSaving(true)
    try {
      await call('cases:update', input)
      onClose()
    } catch (caught) {
      setError(asApiError(caught))
    } finally {
      setIsSaving(false)
    }
  }

  return (
    <Dialog title={t('cases:edit.title', { number: c.number })} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} className="form-grid">
        <Field label={t('cases:field.summary')} error={errors.summary}>
          {(p) => <input {...p} value={form.summary} onChange={update('summary')} autoFocus />}
        </Field>
        <Field label={t('cases:field.description')} error={errors.description}>
          {(p) => <textarea {...p} rows={3} value={form.description} onChange={update('description')} />}
        </Field>
        <Field label={t('cases:field.remedySought')} error={errors.remedySought}>
          {(p) => <textarea {...p} rows={2} value={form.remedySought} onChange={update('remedySought')} />}
        </Field>
        <CaseChoiceFields
          values={form}
          set={set}
          errors={errors}
          categoryOptions={categoryOptions(t, settings.categories, { isArchivedIncluded: true })}
          departments={departments}
          isChoiceRequired={false}
        />
        <Field label={t('cases:field.customer')} error={errors.customerName ?? errors.customerId}>
          {(p) => <KnownCustomerInput {...p} value={form.customerName} onChange={update('customerName')} />}
        </Field>
        <p className="muted small">{t('cases:edit.customerHint')}</p>
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
