import { type i18n as I18n, createInstance } from 'i18next'
import { type Locale, locales } from '../../schemas'

export const namespaces = [
  'common',
  'cases',
  'cli',
  'iceberg',
  'storage',
  'promises',
  'escalations',
  'report',
  'imports',
  'conversation',
  'rubrics',
  'attachments',
  'team',
  'search',
  'print',
  'trash',
  'live',
  'insights',
  'inbox',
  'teamdb',
] as const
export type Namespace = (typeof namespaces)[number]
export type LocaleResources = Record<Namespace, Record<string, unknown>>

/** Each locale is its own chunk: the UI downloads only the language it shows. */
const loaders: Record<Locale, () => Promise<LocaleResources>> = {
  en: async () => (await import('./locales/en/index')).resources,
  'zh-CN': async () => (await import('./locales/zh-CN/index')).resources,
  'zh-TW': async () => (await import('./locales/zh-TW/index')).resources,
  hu: async () => (await import('./locales/hu/index')).resources,
}

export function loadLocaleResources(locale: Locale): Promise<LocaleResources> {
  return loaders[locale]()
}

/**
 * Picks one of our locales for an OS or browser language tag: zh-Hant, zh-TW, zh-HK → zh-TW;
 * other Chinese → zh-CN; hu* → hu; anything else → en.
 */
export function resolveLocale(tag: string | undefined | null): Locale {
  const normalized = (tag ?? '').replace('_', '-').split('.')[0]?.toLowerCase() ?? ''
  if ((locales as readonly string[]).includes(normalized)) return normalized as Locale
  if (/^zh-(hant|tw|hk|mo)/.test(normalized)) return 'zh-TW'
  if (normalized.startsWith('zh')) return 'zh-CN'
  if (normalized.startsWith('hu')) return 'hu'
  return 'en'
}

/** An i18next instance with the chosen locale loaded and English behind it for safety. */
export async function createI18n(locale: Locale): Promise<I18n> {
  const instance = createInstance()
  const resources: Record<string, LocaleResources> = { en: await loadLocaleResources('en') }
  if (locale !== 'en') resources[locale] = await loadLocaleResources(locale)
  await instance.init({
    lng: locale,
    fallbackLng: 'en',
    ns: [...namespaces],
    defaultNS: 'common',
    resources,
    interpolation: { escapeValue: false },
    returnNull: false,
  })
  return instance
}
