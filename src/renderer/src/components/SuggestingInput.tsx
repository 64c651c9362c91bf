import { type InputHTMLAttributes, useId } from 'react'
import { useApi } from '../hooks'

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, 'list'> & { suggestions: readonly string[] }

/** A text input that offers known values as the person types (a datalist), and accepts any other. */
export function SuggestingInput({ suggestions, ...input }: Props) {
  const listId = useId()
  return (
    <>
      <input {...input} list={listId} />
      <datalist id={listId}>
        {[...new Set(suggestions)].map((value) => (
          <option key={value} value={value} />
        ))}
      </datalist>
    </>
  )
}

/** How many known names are offered at once: a shop with 100k cases knows tens of thousands of customers. */
const suggestedNames = 20

/**
 * A customer's name, suggesting the known customers whose names hold what was typed (the server
 * matches ignoring case and accents); on an empty field, the first few by name.
 */
export function KnownCustomerInput(props: Omit<Props, 'suggestions'>) {
  const customers = useApi('customers:names', { query: String(props.value ?? '').trim(), limit: suggestedNames })
  return <SuggestingInput {...props} suggestions={customers.data?.map((c) => c.name) ?? []} />
}
