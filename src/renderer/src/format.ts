import { format, formatDistanceStrict } from 'date-fns'
import { dateLocaleOf } from '../../shared/core/i18n/dateLocales'
import { type Locale } from '../../shared/schemas'

/** Dates and times in the user's own time zone and locale: `PPp` gives each locale's own order. */
export function formatDateTime(iso: string, locale: Locale): string {
  return format(new Date(iso), 'PPp', { locale: dateLocaleOf(locale) })
}

export function formatDate(iso: string, locale: Locale): string {
  return format(new Date(iso), 'PP', { locale: dateLocaleOf(locale) })
}

export function formatAge(iso: string, now: Date, locale: Locale): string {
  return formatDistanceStrict(new Date(iso), now, { locale: dateLocaleOf(locale), addSuffix: true })
}

/** A count with its digits grouped as the language writes them (800,000 / 800 000). */
export function formatCount(count: number, locale: Locale): string {
  return new Intl.NumberFormat(locale).format(count)
}
