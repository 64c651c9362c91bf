import { type Currency, currencyOf } from '../../../shared/money/currency'
import { type Settings } from '../../../shared/schemas'

/** The system's language tag as the C library reads it (LC_ALL, then LC_MONETARY, then LANG). */
export function systemLocaleTag(env: NodeJS.ProcessEnv = process.env): string {
  return env.LC_ALL || env.LC_MONETARY || env.LANG || Intl.DateTimeFormat().resolvedOptions().locale
}

/** The business's currency on this computer: Settings → Currency, else the language's default. */
export function businessCurrency(settings: Pick<Settings, 'currency' | 'language'>): Currency {
  return currencyOf(settings, systemLocaleTag())
}
