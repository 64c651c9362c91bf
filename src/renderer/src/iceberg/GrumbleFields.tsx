import { type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { type Settings } from '../../../shared/schemas'
import { Choice, asOptions } from '../components/Choice'
import { Field } from '../components/Field'
import { KnownCustomerInput } from '../components/SuggestingInput'
import { categoryOptions } from '../components/labels'

export type GrumbleForm = {
  text: string
  customerName: string
  category: string
  department: string
  suggestion: string
}

/**
 * The fields a grumble is logged and corrected with, in one place for both dialogs; `heardBy`
 * (logging only) goes after the words.
 */
export function GrumbleFields({
  form,
  errors,
  settings,
  onChange,
  heardBy,
}: {
  form: GrumbleForm
  errors: Record<string, string | undefined>
  settings: Settings
  onChange: (key: keyof GrumbleForm, value: string) => void
  heardBy?: ReactNode
}) {
  const { t } = useTranslation()
  const update = (key: keyof GrumbleForm) => (e: { target: { value: string } }) => onChange(key, e.target.value)
  return (
    <>
      <div className="wide">
        <Field label={t('iceberg:grumble.text')} error={errors.text}>
          {(p) => <input {...p} value={form.text} onChange={update('text')} autoFocus maxLength={500} />}
        </Field>
      </div>
      {heardBy}
      <Field label={t('iceberg:grumble.customer')} error={errors.customerName}>
        {(p) => <KnownCustomerInput {...p} value={form.customerName} onChange={update('customerName')} />}
      </Field>
      <Field label={t('iceberg:grumble.category')} error={errors.category}>
        {(p) => (
          <Choice
            {...p}
            value={form.category}
            onChange={(value) => onChange('category', value)}
            options={categoryOptions(t, settings.categories)}
            emptyLabel={t('iceberg:grumble.none')}
          />
        )}
      </Field>
      <Field label={t('iceberg:grumble.department')} error={errors.department}>
        {(p) => (
          <Choice
            {...p}
            value={form.department}
            onChange={(value) => onChange('department', value)}
            options={asOptions(settings.departments)}
            emptyLabel={t('iceberg:grumble.none')}
          />
        )}
      </Field>
      <div className="wide">
        <Field label={t('iceberg:grumble.suggestion')} error={errors.suggestion}>
          {(p) => <input {...p} value={form.suggestion} onChange={update('suggestion')} maxLength={2000} />}
        </Field>
      </div>
    </>
  )
}
