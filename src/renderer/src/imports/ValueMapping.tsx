import { type TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import { type ValueField } from '../../../shared/imports/csvImport'
import { type Settings, caseStatuses, channels, severities, sources } from '../../../shared/schemas'
import { Choice, type ChoiceOption, asOptions } from '../components/Choice'
import { Field } from '../components/Field'
import { categoryOptions } from '../components/labels'

/** Distinct values listed per field; the rest keep their automatic match (or stay as they are). */
const valuesShown = 50

/** Our values of a field, named in the user's language. */
export function ourOptions(t: TFunction, settings: Settings, field: ValueField): ChoiceOption[] {
  const named = (values: readonly string[], ns: string) =>
    values.map((value) => ({ value, label: t(`${ns}.${value}`) }))
  switch (field) {
    case 'category':
      return categoryOptions(t, settings.categories)
    case 'department':
      return asOptions(settings.departments)
    case 'severity':
      return named(severities, 'cases:severity')
    case 'source':
      return named(sources, 'cases:source')
    case 'status':
      return named(caseStatuses, 'cases:status')
    case 'channel':
      return named(channels, 'cases:channel')
  }
}

/** A file value that is already ours, by key or by name (ignoring case): mapped without asking. */
export function guessValue(options: ChoiceOption[], value: string): string {
  const lower = value.toLowerCase()
  return options.find((o) => o.value.toLowerCase() === lower || o.label.toLowerCase() === lower)?.value ?? ''
}

/** Departments are free text: any value is valid. The other value fields accept only ours. */
const isClosedSet = (field: ValueField) => field !== 'department'

type ValueFieldProps = {
  field: ValueField
  column: string
  distinct: { value: string; count: number }[]
  options: ChoiceOption[]
  emptyLabel: string
  defaultValue: string
  onDefault: (value: string) => void
  mapped: (value: string) => string
  onChoose: (value: string, ours: string) => void
}

/** One mapped field: what its empty cells become, and what each value found in the file means. */
export function ValueFieldBlock(props: ValueFieldProps) {
  const { field, column, distinct, options, emptyLabel, defaultValue, onDefault, mapped, onChoose } = props
  const { t } = useTranslation()
  const label = t(`imports:fields.${field}`)
  const isOurs = (value: string) => !isClosedSet(field) || options.some((o) => o.value === value)
  const hidden = distinct.length - valuesShown
  return (
    <div className="import-value-field">
      <h3>
        {label}
        <span className="muted small"> — {column}</span>
      </h3>
      {distinct.length > 0 ? (
        <table className="import-value-table">
          <tbody>
            {distinct.slice(0, valuesShown).map(({ value, count }) => {
              const ours = mapped(value)
              return (
                <tr key={value}>
                  <th scope="row">
                    {value}
                    <span className="muted small"> · {t('imports:ui.rows', { count })}</span>
                    {ours === '' && !isOurs(value) ? (
                      <span className="import-not-ours small"> · {t('imports:ui.notOurs')}</span>
                    ) : null}
                  </th>
                  <td>
                    <Choice
                      aria-label={t('imports:ui.valueLabel', { field: label, value })}
                      value={ours}
                      emptyLabel={t('imports:ui.asInFile')}
                      options={options}
                      onChange={(next) => onChoose(value, next)}
                    />
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      ) : null}
      {hidden > 0 ? <p className="muted small">{t('imports:ui.moreValues', { count: hidden })}</p> : null}
      <Field label={t('imports:ui.whenEmpty')}>
        {(p) => (
          <Choice
            {...p}
            aria-label={t('imports:ui.defaultFor', { field: label })}
            value={defaultValue}
            emptyLabel={emptyLabel}
            options={options}
            onChange={onDefault}
          />
        )}
      </Field>
    </div>
  )
}
