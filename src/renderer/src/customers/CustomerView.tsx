import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type ApiError } from '../../../shared/core/errors'
import { type Customer, type Locale, type Settings } from '../../../shared/schemas'
import { Field } from '../components/Field'
import { categoryLabel } from '../../../shared/cases/categoryLabel'
import { formatDate } from '../format'
import { asApiError, useApi, useApiCall, useErrorText, useFieldErrors } from '../hooks'
import { href } from '../router'
import { LoyaltyCard } from '../iceberg/LoyaltyCard'

type Props = { id: string; settings: Settings }

export function CustomerView({ id, settings }: Props) {
  const { t, i18n } = useTranslation()
  const detail = useApi('customers:get', { id })
  const errorText = useErrorText()
  if (detail.error) return <p role="alert">{errorText(detail.error)}</p>
  if (!detail.data) return <p>{t('app.loading')}</p>
  const { customer, cases } = detail.data

  return (
    <article aria-labelledby="customer-title" className="case-columns">
      <CustomerForm key={customer.id} customer={customer} />
      <div>
        <section className="card" aria-labelledby="customer-cases-title">
          <h2 id="customer-cases-title">{t('customers.cases', { count: cases.length })}</h2>
          <ul className="compact">
            {cases.map((c) => (
              <li key={c.id}>
                <a href={href.case(c.id)}>
                  {c.number} · {formatDate(c.receivedAt, i18n.language as Locale)} · {c.summary}
                </a>{' '}
                <span className="muted">
                  ({categoryLabel(t, settings.categories, c.category)}, {t(`cases:status.${c.status}`)})
                </span>
              </li>
            ))}
          </ul>
        </section>
        <LoyaltyCard customer={customer} settings={settings} />
      </div>
    </article>
  )
}

/** Keyed by customer: the form starts from the stored record and keeps the user's edits. */
function CustomerForm({ customer }: { customer: Customer }) {
  const { t } = useTranslation()
  const call = useApiCall()
  const errorText = useErrorText()
  const [form, setForm] = useState({
    name: customer.name,
    email: customer.email ?? '',
    phone: customer.phone ?? '',
    notes: customer.notes,
  })
  const [error, setError] = useState<ApiError>()
  const [isSaved, setIsSaved] = useState(false)
  const errors = useFieldErrors(error)
  const id = customer.id

  async function save(event: FormEvent) {
    event.preventDefault()
    try {
      await call('customers:update', {
        id,
        name: form.name,
        notes: form.notes,
        ...(form.email ? { email: form.email } : {}),
        ...(form.phone ? { phone: form.phone } : {}),
      })
      setError(undefined)
      setIsSaved(true)
    } catch (caught) {
      setIsSaved(false)
      setError(asApiError(caught))
    }
  }
  const update = (key: keyof typeof form) => (e: { target: { value: string } }) => {
    setIsSaved(false)
    setForm((f) => ({ ...f, [key]: e.target.value }))
  }

  return (
    <section className="card">
      <h1 id="customer-title">{customer.name}</h1>
      <form onSubmit={(e) => void save(e)} className="form-grid">
        <Field label={t('customers.name')} error={errors.name}>
          {(p) => <input {...p} value={form.name} onChange={update('name')} />}
        </Field>
        <Field label={t('customers.email')} error={errors.email}>
          {(p) => <input {...p} type="email" value={form.email} onChange={update('email')} />}
        </Field>
        <Field label={t('customers.phone')} error={errors.phone}>
          {(p) => <input {...p} value={form.phone} onChange={update('phone')} />}
        </Field>
        <Field label={t('customers.notes')} error={errors.notes}>
          {(p) => <textarea {...p} rows={4} value={form.notes} onChange={update('notes')} />}
        </Field>
        {error && Object.keys(errors).length === 0 ? <p role="alert">{errorText(error)}</p> : null}
        <div className="actions">
          <button type="submit" className="primary">
            {t('actions.save')}
          </button>
          {isSaved ? <span role="status">{t('actions.saved')}</span> : null}
        </div>
      </form>
    </section>
  )
}
