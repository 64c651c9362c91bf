import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInstance, type TFunction } from 'i18next'
import { namespaces } from '../../src/shared/core/i18n/i18n'
import { type Locale } from '../../src/shared/schemas'

const localesDir = join(__dirname, '..', '..', 'src', 'shared', 'core', 'i18n', 'locales')

/** A translator over the locale files as they are on disk (for tests that cannot import TS lazily). */
export async function translator(locale: Locale): Promise<TFunction> {
  const bundle = (lng: Locale) =>
    Object.fromEntries(
      namespaces.map((ns) => [ns, JSON.parse(readFileSync(join(localesDir, lng, `${ns}.json`), 'utf8'))]),
    )
  const instance = createInstance()
  await instance.init({
    lng: locale,
    fallbackLng: 'en',
    ns: [...namespaces],
    defaultNS: 'common',
    resources: { en: bundle('en'), [locale]: bundle(locale) },
    interpolation: { escapeValue: false },
  })
  return instance.t.bind(instance)
}
