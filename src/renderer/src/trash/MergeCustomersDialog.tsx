import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type CustomerSummary } from '../../../shared/api'
import { type ApiError } from '../../../shared/core/errors'
import { Choice } from '../components/Choice'
import { Dialog, DialogFooter } from '../components/Dialog'
import { Field } from '../components/Field'
import { asApiError, useApi, useApiCall, useFieldErrors } from '../hooks'

/** How many customers each list offers at once: a shop with 100k cases knows tens of thousands. */
const listed = 100

/**
 * Pick two customers, keep one: the other's cases, promises, grumbles, churn signals and visits
 * move over and the other record goes to Trash. Two customers of the same name are told apart
 * by their e-mail or phone in the list. The lists hold the first customers by name matching the
 * search box; a customer once chosen stays in them while the search changes.
 */
export function MergeCustomersDialog({ onClose, onMerged }: { onClose: () => void; onMerged: (text: string) => void }) {
  const { t } = useTranslation()
  const call = useApiCall()
  const [query, setQuery] = useState('')
  const customers = useApi('customers:page', { query: query.trim(), offset: 0, limit: listed })
  const [keep, setKeep] = useState<CustomerSummary>()
  const [merge, setMerge] = useState<CustomerSummary>()
  const [error, setError] = useState<ApiError>()
  const [isSaving, setIsSaving] = useState(false)
  const errors = useFieldErrors(error)
  const found = customers.data?.items ?? []
  // A customer chosen stays listed (first) when the search no longer finds it.
  const missing = [keep, merge].filter(
    (c, i, all): c is CustomerSummary =>
      c !== undefined && !found.some((f) => f.id === c.id) && all.findIndex((other) => other?.id === c.id) === i,
  )
  const listedCustomers = [...missing, ...found]
  const options = listedCustomers.map((c) => ({
    value: c.id,
    label: [c.name, c.email ?? c.phone, t('customers.caseCount', { count: c.caseCount })].filter(Boolean).join(' · '),
  }))
  const customerOf = (id: string) => listedCustomers.find((c) => c.id === id)
  const chooseKeep = (id: string) => {
    // The one to keep cannot also be the one merged into it.
    if (id === merge?.id) setMerge(undefined)
    setKeep(customerOf(id))
  }
  const total = customers.data?.total ?? 0

  async function submit(event: FormEvent) {
    event.preventDefault()
    setIsSaving(true)
    try {
      const { customer, moved } = await call('customers:merge', { keepId: keep?.id ?? '', mergeId: merge?.id ?? '' })
      onMerged(t('trash:merge.done', { gone: merge?.name ?? '', kept: customer.name, cases: moved.cases }))
    } catch (caught) {
      setError(asApiError(caught))
    } finally {
      setIsSaving(false)
    }
  }

  return (
    <Dialog title={t('trash:merge.title')} onClose={onClose}>
      <p className="muted">{t('trash:merge.hint')}</p>
      {/* Outside the form: Enter in the search box searches, it does not merge. */}
      <Field label={t('trash:merge.find')}>
        {(p) => (
          <input
            {...p}
            type="search"
            value={query}
            maxLength={200}
            onChange={(e) => setQuery(e.target.value)}
            autoFocus
          />
        )}
      </Field>
      <p className="muted small" role="status">
        {total > found.length ? t('trash:merge.more', { shown: found.length, count: total }) : ''}
      </p>
      <form onSubmit={(e) => void submit(e)} className="form-grid">
        <Field label={t('trash:merge.keep')} error={errors.keepId}>
          {(p) => (
            <Choice
              {...p}
              value={keep?.id ?? ''}
              onChange={chooseKeep}
              options={options}
              emptyLabel={t('trash:merge.pick')}
            />
          )}
        </Field>
        <Field label={t('trash:merge.other')} error={errors.mergeId}>
          {(p) => (
            <Choice
              {...p}
              value={merge?.id ?? ''}
              onChange={(id) => setMerge(customerOf(id))}
              options={options.filter((o) => o.value !== keep?.id)}
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
