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

/** A customer's name, suggesting the known customers (the server matches names ignoring case and spacing). */
export function KnownCustomerInput(props: Omit<Props, 'suggestions'>) {
  const customers = useApi('customers:names', {})
  return <SuggestingInput {...props} suggestions={customers.data?.map((c) => c.name) ?? []} />
}
