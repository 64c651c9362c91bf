import { type SelectHTMLAttributes } from 'react'

export type ChoiceOption = { value: string; label: string }

type Props = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'onChange' | 'value'> & {
  value: string
  onChange: (value: string) => void
  options: readonly ChoiceOption[]
  /** A first option with the value '' (e.g. "Any" in a filter, "—" for none). */
  emptyLabel?: string
}

/** A <select> over a list of options: every choice in the app is one of these. */
export function Choice({ value, onChange, options, emptyLabel, ...rest }: Props) {
  return (
    <select {...rest} value={value} onChange={(e) => onChange(e.target.value)}>
      {emptyLabel !== undefined ? <option value="">{emptyLabel}</option> : null}
      {options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </select>
  )
}

/** Options whose label is the value itself: user-entered names such as departments and staff. */
export const asOptions = (values: readonly string[]): ChoiceOption[] => values.map((value) => ({ value, label: value }))
