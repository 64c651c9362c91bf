import { z } from 'zod'

/**
 * Money in MakeGood is one currency per business (Settings → Currency): an ISO 4217 code.
 * Every amount on screen, in the CLI and in every report format is written by
 * `Intl.NumberFormat` with it, so "1 234,50 Ft" and "¥1,234.50" read as the reader expects.
 */

/** Codes the running JavaScript engine knows; a made-up three letters would print as itself. */
const knownCodes: ReadonlySet<string> = new Set(
  typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('currency') : [],
)

export const Currency = z
  .string()
  .max(3)
  .regex(/^[A-Z]{3}$/, 'An ISO 4217 currency code: three capital letters, e.g. EUR')
  .refine((code) => knownCodes.size === 0 || knownCodes.has(code), { message: 'Not an ISO 4217 currency code' })
export type Currency = z.infer<typeof Currency>

/** The currency of a region, for the common ones; the rest fall back to US dollars. */
const currencyOfRegion: Record<string, Currency> = {
  US: 'USD',
  GB: 'GBP',
  HU: 'HUF',
  CN: 'CNY',
  TW: 'TWD',
  HK: 'HKD',
  MO: 'MOP',
  SG: 'SGD',
  AU: 'AUD',
  NZ: 'NZD',
  CA: 'CAD',
  IN: 'INR',
  JP: 'JPY',
  CH: 'CHF',
  RO: 'RON',
  PL: 'PLN',
  CZ: 'CZK',
  ZA: 'ZAR',
  ...Object.fromEntries(
    [
      'AT',
      'BE',
      'CY',
      'DE',
      'EE',
      'ES',
      'FI',
      'FR',
      'GR',
      'HR',
      'IE',
      'IT',
      'LT',
      'LU',
      'LV',
      'MT',
      'NL',
      'PT',
      'SI',
      'SK',
    ].map((r) => [r, 'EUR']),
  ),
}

/**
 * The default currency for a language tag ("en-GB" → GBP, "hu" → HUF, "zh-TW" → TWD): the
 * region the tag names, or the one its language most likely means (Intl.Locale#maximize).
 */
export function defaultCurrency(tag: string | undefined | null): Currency {
  try {
    const region = new Intl.Locale((tag ?? 'en-US').replace('_', '-').split('.')[0] || 'en-US').maximize().region
    return (region && currencyOfRegion[region]) || 'USD'
  } catch {
    return 'USD'
  }
}

/** The business's currency: the one chosen in Settings, else the default of its language (or the system's). */
export function currencyOf(
  settings: { currency?: Currency | undefined; language: string },
  systemTag?: string | null,
): Currency {
  if (settings.currency) return settings.currency
  return defaultCurrency(settings.language === 'auto' ? systemTag : settings.language)
}

/** An amount in the business's currency, written for `locale` (null → an empty string). */
export function formatMoney(value: number, locale: string, currency: Currency, wholeUnits = false): string {
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    ...(wholeUnits ? { minimumFractionDigits: 0, maximumFractionDigits: 0 } : {}),
  }).format(value)
}
