import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ScrollRegion } from '../components/ScrollRegion'
import { Choice, asOptions } from '../components/Choice'
import { type ApiError } from '../../../shared/core/errors'
import { type Locale, type Settings } from '../../../shared/schemas'
import { Field } from '../components/Field'
import { categoryLabel } from '../../../shared/cases/categoryLabel'
import { categoryOptions } from '../components/labels'
import { formatMonth } from '../../../shared/core/i18n/dateLocales'
import { asApiError, useApi, useApiCall, useErrorText } from '../hooks'
import { LogFailureDialog } from '../costs/LogFailureDialog'
import { RecentFailures } from '../costs/RecentFailures'

/** Each department's failures by category, month by month, against its targets (docs/domain.md). */
export function DepartmentsView({ settings }: { settings: Settings }) {
  const { t, i18n } = useTranslation()
  const table = useApi('escalations:departments', {})
  const errorText = useErrorText()
  const locale = i18n.language as Locale
  const monthName = (month: string) => formatMonth(month, locale)
  const [isLogging, setIsLogging] = useState(false)
  const [logged, setLogged] = useState('')

  return (
    <section aria-labelledby="departments-title">
      <h1 id="departments-title">{t('escalations:departments.title')}</h1>
      <p className="muted">{t('escalations:departments.intro')}</p>
      <p className="muted small">{t('escalations:rules.target')}</p>
      <div className="actions">
        <button type="button" onClick={() => setIsLogging(true)}>
          {t('insights:failure.open')}
        </button>
        <span role="status">{logged}</span>
      </div>
      {isLogging ? (
        <LogFailureDialog
          settings={settings}
          onClose={() => setIsLogging(false)}
          onLogged={(failure) => {
            setIsLogging(false)
            setLogged(t('insights:failure.logged', { what: failure.what }))
          }}
        />
      ) : null}
      <RecentFailures settings={settings} />
      {table.error ? <p role="alert">{errorText(table.error)}</p> : null}
      {table.data?.departments.map(({ department, rows }) => {
        const name = department || t('escalations:noDepartment')
        return (
          <ScrollRegion key={department} label={t('escalations:departments.caption', { department: name })}>
            <table className="figure-table">
              <caption>{t('escalations:departments.caption', { department: name })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('escalations:departments.category')}</th>
                  {table.data?.months.map((m) => (
                    <th key={m} scope="col">
                      {monthName(m)}
                    </th>
                  ))}
                  <th scope="col">{t('escalations:departments.target')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.length === 0 ? (
                  <tr>
                    <td colSpan={(table.data?.months.length ?? 0) + 2} className="muted">
                      {t('escalations:departments.none')}
                    </td>
                  </tr>
                ) : null}
                {[...rows]
                  .map((row) => ({ ...row, label: categoryLabel(t, settings.categories, row.category) }))
                  .sort((a, b) => a.label.localeCompare(b.label, locale))
                  .map((row) => (
                    <tr key={row.category}>
                      <th scope="row">{row.label}</th>
                      {row.counts.map((count, i) => {
                        const isOver = row.target !== undefined && count > row.target
                        return (
                          <td key={i} className={isOver ? 'over-target' : ''}>
                            {isOver ? <strong>{t('escalations:departments.over', { count })}</strong> : count}
                          </td>
                        )
                      })}
                      <td>{row.target ?? '—'}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </ScrollRegion>
        )
      })}
      <TargetForm settings={settings} />
    </section>
  )
}

function TargetForm({ settings }: { settings: Settings }) {
  const { t } = useTranslation()
  const errorText = useErrorText()
  const call = useApiCall()
  const [department, setDepartment] = useState(settings.departments[0] ?? '')
  const [category, setCategory] = useState(settings.categories.find((c) => !c.isArchived)?.id ?? '')
  const [perMonth, setPerMonth] = useState('')
  const [error, setError] = useState<ApiError>()

  async function submit(event: FormEvent) {
    event.preventDefault()
    const value = Number(perMonth)
    if (perMonth.trim() === '' || !Number.isInteger(value) || value < 0) {
      setError({ code: 'invalid_input', message: '', details: [{ path: 'perMonth', message: 'Required' }] })
      return
    }
    const others = settings.escalation.targets.filter((x) => x.department !== department || x.category !== category)
    try {
      await call('settings:update', {
        escalation: { ...settings.escalation, targets: [...others, { department, category, perMonth: value }] },
      })
      setError(undefined)
      setPerMonth('')
    } catch (caught) {
      setError(asApiError(caught))
    }
  }

  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby="target-title">
      <h2 id="target-title">{t('escalations:departments.setTitle')}</h2>
      <div className="inline">
        <Field label={t('escalations:departments.department')}>
          {(p) => (
            <Choice {...p} value={department} onChange={setDepartment} options={asOptions(settings.departments)} />
          )}
        </Field>
        <Field label={t('escalations:departments.category')}>
          {(p) => (
            <Choice {...p} value={category} onChange={setCategory} options={categoryOptions(t, settings.categories)} />
          )}
        </Field>
        <Field
          label={t('escalations:departments.perMonth')}
          error={error?.details.some((d) => d.path === 'perMonth') ? t('errors.field.invalid') : undefined}
        >
          {(p) => (
            <input
              {...p}
              type="number"
              min={0}
              step={1}
              value={perMonth}
              onChange={(e) => setPerMonth(e.target.value)}
            />
          )}
        </Field>
      </div>
      {error && error.code !== 'invalid_input' ? <p role="alert">{errorText(error)}</p> : null}
      <div className="actions">
        <button type="submit" className="primary">
          {t('escalations:departments.set')}
        </button>
      </div>
    </form>
  )
}
