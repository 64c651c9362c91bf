import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type NewCase } from '../../../shared/api'
import { type ApiError } from '../../../shared/core/errors'
import { type Settings, type Severity, type channels, sources } from '../../../shared/schemas'
import { formatList } from '../../../shared/core/i18n/listFormat'
import { Choice, asOptions } from '../components/Choice'
import { Dialog, DialogFooter } from '../components/Dialog'
import { KnownCustomerInput } from '../components/SuggestingInput'
import { Field } from '../components/Field'
import { categoryOptions } from '../components/labels'
import { asApiError, useApiCall, useFieldErrors } from '../hooks'
import { CaseChoiceFields } from './CaseChoiceFields'
import { CustomerMatches } from '../trash/CustomerMatches'

/** What Save needs before it sends anything; each missing one is named beside its field and in one line above Save. */
const requiredFields = ['customerName', 'summary', 'category', 'severity'] as const
type MissingField = (typeof requiredFields)[number]

export function NewComplaintDialog({
  settings,
  onClose,
  onCreated,
}: {
  settings: Settings
  onClose: () => void
  onCreated: (id: string) => void
}) {
  const { t, i18n } = useTranslation()
  const call = useApiCall()
  const [error, setError] = useState<ApiError>()
  const [isSaving, setIsSaving] = useState(false)
  const [form, setForm] = useState({
    customerName: '',
    summary: '',
    description: '',
    remedySought: '',
    // No preselected category or severity: a hurried Save must not misfile the complaint.
    category: '',
    severity: '',
    department: settings.staff.find((s) => s.name === settings.currentUser)?.department ?? '',
    channel: 'formal' as (typeof channels)[number],
    source: 'in-person' as (typeof sources)[number],
    owner: settings.currentUser,
  })
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }))
  const update = (key: keyof typeof form) => (e: { target: { value: string } }) => set(key)(e.target.value)
  const [missing, setMissing] = useState<MissingField[]>([])
  const serverErrors = useFieldErrors(error)
  const errors: Record<string, string> = { ...serverErrors }
  for (const field of missing) errors[field] = t(`cases:new.missing.${field}`)

  async function submit(event: FormEvent) {
    event.preventDefault()
    const nowMissing = requiredFields.filter((field) => form[field].trim() === '')
    setMissing(nowMissing)
    if (nowMissing.length > 0) {
      setError(undefined)
      return
    }
    setIsSaving(true)
    // The server files it on a known customer's record when the name matches (case and spacing ignored).
    const input: NewCase = { ...form, severity: form.severity as Severity }
    try {
      const created = await call('cases:create', input)
      onCreated(created.id)
    } catch (caught) {
      setError(asApiError(caught))
    } finally {
      setIsSaving(false)
    }
  }

  return (
    <Dialog title={t('cases:new.title')} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} className="form-grid">
        <Field label={t('cases:field.customerName')} error={errors.customerName}>
          {(p) => <KnownCustomerInput {...p} value={form.customerName} onChange={update('customerName')} autoFocus />}
        </Field>
        <CustomerMatches name={form.customerName} onPick={set('customerName')} />
        <Field label={t('cases:field.summary')} error={errors.summary}>
          {(p) => <input {...p} value={form.summary} onChange={update('summary')} />}
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
          categoryOptions={categoryOptions(t, settings.categories)}
          departments={settings.departments}
          isChoiceRequired
        />
        <Field label={t('cases:field.source')} error={errors.source}>
          {(p) => (
            <Choice
              {...p}
              value={form.source}
              onChange={set('source')}
              options={sources.map((s) => ({ value: s, label: t(`cases:source.${s}`) }))}
            />
          )}
        </Field>
        <Field label={t('cases:field.owner')} error={errors.owner}>
          {(p) => (
            <Choice
              {...p}
              value={form.owner}
              onChange={set('owner')}
              options={asOptions(settings.staff.map((s) => s.name))}
              emptyLabel={t('cases:field.none')}
            />
          )}
        </Field>
        {missing.length > 0 ? (
          <p role="alert" className="warning">
            {t('cases:new.notSaved', {
              fields: formatList(
                i18n.language,
                missing.map((field) => t(`cases:field.${field}`)),
              ),
            })}
          </p>
        ) : null}
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
