import { type Locale as DateLocale, format } from 'date-fns'
import { enUS, hu, zhCN, zhTW } from 'date-fns/locale'
import { type Locale } from '../../schemas'

const dateLocales: Record<Locale, DateLocale> = { en: enUS, 'zh-CN': zhCN, 'zh-TW': zhTW, hu }

/** date-fns' own locale for ours: month names and each language's date order. */
export function dateLocaleOf(locale: Locale): DateLocale {
  return dateLocales[locale]
}

/**
 * A month's short name in `locale` ("Mar 2026", "2026年3月"). Read at mid-month noon so the
 * month is the same in every time zone the formatting may run in.
 */
export function formatMonth(month: string, locale: Locale): string {
  return format(new Date(`${month}-15T12:00:00Z`), 'LLL yyyy', { locale: dateLocaleOf(locale) })
}
