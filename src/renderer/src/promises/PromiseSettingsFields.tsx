import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import './promises.css'
import { guaranteeText } from '../../../shared/promises/promiseLabels'
import { type Guarantee, type PromiseSettings, guaranteeUnits } from '../../../shared/promises/promises'
import { Field } from '../components/Field'
import { useApi } from '../hooks'

const weekdays = [1, 2, 3, 4, 5, 6, 0] as const

/** Dates typed one per line: only well-formed ones are kept. */
function parseDates(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)))].sort()
}

/**
 * The promise ledger's part of Settings: working calendar, service guarantees, notifications.
 * Edits the Settings draft; the Settings form's Save stores it with everything else.
 */
export function PromiseSettingsFields({
  value,
  onChange,
}: {
  value: PromiseSettings
  onChange: (next: PromiseSettings) => void
}) {
  const { t, i18n } = useTranslation()
  const countries = useApi('calendar:countries', { lang: i18n.language.slice(0, 2) })
  const calendar = value.calendar
  const [holidayText, setHolidayText] = useState(calendar.holidays.join('\n'))
  const [extraText, setExtraText] = useState(calendar.extraWorkingDays.join('\n'))
  const [newGuarantee, setNewGuarantee] = useState('')
  const setCalendar = (next: Partial<PromiseSettings['calendar']>) =>
    onChange({ ...value, calendar: { ...calendar, ...next } })
  const setGuarantee = (index: number, next: Partial<Guarantee>) =>
    onChange({ ...value, guarantees: value.guarantees.map((g, i) => (i === index ? { ...g, ...next } : g)) })
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []

  return (
    <>
      <fieldset className="card form-grid">
        <legend>{t('promises:settings.calendar')}</legend>
        <Field label={t('promises:settings.timeZone')}>
          {(p) => (
            <>
              <input
                {...p}
                list="time-zones"
                value={calendar.timeZone}
                placeholder={Intl.DateTimeFormat().resolvedOptions().timeZone}
                onChange={(e) => setCalendar({ timeZone: e.target.value.trim() })}
              />
              <datalist id="time-zones">
                {zones.map((z) => (
                  <option key={z} value={z} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <p className="muted small">{t('promises:settings.timeZoneHint')}</p>
        <fieldset className="weekdays">
          <legend>{t('promises:settings.workingDays')}</legend>
          {weekdays.map((day) => (
            <label key={day} className="checkbox">
              <input
                type="checkbox"
                checked={calendar.workingDays.includes(day)}
                onChange={(e) =>
                  setCalendar({
                    workingDays: e.target.checked
                      ? [...calendar.workingDays, day].sort()
                      : calendar.workingDays.filter((d) => d !== day),
                  })
                }
              />
              {t(`promises:weekday.${day}`)}
            </label>
          ))}
        </fieldset>
        <Field label={t('promises:settings.opensAt')}>
          {(p) => (
            <input
              {...p}
              type="time"
              value={calendar.opensAt}
              onChange={(e) => setCalendar({ opensAt: e.target.value })}
            />
          )}
        </Field>
        <Field label={t('promises:settings.closesAt')}>
          {(p) => (
            <input
              {...p}
              type="time"
              value={calendar.closesAt}
              onChange={(e) => setCalendar({ closesAt: e.target.value })}
            />
          )}
        </Field>
        <Field label={t('promises:settings.holidayCountry')}>
          {(p) => (
            <select
              {...p}
              value={calendar.holidayCountry}
              onChange={(e) => setCalendar({ holidayCountry: e.target.value })}
            >
              <option value="">{t('promises:settings.noCountry')}</option>
              {(countries.data ?? []).map((c) => (
                <option key={c.code} value={c.code}>
                  {c.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('promises:settings.holidays')}>
          {(p) => (
            <textarea
              {...p}
              rows={3}
              value={holidayText}
              onChange={(e) => {
                setHolidayText(e.target.value)
                setCalendar({ holidays: parseDates(e.target.value) })
              }}
            />
          )}
        </Field>
        <Field label={t('promises:settings.extraWorkingDays')}>
          {(p) => (
            <textarea
              {...p}
              rows={3}
              value={extraText}
              onChange={(e) => {
                setExtraText(e.target.value)
                setCalendar({ extraWorkingDays: parseDates(e.target.value) })
              }}
            />
          )}
        </Field>
        <p className="muted small">{t('promises:settings.datesHint')}</p>
      </fieldset>

      <fieldset className="card">
        <legend>{t('promises:settings.guarantees')}</legend>
        <p className="muted small">{t('promises:settings.guaranteesHint')}</p>
        <ul className="guarantees">
          {value.guarantees.map((g, index) => {
            const name = guaranteeText(t, g)
            return (
              <li key={g.id} aria-label={name} className="guarantee form-grid">
                <Field label={t('promises:settings.guaranteeText')}>
                  {(p) => (
                    <input
                      {...p}
                      value={g.text}
                      placeholder={name}
                      onChange={(e) => setGuarantee(index, { text: e.target.value })}
                    />
                  )}
                </Field>
                <Field label={t('promises:settings.amount')}>
                  {(p) => (
                    <input
                      {...p}
                      type="number"
                      min={1}
                      max={1000}
                      value={g.amount}
                      onChange={(e) =>
                        setGuarantee(index, { amount: Math.max(1, Math.round(Number(e.target.value) || 1)) })
                      }
                    />
                  )}
                </Field>
                <Field label={t('promises:settings.unit')}>
                  {(p) => (
                    <select
                      {...p}
                      value={g.unit}
                      onChange={(e) => setGuarantee(index, { unit: e.target.value as Guarantee['unit'] })}
                    >
                      {guaranteeUnits.map((u) => (
                        <option key={u} value={u}>
                          {t(`promises:unit.${u}`, { count: g.amount })}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field label={t('promises:settings.compensation')}>
                  {(p) => (
                    <input
                      {...p}
                      value={g.compensation}
                      onChange={(e) => setGuarantee(index, { compensation: e.target.value })}
                    />
                  )}
                </Field>
                <label className="checkbox">
                  <input
                    type="checkbox"
                    checked={g.isActive}
                    onChange={(e) => setGuarantee(index, { isActive: e.target.checked })}
                  />
                  {t('promises:settings.isActive')}
                </label>
                <button
                  type="button"
                  onClick={() => onChange({ ...value, guarantees: value.guarantees.filter((_, i) => i !== index) })}
                >
                  {t('promises:settings.removeGuarantee', { name })}
                </button>
              </li>
            )
          })}
        </ul>
        <div className="inline">
          <Field label={t('promises:settings.newGuarantee')}>
            {(p) => <input {...p} value={newGuarantee} onChange={(e) => setNewGuarantee(e.target.value)} />}
          </Field>
          <button
            type="button"
            disabled={!newGuarantee.trim()}
            onClick={() => {
              onChange({
                ...value,
                guarantees: [
                  ...value.guarantees,
                  {
                    id: `custom-${crypto.randomUUID()}`,
                    text: newGuarantee.trim(),
                    amount: 1,
                    unit: 'business-days',
                    compensation: '',
                    isActive: true,
                  },
                ],
              })
              setNewGuarantee('')
            }}
          >
            {t('promises:settings.addGuarantee')}
          </button>
        </div>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={value.isNotifying}
            onChange={(e) => onChange({ ...value, isNotifying: e.target.checked })}
          />
          {t('promises:settings.isNotifying')}
        </label>
      </fieldset>
    </>
  )
}
