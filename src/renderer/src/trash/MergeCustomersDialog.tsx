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
  const [chosen, setChosen] = useState<Record<string, CustomerSummary>>({})
  const [keepId, setKeepId] = useState('')
  const [mergeId, setMergeId] = useState('')
  const [error, setError] = useState<ApiError>()
  const [isSaving, setIsSaving] = useState(false)
  const errors = useFieldErrors(error)
  const found = customers.data?.items ?? []
  const kept = [...new Set([keepId, mergeId])].flatMap((id) =>
    chosen[id] && !found.some((c) => c.id === id) ? [chosen[id]] : [],
  )
  const options = [...kept, ...found].map((c) => ({
    value: c.id,
    label: [c.name, c.email ?? c.phone, t('customers.caseCount', { count: c.caseCount })].filter(Boolean).join(' · '),
  }))
  const choose = (set: (id: string) => void) => (id: string) => {
    const customer = found.find((c) => c.id === id)
    if (customer) setChosen((before) => ({ ...before, [id]: customer }))
    set(id)
  }
  const chooseKeep = (id: string) => {
    // The one to keep cannot also be the one merged into it.
    if (id === mergeId) setMergeId('')
    choose(setKeepId)(id)
  }
  const nameOf = (id: string) => chosen[id]?.name ?? ''
  const total = customers.data?.total ?? 0

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
            <Choice {...p} value={keepId} onChange={chooseKeep} options={options} emptyLabel={t('trash:merge.pick')} />
          )}
        </Field>
        <Field label={t('trash:merge.other')} error={errors.mergeId}>
          {(p) => (
            <Choice
              {...p}
              value={mergeId}
              onChange={choose(setMergeId)}
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
