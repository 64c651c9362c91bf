import { useTranslation } from 'react-i18next'
import { channels, severities } from '../../../shared/schemas'
import { Choice, asOptions } from '../components/Choice'
import { Field } from '../components/Field'
import { type CategoryOption } from '../components/labels'

type Values = { category: string; severity: string; department: string; channel: string }

/**
 * Category, severity, department and channel of a case: the same four choices in the
 * new-complaint and the edit dialogs. `isChoiceRequired` offers an empty "Choose…" first, so a
 * new complaint starts with nothing preselected.
 */
export function CaseChoiceFields({
  values,
  set,
  errors,
  categoryOptions,
  departments,
  isChoiceRequired,
}: {
  values: Values
  set: (key: keyof Values) => (value: string) => void
  errors: Record<string, string>
  categoryOptions: CategoryOption[]
  departments: readonly string[]
  isChoiceRequired: boolean
}) {
  const { t } = useTranslation()
  const choose = isChoiceRequired ? { emptyLabel: t('cases:close.choose') } : {}
  return (
    <>
      <Field label={t('cases:field.category')} error={errors.category}>
        {(p) => (
          <Choice {...p} value={values.category} onChange={set('category')} options={categoryOptions} {...choose} />
        )}
      </Field>
      <Field label={t('cases:field.severity')} error={errors.severity}>
        {(p) => (
          <Choice
            {...p}
            value={values.severity}
            onChange={set('severity')}
            options={severities.map((s) => ({ value: s, label: t(`cases:severity.${s}`) }))}
            {...choose}
          />
        )}
      </Field>
      <Field label={t('cases:field.department')} error={errors.department}>
        {(p) => (
          <Choice
            {...p}
            value={values.department}
            onChange={set('department')}
            options={asOptions(departments)}
            emptyLabel={t('cases:field.none')}
          />
        )}
      </Field>
      <Field label={t('cases:field.channel')} error={errors.channel}>
        {(p) => (
          <Choice
            {...p}
            value={values.channel}
            onChange={set('channel')}
            options={channels.map((c) => ({ value: c, label: t(`cases:channel.${c}`) }))}
          />
        )}
      </Field>
    </>
  )
}
