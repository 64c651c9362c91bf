import { type Locale as DateLocale } from 'date-fns'
import { enUS, hu, zhCN, zhTW } from 'date-fns/locale'
import { type Locale } from '../../schemas'

const dateLocales: Record<Locale, DateLocale> = { en: enUS, 'zh-CN': zhCN, 'zh-TW': zhTW, hu }

/** date-fns' own locale for ours: month names and each language's date order. */
export function dateLocaleOf(locale: Locale): DateLocale {
  return dateLocales[locale]
}
