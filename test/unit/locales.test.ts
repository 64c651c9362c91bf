import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadLocaleResources, namespaces } from '../../src/shared/core/i18n/i18n'
import { locales } from '../../src/shared/schemas'

const pluralSuffix = /_(zero|one|two|few|many|other)$/

function flatten(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix]
  return Object.entries(value).flatMap(([key, child]) => flatten(child, prefix ? `${prefix}.${key}` : key))
}

/** Keys with plural suffixes folded: `count_one` and `count_other` are one key, `count`. */
function keySet(bundle: unknown): Set<string> {
  return new Set(flatten(bundle).map((key) => key.replace(pluralSuffix, '')))
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return name === 'locales' ? [] : sourceFiles(path)
    return /\.(ts|tsx)$/.test(name) ? [path] : []
  })
}

describe('the four locales', () => {
  it.each(locales.filter((l) => l !== 'en'))('%s has exactly the keys English has', async (locale) => {
    const english = await loadLocaleResources('en')
    const other = await loadLocaleResources(locale)
    for (const ns of namespaces) {
      const expected = [...keySet(english[ns])].sort()
      expect([...keySet(other[ns])].sort(), `namespace ${ns}`).toEqual(expected)
    }
  })

  it.each(locales)('%s has every plural form its language needs', async (locale) => {
    const bundle = await loadLocaleResources(locale)
    const needed = new Intl.PluralRules(locale).resolvedOptions().pluralCategories
    for (const ns of namespaces) {
      const keys = flatten(bundle[ns])
      const plurals = new Set(keys.filter((k) => pluralSuffix.test(k)).map((k) => k.replace(pluralSuffix, '')))
      for (const base of plurals) {
        for (const category of needed) expect(keys, `${ns}:${base}_${category}`).toContain(`${base}_${category}`)
      }
    }
  })

  it.each(locales)('%s has no empty texts', async (locale) => {
    const bundle = await loadLocaleResources(locale)
    for (const ns of namespaces) {
      const empty = flatten(bundle[ns]).filter((key) => {
        const value = key
          .split('.')
          .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], bundle[ns])
        return typeof value !== 'string' || value.trim() === ''
      })
      expect(empty, ns).toEqual([])
    }
  })

  it('has no key the code never uses', async () => {
    const source = sourceFiles(join(__dirname, '..', '..', 'src'))
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n')
    // Static keys: t('ns:key') or t('key'); dynamic keys: t(`ns:prefix.${x}`) use a whole prefix.
    const literals = new Set<string>()
    const prefixes = new Set<string>()
    for (const match of source.matchAll(/['"`]((?:[a-z]+:)?[a-zA-Z][\w-]*(?:\.[\w-]+)*)(\.\$\{|['"`])/g)) {
      const key = (match[1] ?? '').replace(/^[a-z]+:/, '')
      if (match[2] === '.${') prefixes.add(`${key}.`)
      else literals.add(key)
    }
    const english = await loadLocaleResources('en')
    const unused = namespaces.flatMap((ns) =>
      [...keySet(english[ns])]
        .filter((key) => !literals.has(key) && ![...prefixes].some((prefix) => key.startsWith(prefix)))
        .map((key) => `${ns}:${key}`),
    )
    expect(unused).toEqual([])
  })
})

describe('counts of long lists', () => {
  it.each([
    ['en', '800,000 grumbles', '300,000 promises', '100,000 cases'],
    ['hu', '800\u00a0000 zúgolódás', '300\u00a0000 ígéret', '100\u00a0000 ügy'],
    ['zh-CN', '800,000 条抱怨', '300,000 个承诺', '共 100,000 个案件'],
  ] as const)('%s groups the digits of a screen’s count', async (locale, grumbles, promises, cases) => {
    const { createI18n } = await import('../../src/shared/core/i18n/i18n')
    const i18n = await createI18n(locale)
    expect(i18n.t('iceberg:grumble.count', { count: 800_000 })).toBe(grumbles)
    expect(i18n.t('promises:ledger.count', { count: 300_000 })).toBe(promises)
    expect(i18n.t('cases:list.count', { count: 100_000 })).toBe(cases)
  })
})
