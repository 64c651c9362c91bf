import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { useCurrency } from '../money'
import { type ApiError } from '../../../shared/core/errors'
import { type SignalDetail } from '../../../shared/iceberg/contract'
import { type SignalOutcome, signalOutcomes } from '../../../shared/iceberg/schemas'
import { type Locale } from '../../../shared/schemas'
import { Field } from '../components/Field'
import { formatDate, formatDateTime } from '../format'
import { asApiError, useApi, useApiCall, useErrorText } from '../hooks'
import { href } from '../router'
import { formatList } from '../../../shared/core/i18n/listFormat'

type Props = { id: string }

/** One silent-churn signal, worked like a case: why, what it is worth, the win-back, the outcome. */
export function SignalView({ id }: Props) {
  const { t, i18n } = useTranslation()
  const currency = useCurrency()
  const detail = useApi('signals:get', { id })
  const errorText = useErrorText()
  const locale = i18n.language as Locale
  if (detail.error) return <p role="alert">{errorText(detail.error)}</p>
  if (!detail.data) return <p>{t('app.loading')}</p>
  const { signal, customer, assessment, hasNewActivity } = detail.data
  const b = signal.baseline
  // Levels, outcomes and reasons are stored as keys: shown in the reader's language.
  const eventValue = (type: string, value: string) =>
    type === 'win-back'
      ? formatDate(value, locale)
      : type === 'outcome'
        ? t(`iceberg:outcome.${value}`, { defaultValue: value })
        : t(`iceberg:level.${value}`, { defaultValue: value })
  const eventNote = (type: string, note: string) =>
    type === 'raised' || type === 'detect'
      ? formatList(
          locale,
          note.split(', ').map((r) => t(`iceberg:reason.${r}`, { defaultValue: r })),
        )
      : note

  return (
    <article aria-labelledby="signal-title">
      <p>
        <a href={href.signals}>← {t('iceberg:signal.back')}</a>
      </p>
      <h1 id="signal-title">
        {t('iceberg:signal.title', { name: customer.name, level: t(`iceberg:level.${signal.level}`) })}
      </h1>
      <p className="muted">
        {t('iceberg:signal.raised', { when: formatDate(signal.raisedAt, locale), by: signal.raisedBy })} ·{' '}
        <a href={href.customer(customer.id)}>{customer.name}</a>
      </p>
      {signal.status === 'closed' && signal.outcome ? (
        <p className="closure">
          {t('iceberg:signal.closedWith', {
            outcome: t(`iceberg:outcome.${signal.outcome}`),
            when: formatDate(signal.closedAt ?? signal.raisedAt, locale),
            by: signal.closedBy ?? '',
          })}
          {signal.outcomeNote ? ` — ${signal.outcomeNote}` : ''}
        </p>
      ) : null}
      {hasNewActivity && assessment && signal.status === 'open' ? (
        <p className="warning">{t('iceberg:signal.newActivity', { when: formatDate(assessment.lastAt, locale) })}</p>
      ) : null}

      <div className="case-columns">
        <div>
          <section className="card" aria-labelledby="why-title">
            <h2 id="why-title">{t('iceberg:signal.why')}</h2>
            <ul className="compact">
              {signal.reasons.map((r) => (
                <li key={r}>{t(`iceberg:reason.${r}`)}</li>
              ))}
            </ul>
            {signal.note ? (
              <>
                <h3>{t('iceberg:signal.note')}</h3>
                <p className="prewrap notes">{signal.note}</p>
              </>
            ) : null}
            <h3>{t('iceberg:valueAtRisk.label')}</h3>
            <p>
              <strong>
                {signal.valueAtRisk
                  ? t('iceberg:valueAtRisk.formula', { ...signal.valueAtRisk, currency })
                  : t('iceberg:valueAtRisk.unknown')}
              </strong>
            </p>
            {b ? (
              <>
                <h3>{t('iceberg:signal.baseline')}</h3>
                <dl className="facts">
                  <dt>{t('iceberg:signal.visits')}</dt>
                  <dd>{b.visits}</dd>
                  <dt>{t('iceberg:signal.usualInterval')}</dt>
                  <dd>{t('iceberg:signal.days', { count: b.usualIntervalDays })}</dd>
                  {b.recentIntervalDays !== undefined ? (
                    <>
                      <dt>{t('iceberg:signal.recentInterval')}</dt>
                      <dd>{t('iceberg:signal.days', { count: b.recentIntervalDays })}</dd>
                    </>
                  ) : null}
                  <dt>{t('iceberg:signal.averageSpend')}</dt>
                  <dd>{t('iceberg:money', { value: b.averageSpend, currency })}</dd>
                  {b.recentSpend !== undefined ? (
                    <>
                      <dt>{t('iceberg:signal.recentSpend')}</dt>
                      <dd>{t('iceberg:money', { value: b.recentSpend, currency })}</dd>
                    </>
                  ) : null}
                  <dt>{t('iceberg:signal.daysSinceLast')}</dt>
                  <dd>{t('iceberg:signal.days', { count: b.daysSinceLast })}</dd>
                </dl>
              </>
            ) : null}
          </section>
        </div>
        <div>
          <WinBack key={`${signal.id}-${signal.winBack?.plannedAt ?? ''}`} detail={detail.data} />
          {signal.status === 'open' ? <Outcome id={signal.id} /> : null}
          <section className="card" aria-labelledby="signal-timeline-title">
            <h2 id="signal-timeline-title">{t('iceberg:signal.timeline')}</h2>
            <ul className="timeline" aria-labelledby="signal-timeline-title">
              {signal.timeline.map((e, i) => (
                <li key={i}>
                  <span className="muted">{formatDateTime(e.at, locale)}</span> · {e.by} ·{' '}
                  {t(`iceberg:event.${e.type}`, { defaultValue: e.type })}
                  {e.after ? ` → ${eventValue(e.type, e.after)}` : ''}
                  {e.note ? ` — ${eventNote(e.type, e.note)}` : ''}
                </li>
              ))}
            </ul>
          </section>
        </div>
      </div>
    </article>
  )
}

function WinBack({ detail }: { detail: SignalDetail }) {
  const { t, i18n } = useTranslation()
  const call = useApiCall()
  const errorText = useErrorText()
  const { signal, customer, suggestion } = detail
  const [what, setWhat] = useState(() => t(`iceberg:signal.winBackSuggest.${suggestion.kind}`, { name: customer.name }))
  const [due, setDue] = useState(suggestion.dueAt.slice(0, 10))
  const [error, setError] = useState<ApiError>()
  const locale = i18n.language as Locale

  async function submit(event: FormEvent) {
    event.preventDefault()
    try {
      await call('signals:planWinBack', { id: signal.id, what, dueAt: new Date(`${due}T17:00:00`).toISOString() })
      setError(undefined)
    } catch (caught) {
      setError(asApiError(caught))
    }
  }

  return (
    <section className="card" aria-labelledby="winback-title">
      <h2 id="winback-title">{t('iceberg:signal.winBack')}</h2>
      {signal.winBack ? (
        <p>
          {t('iceberg:signal.planned', {
            by: signal.winBack.by,
            what: signal.winBack.what,
            when: formatDate(signal.winBack.dueAt, locale),
          })}
        </p>
      ) : null}
      {signal.status === 'open' ? (
        <form onSubmit={(e) => void submit(e)} className="form-grid">
          <div className="wide">
            <Field label={t('iceberg:signal.what')}>
              {(p) => <textarea {...p} rows={3} value={what} onChange={(e) => setWhat(e.target.value)} />}
            </Field>
          </div>
          <Field label={t('iceberg:signal.due')}>
            {(p) => <input {...p} type="date" value={due} onChange={(e) => setDue(e.target.value)} />}
          </Field>
          {error ? <p role="alert">{errorText(error)}</p> : null}
          <div className="actions">
            <button type="submit">{t('iceberg:signal.planWinBack')}</button>
          </div>
        </form>
      ) : null}
    </section>
  )
}

function Outcome({ id }: { id: string }) {
  const { t } = useTranslation()
  const call = useApiCall()
  const errorText = useErrorText()
  const [outcome, setOutcome] = useState<SignalOutcome>('won-back')
  const [note, setNote] = useState('')
  const [error, setError] = useState<ApiError>()

  async function submit(event: FormEvent) {
    event.preventDefault()
    try {
      await call('signals:close', { id, outcome, note })
      setError(undefined)
    } catch (caught) {
      setError(asApiError(caught))
    }
  }

  return (
    <section className="card" aria-labelledby="outcome-title">
      <h2 id="outcome-title">{t('iceberg:signal.outcome')}</h2>
      <form onSubmit={(e) => void submit(e)} className="form-grid">
        <Field label={t('iceberg:signal.outcome')}>
          {(p) => (
            <select {...p} value={outcome} onChange={(e) => setOutcome(e.target.value as SignalOutcome)}>
              {signalOutcomes.map((o) => (
                <option key={o} value={o}>
                  {t(`iceberg:outcome.${o}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('iceberg:signal.outcomeNote')}>
          {(p) => <input {...p} value={note} onChange={(e) => setNote(e.target.value)} />}
        </Field>
        {error ? <p role="alert">{errorText(error)}</p> : null}
        <div className="actions">
          <button type="submit" className="primary">
            {t('iceberg:signal.recordOutcome')}
          </button>
        </div>
      </form>
    </section>
  )
}
