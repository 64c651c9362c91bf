import { useTranslation } from 'react-i18next'
import './trash.css'
import { useApi } from '../hooks'

/**
 * Under the customer's name in the new-complaint dialog: customers already on file who may be
 * this person (case, accents and spacing ignored; see shared/customers/match.ts). Picking one
 * files the complaint on that record instead of making a second one.
 */
export function CustomerMatches({ name, onPick }: { name: string; onPick: (name: string) => void }) {
  const { t } = useTranslation()
  const typed = name.trim()
  const matches = useApi('customers:match', { name: typed }, { enabled: typed !== '' })
  const shown = typed === '' ? [] : (matches.data ?? [])
  // The very name on file needs no suggestion: the complaint goes to that customer already.
  if (shown.length === 0 || shown.some((m) => m.customer.name === typed)) return null
  return (
    <section className="customer-matches wide" aria-labelledby="customer-matches-title">
      <h3 id="customer-matches-title" className="small">
        {t('trash:match.title')}
      </h3>
      <ul className="compact">
        {shown.map(({ customer, reason }) => (
          <li key={customer.id}>
            <button type="button" onClick={() => onPick(customer.name)}>
              {t('trash:match.use', { name: customer.name })}
            </button>{' '}
            <span className="muted small">
              {[t(`trash:match.reason.${reason}`), customer.email ?? customer.phone].filter(Boolean).join(' · ')}
            </span>
          </li>
        ))}
      </ul>
    </section>
  )
}
