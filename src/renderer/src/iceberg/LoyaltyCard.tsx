import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useCurrency } from '../money'
import { Choice } from '../components/Choice'
import { type ApiError } from '../../../shared/core/errors'
import { type SignalLevel, signalLevels } from '../../../shared/iceberg/schemas'
import { type Customer, type Locale, type Settings } from '../../../shared/schemas'
import { Dialog, DialogFooter } from '../components/Dialog'
import { Field } from '../components/Field'
import { categoryLabel } from '../../../shared/cases/categoryLabel'
import { categoryOptions } from '../components/labels'
import { formatDate } from '../format'
import { asApiError, useApi, useApiCall, useErrorText, useFieldErrors } from '../hooks'
import { href } from '../router'
import { formatList } from '../../../shared/core/i18n/listFormat'

/** The customer's loyalty segment, their silent-churn signals and grumbles, and `Customer went quiet`. */
export function LoyaltyCard({ customer, settings }: { customer: Customer; settings: Settings }) {
  const { t, i18n } = useTranslation()
  const currency = useCurrency()
  const call = useApiCall()
  const loyalty = useApi('loyalty:get', { customerId: customer.id })
  const errorText = useErrorText()
  const [isRaising, setIsRaising] = useState(false)
  const [error, setError] = useState<ApiError>()
  const locale = i18n.language as Locale
  const data = loyalty.data

  async function setAdvocate(isAdvocate: boolean) {
    try {
      await call('loyalty:setAdvocate', { customerId: customer.id, isAdvocate })
      setError(undefined)
    } catch (caught) {
      setError(asApiError(caught))
    }
  }

  return (
    <section className="card" aria-labelledby="loyalty-title">
      <h2 id="loyalty-title">{t('iceberg:loyalty.title')}</h2>
      {loyalty.error ? <p role="alert">{errorText(loyalty.error)}</p> : null}
      {data ? (
        <>
          <p>
            <span className={`badge segment-${data.segment ?? 'none'}`}>
              {t('iceberg:loyalty.segment', {
                segment: data.segment ? t(`iceberg:segment.${data.segment}`) : t('iceberg:segment.none'),
              })}
            </span>
          </p>
          <p className="muted small">
            {/* One visit has no rhythm to report: its own sentence, not a plural form (Chinese has none). */}
            {data.assessment?.visits === 1
              ? t('iceberg:loyalty.oneVisit', { when: formatDate(data.assessment.lastAt, locale) })
              : data.assessment
                ? t('iceberg:loyalty.visits', {
                    count: data.assessment.visits,
                    when: formatDate(data.assessment.lastAt, locale),
                    interval: data.assessment.usualIntervalDays,
                  })
                : t('iceberg:loyalty.noActivity')}
          </p>
          {data.assessment && data.assessment.visitsPerYear > 0 ? (
            <p className="small">
              {t('iceberg:valueAtRisk.label')}:{' '}
              {t('iceberg:valueAtRisk.formula', { ...data.assessment.valueAtRisk, currency })}
            </p>
          ) : null}
          <label className="checkbox">
            <input
              type="checkbox"
              checked={customer.isAdvocate ?? false}
              onChange={(e) => void setAdvocate(e.target.checked)}
            />
            {t('iceberg:loyalty.advocate')}
          </label>
          <div className="actions">
            <button type="button" onClick={() => setIsRaising(true)}>
              {t('iceberg:loyalty.wentQuiet')}
            </button>
          </div>
          {error ? <p role="alert">{errorText(error)}</p> : null}
          {data.signals.length > 0 ? (
            <>
              <h3>{t('iceberg:loyalty.signals')}</h3>
              <ul className="compact">
                {data.signals.map((s) => (
                  <li key={s.id}>
                    <a href={href.signal(s.id)}>
                      {formatDate(s.raisedAt, locale)} ·{' '}
                      {s.outcome ? t(`iceberg:outcome.${s.outcome}`) : t(`iceberg:level.${s.level}`)}
                    </a>{' '}
                    <span className="muted">
                      {formatList(
                        locale,
                        s.reasons.map((r) => t(`iceberg:reason.${r}`)),
                      )}
                    </span>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {data.grumbles.length > 0 ? (
            <>
              <h3>{t('iceberg:loyalty.grumbles')}</h3>
              <ul className="compact">
                {data.grumbles.map((g) => (
                  <li key={g.id}>
                    {formatDate(g.heardAt, locale)} · {g.text}{' '}
                    {g.category ? (
                      <span className="muted">({categoryLabel(t, settings.categories, g.category)})</span>
                    ) : null}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      ) : (
        <p>{t('app.loading')}</p>
      )}
      {isRaising ? (
        <WentQuietDialog
          customer={customer}
          settings={settings}
          onClose={() => setIsRaising(false)}
          onRaised={() => setIsRaising(false)}
        />
      ) : null}
    </section>
  )
}

function WentQuietDialog({
  customer,
  settings,
  onClose,
  onRaised,
}: {
  customer: Customer
  settings: Settings
  onClose: () => void
  onRaised: () => void
}) {
  const { t } = useTranslation()
  const call = useApiCall()
  const [form, setForm] = useState({
    note: '',
    level: 'at-risk' as SignalLevel,
    averageSpend: '',
    visitsPerYear: '',
    category: '',
  })
  const [error, setError] = useState<ApiError>()
  const errors = useFieldErrors(error)
  const set = (key: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [key]: value }))
  const update = (key: keyof typeof form) => (e: { target: { value: string } }) => set(key)(e.target.value)

  async function submit(event: FormEvent) {
    event.preventDefault()
    try {
      await call('signals:raise', {
        customerId: customer.id,
        note: form.note,
        level: form.level,
        ...(form.averageSpend ? { averageSpend: Number(form.averageSpend) } : {}),
        ...(form.visitsPerYear ? { visitsPerYear: Number(form.visitsPerYear) } : {}),
        ...(form.category ? { category: form.category } : {}),
      })
      onRaised()
    } catch (caught) {
      setError(asApiError(caught))
    }
  }

  return (
    <Dialog title={`${t('iceberg:loyalty.wentQuietTitle')}: ${customer.name}`} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} className="form-grid">
        <div className="wide">
          <Field label={t('iceberg:loyalty.known')} error={errors.note}>
            {(p) => <textarea {...p} rows={3} value={form.note} onChange={update('note')} autoFocus />}
          </Field>
        </div>
        <Field label={t('iceberg:loyalty.level')} error={errors.level}>
          {(p) => (
            <select {...p} value={form.level} onChange={update('level')}>
              {signalLevels.map((l) => (
                <option key={l} value={l}>
                  {t(`iceberg:level.${l}`)}
                </option>
              ))}
            </select>
          )}
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
        <Field label={t('iceberg:loyalty.averageSpend')} error={errors.averageSpend}>
          {(p) => (
            <input
              {...p}
              type="number"
              min={0}
              step="any"
              value={form.averageSpend}
              onChange={update('averageSpend')}
            />
          )}
        </Field>
        <Field label={t('iceberg:loyalty.visitsPerYear')} error={errors.visitsPerYear}>
          {(p) => (
            <input
              {...p}
              type="number"
              min={0}
              step="any"
              value={form.visitsPerYear}
              onChange={update('visitsPerYear')}
            />
          )}
        </Field>
        <DialogFooter error={error} fieldErrors={errors} submitLabel={t('iceberg:loyalty.raise')} onCancel={onClose} />
      </form>
    </Dialog>
  )
}
