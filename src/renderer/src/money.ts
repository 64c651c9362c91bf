import { type Currency, currencyOf } from '../../shared/money/currency'
import { useApi } from './hooks'

/**
 * The business's currency for the strings that show an amount (`{{value, currency}}` in the
 * locale files): Settings → Currency, else the default of the app's or the system's language.
 */
export function useCurrency(): Currency {
  const settings = useApi('settings:get', {}).data
  return currencyOf(settings ?? { language: 'auto' }, navigator.language)
}
