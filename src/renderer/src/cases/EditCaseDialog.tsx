import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type CaseEdit } from '../../../shared/api'
import { type ApiError } from '../../../shared/core/errors'
import { type Case, type Customer, type Settings, channels, severities } from '../../../shared/schemas'
import { Choice, asOptions } from '../components/Choice'
import { Dialog, DialogFooter } from '../components/Dialog'
import { Field } from '../components/Field'
import { categoryOptions } from '../components/labels'
import { asApiError, useApi, useApiCall, useFieldErrors } from '../hooks'

type Props = { c: Case; customer: Customer; settings: Settings; onClose: () => void }

/**
 * Edits a case's facts. Only what changed is sent, so each change becomes one timeline entry
 * with before → after (the service compares field by field).
 */
export function EditCaseDialog({ c, customer, settings, onClose }: Props) {
  const { t } = useTranslation()
  const call = useApiCall()
  const customers = useApi('customers:list', {})
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
      // The exact name of a known customer moves the case to their record; another name creates one.
      const known = customers.data?.find((x) => x.name.trim() === name)
      Object.assign(input, known ? { customerId: known.id } : { customerName: name })
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
        <Field label={t('cases:field.category')} error={errors.category}>
          {(p) => (
            <Choice
              {...p}
              value={form.category}
              onChange={set('category')}
              options={categoryOptions(t, settings.categories, { isArchivedIncluded: true })}
            />
          )}
        </Field>
        <Field label={t('cases:field.severity')} error={errors.severity}>
          {(p) => (
            <Choice
              {...p}
              value={form.severity}
              onChange={set('severity')}
              options={severities.map((s) => ({ value: s, label: t(`cases:severity.${s}`) }))}
            />
          )}
        </Field>
        <Field label={t('cases:field.department')} error={errors.department}>
          {(p) => (
            <Choice
              {...p}
              value={form.department}
              onChange={set('department')}
              options={asOptions(departments)}
              emptyLabel={t('cases:field.none')}
            />
          )}
        </Field>
        <Field label={t('cases:field.channel')} error={errors.channel}>
          {(p) => (
            <Choice
              {...p}
              value={form.channel}
              onChange={set('channel')}
              options={channels.map((x) => ({ value: x, label: t(`cases:channel.${x}`) }))}
            />
          )}
        </Field>
        <Field label={t('cases:field.customer')} error={errors.customerName ?? errors.customerId}>
          {(p) => (
            <>
              <input {...p} list="edit-known-customers" value={form.customerName} onChange={update('customerName')} />
              <datalist id="edit-known-customers">
                {customers.data?.map((x) => (
                  <option key={x.id} value={x.name} />
                ))}
              </datalist>
            </>
          )}
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
