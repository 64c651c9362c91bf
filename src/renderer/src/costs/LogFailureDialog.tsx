import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Choice, asOptions } from '../components/Choice'
import { type ApiError } from '../../../shared/core/errors'
import { type LoggedFailure } from '../../../shared/costs/schemas'
import { type Settings } from '../../../shared/schemas'
import { Dialog, DialogFooter } from '../components/Dialog'
import { Field } from '../components/Field'
import { categoryOptions } from '../components/labels'
import { asApiError, useApiCall, useFieldErrors } from '../hooks'
import { useCurrency } from '../money'

/**
 * `Log failure`: a failure no customer complained about (a late delivery truck, a broken oven).
 * It counts in its department's tally, the patterns and the report, with what it cost.
 */
export function LogFailureDialog({
  settings,
  onClose,
  onLogged,
}: {
  settings: Settings
  onClose: () => void
  onLogged: (failure: LoggedFailure) => void
}) {
  const { t } = useTranslation()
  const call = useApiCall()
  const currency = useCurrency()
  const [error, setError] = useState<ApiError>()
  const [isSaving, setIsSaving] = useState(false)
  const [form, setForm] = useState({ what: '', category: '', department: '', cost: '' })
  const errors = useFieldErrors(error)
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }))
  const cost = form.cost.trim() === '' ? undefined : Number(form.cost.replace(',', '.'))
  const isCostBad = cost !== undefined && !(Number.isFinite(cost) && cost >= 0)

  async function submit(event: FormEvent) {
    event.preventDefault()
    if (isSaving || isCostBad) return
    setIsSaving(true)
    try {
      const failure = await call('failures:log', {
        what: form.what,
        category: form.category,
        department: form.department,
        ...(cost !== undefined ? { cost } : {}),
      })
      onLogged(failure)
    } catch (caught) {
      setError(asApiError(caught))
    } finally {
      setIsSaving(false)
    }
  }

  return (
    <Dialog title={t('insights:failure.title')} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} className="form-grid">
        <p className="muted small wide">{t('insights:failure.hint')}</p>
        <Field label={t('insights:failure.category')} error={errors.category}>
          {(p) => (
            <Choice
              {...p}
              required
              value={form.category}
              onChange={set('category')}
              options={categoryOptions(t, settings.categories)}
              emptyLabel={t('insights:failure.choose')}
            />
          )}
        </Field>
        <Field label={t('insights:failure.department')} error={errors.department}>
          {(p) => (
            <Choice
              {...p}
              required
              value={form.department}
              onChange={set('department')}
              options={asOptions(settings.departments)}
              emptyLabel={t('insights:failure.choose')}
            />
          )}
        </Field>
        <div className="wide">
          <Field label={t('insights:failure.what')} error={errors.what}>
            {(p) => (
              <input {...p} required maxLength={2000} value={form.what} onChange={(e) => set('what')(e.target.value)} />
            )}
          </Field>
        </div>
        <Field
          label={t('insights:failure.cost', { currency })}
          error={isCostBad ? t('insights:failure.badCost') : errors.cost}
        >
          {(p) => <input {...p} inputMode="decimal" value={form.cost} onChange={(e) => set('cost')(e.target.value)} />}
        </Field>
        <div className="wide">
          <DialogFooter
            error={error}
            fieldErrors={errors}
            submitLabel={t('insights:failure.save')}
            isBusy={isSaving}
            onCancel={onClose}
          />
        </div>
      </form>
    </Dialog>
  )
}
