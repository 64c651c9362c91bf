import { format, formatDistanceStrict } from 'date-fns'
import { enUS, hu, zhCN, zhTW } from 'date-fns/locale'
import { type Locale as DateLocale } from 'date-fns'
import { type Locale } from '../../shared/schemas'

const dateLocales: Record<Locale, DateLocale> = { en: enUS, 'zh-CN': zhCN, 'zh-TW': zhTW, hu }

/** Dates and times in the user's own time zone and locale: `PPp` gives each locale's own order. */
export function formatDateTime(iso: string, locale: Locale): string {
  return format(new Date(iso), 'PPp', { locale: dateLocales[locale] })
}

export function formatDate(iso: string, locale: Locale): string {
  return format(new Date(iso), 'PP', { locale: dateLocales[locale] })
}

export function formatAge(iso: string, now: Date, locale: Locale): string {
  return formatDistanceStrict(new Date(iso), now, { locale: dateLocales[locale], addSuffix: true })
}

export function dateLocaleOf(locale: Locale): DateLocale {
  return dateLocales[locale]
}
