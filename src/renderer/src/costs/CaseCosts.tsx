import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type ApiError } from '../../../shared/core/errors'
import { formatMoney } from '../../../shared/money/currency'
import { type PromiseSummary } from '../../../shared/promises/contract'
import { type Case, type CaseCostKind, type Settings, caseCostKinds } from '../../../shared/schemas'
import { promiseWhat } from '../../../shared/promises/promiseLabels'
import { Choice } from '../components/Choice'
import { Field } from '../components/Field'
import { asApiError, useApi, useApiCall, useErrorText } from '../hooks'
import { useCurrency } from '../money'

type Line = { kind: CaseCostKind; amount: string; note: string }

const parseAmount = (text: string) => Number(text.trim().replace(',', '.'))
const isAmount = (text: string) => text.trim() !== '' && Number.isFinite(parseAmount(text)) && parseAmount(text) >= 0

/**
 * What a case cost (refund, compensation, staff time) and, for each broken service guarantee of
 * the case, whether its compensation was actually given: the report totals both.
 */
export function CaseCosts({ c, settings }: { c: Case; settings: Settings }) {
  const { t, i18n } = useTranslation()
  const call = useApiCall()
  const errorText = useErrorText()
  const currency = useCurrency()
  const [lines, setLines] = useState<Line[]>(() =>
    (c.costs ?? []).map((k) => ({ kind: k.kind, amount: String(k.amount), note: k.note })),
  )
  const [isSaved, setIsSaved] = useState(false)
  const [error, setError] = useState<ApiError>()
  const promises = useApi('promises:list', { caseId: c.id })
  const broken = (promises.data ?? []).filter((p) => p.guaranteeId && (p.state === 'broken' || p.state === 'overdue'))
  const isValid = lines.every((l) => isAmount(l.amount))
  const total = lines.filter((l) => isAmount(l.amount)).reduce((a, l) => a + parseAmount(l.amount), 0)
  const change = (i: number, next: Partial<Line>) => {
    setIsSaved(false)
    setLines((all) => all.map((l, j) => (j === i ? { ...l, ...next } : l)))
  }

  function submit(event: FormEvent) {
    event.preventDefault()
    if (!isValid) return
    call('cases:set-costs', {
      caseId: c.id,
      costs: lines.map((l) => ({ kind: l.kind, amount: parseAmount(l.amount), note: l.note })),
    })
      .then(() => {
        setIsSaved(true)
        setError(undefined)
      })
      .catch((caught: unknown) => setError(asApiError(caught)))
  }

  return (
    <section aria-labelledby="costs-title" className="card">
      <h2 id="costs-title">{t('insights:caseCosts.title')}</h2>
      <p className="muted small">{t('insights:caseCosts.hint', { currency })}</p>
      <form onSubmit={submit}>
        {lines.map((line, i) => (
          <div key={i} className="inline">
            <Field label={t('insights:caseCosts.kind')}>
              {(p) => (
                <Choice
                  {...p}
                  value={line.kind}
                  onChange={(kind) => change(i, { kind: kind as CaseCostKind })}
                  options={caseCostKinds.map((k) => ({ value: k, label: t(`insights:caseCosts.kinds.${k}`) }))}
                />
              )}
            </Field>
            <Field
              label={t('insights:caseCosts.amount', { currency })}
              error={line.amount.trim() !== '' && !isAmount(line.amount) ? t('insights:failure.badCost') : undefined}
            >
              {(p) => (
                <input
                  {...p}
                  inputMode="decimal"
                  required
                  value={line.amount}
                  onChange={(e) => change(i, { amount: e.target.value })}
                />
              )}
            </Field>
            <Field label={t('insights:caseCosts.note')}>
              {(p) => (
                <input {...p} maxLength={500} value={line.note} onChange={(e) => change(i, { note: e.target.value })} />
              )}
            </Field>
            <button
              type="button"
              className="link"
              onClick={() => {
                setIsSaved(false)
                setLines((all) => all.filter((_, j) => j !== i))
              }}
            >
              {t('insights:caseCosts.remove')}
            </button>
          </div>
        ))}
        <div className="actions">
          <button
            type="button"
            onClick={() => {
              setIsSaved(false)
              setLines((all) => [...all, { kind: 'refund', amount: '', note: '' }])
            }}
          >
            {t('insights:caseCosts.add')}
          </button>
          <button type="submit" disabled={!isValid}>
            {t('insights:caseCosts.save')}
          </button>
          <span className="muted">
            {t('insights:caseCosts.total', { amount: formatMoney(total, i18n.language, currency) })}
          </span>
          <span role="status">{isSaved ? t('insights:caseCosts.saved') : ''}</span>
        </div>
        {error ? <p role="alert">{errorText(error)}</p> : null}
      </form>
      {broken.map((p) => (
        <Compensation key={p.id} p={p} settings={settings} />
      ))}
    </section>
  )
}

/** A broken guarantee: was its compensation given, and how much. */
function Compensation({ p, settings }: { p: PromiseSummary; settings: Settings }) {
  const { t } = useTranslation()
  const call = useApiCall()
  const errorText = useErrorText()
  const currency = useCurrency()
  const [isGiven, setIsGiven] = useState(p.compensationGiven?.isGiven ?? true)
  const [amount, setAmount] = useState(
    p.compensationGiven?.amount !== undefined ? String(p.compensationGiven.amount) : '',
  )
  const [isSaved, setIsSaved] = useState(false)
  const [error, setError] = useState<ApiError>()
  const isAmountOk = !isGiven || amount.trim() === '' || isAmount(amount)
  const name = promiseWhat(t, p, settings.promises.guarantees)
  return (
    <form
      className="inline"
      aria-label={`${t('insights:compensation.label')} ${name}`}
      onSubmit={(event) => {
        event.preventDefault()
        if (!isAmountOk) return
        call('promises:compensation', {
          promiseId: p.id,
          isGiven,
          ...(isGiven && amount.trim() !== '' ? { amount: parseAmount(amount) } : {}),
        })
          .then(() => {
            setIsSaved(true)
            setError(undefined)
          })
          .catch((caught: unknown) => setError(asApiError(caught)))
      }}
    >
      <fieldset className="inline">
        <legend>
          {t('insights:compensation.label')} {name}
          {p.compensation ? ` — ${p.compensation}` : ''}
        </legend>
        <label className="checkbox">
          <input type="radio" checked={isGiven} onChange={() => setIsGiven(true)} />
          {t('insights:compensation.given')}
        </label>
        <label className="checkbox">
          <input type="radio" checked={!isGiven} onChange={() => setIsGiven(false)} />
          {t('insights:compensation.notGiven')}
        </label>
      </fieldset>
      {isGiven ? (
        <Field
          label={t('insights:compensation.amount', { currency })}
          error={isAmountOk ? undefined : t('insights:failure.badCost')}
        >
          {(f) => <input {...f} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} />}
        </Field>
      ) : null}
      <button type="submit">{t('insights:compensation.save')}</button>
      <span role="status">{isSaved ? t('insights:compensation.saved') : ''}</span>
      {error ? <p role="alert">{errorText(error)}</p> : null}
    </form>
  )
}
