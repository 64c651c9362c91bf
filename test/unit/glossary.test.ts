import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { glossaryMarkdown, glossaryMdPath, readGlossary } from '../../scripts/glossary-md'
import { loadLocaleResources, namespaces } from '../../src/shared/core/i18n/i18n'
import { type Locale } from '../../src/shared/schemas'

type Text = { key: string; value: string }

/** Every text of a locale as `ns:key` and its value. */
async function textsOf(locale: Locale): Promise<Text[]> {
  const bundle = await loadLocaleResources(locale)
  const walk = (node: unknown, prefix: string): Text[] =>
    typeof node === 'string'
      ? [{ key: prefix, value: node }]
      : Object.entries(node as Record<string, unknown>).flatMap(([k, v]) =>
          walk(v, prefix.endsWith(':') ? `${prefix}${k}` : `${prefix}.${k}`),
        )
  return namespaces.flatMap((ns) => walk(bundle[ns], `${ns}:`))
}

/** What the reader sees: placeholders and their format options are not text. */
const visible = (value: string) => value.replace(/\{\{[^}]*\}\}/g, '0')

const glossary = readGlossary()
const translated = ['hu', 'zh-CN', 'zh-TW'] as const

describe('the glossary', () => {
  it('docs/glossary.md is generated from docs/glossary.json', () => {
    expect(readFileSync(glossaryMdPath, 'utf8')).toBe(glossaryMarkdown(glossary))
  })

  it.each(translated)('%s uses no variant the glossary rejects', async (locale) => {
    const texts = await textsOf(locale)
    const found: string[] = []
    for (const term of glossary.terms) {
      for (const variant of term[locale].reject) {
        // Hungarian adds suffixes to a word, so a variant matches where a word starts.
        const pattern = new RegExp(locale === 'hu' ? `(?<!\\p{L})${variant}` : variant, 'iu')
        for (const { key, value } of texts) {
          if (pattern.test(visible(value)))
            found.push(`${key}: "${variant}" (use "${term[locale].use}" for ${term.en})`)
        }
      }
    }
    expect(found).toEqual([])
  })

  it('rejects the variants it names (a rejected term is really caught)', () => {
    const zhCase = glossary.terms.find((t) => t.en === 'case')?.['zh-CN'].reject ?? []
    expect(zhCase.some((r) => new RegExp(r, 'u').test('这个个案还没有承诺'))).toBe(true)
    expect(zhCase.some((r) => new RegExp(r, 'u').test('共 3 个案件'))).toBe(false)
    const huCustomer = glossary.terms.find((t) => t.en === 'customer')?.hu.reject ?? []
    expect(huCustomer.some((r) => new RegExp(`(?<!\\p{L})${r}`, 'iu').test('Elvesztés veszélyében lévő vevők'))).toBe(
      true,
    )
  })
})

describe('grammar and punctuation by rule', () => {
  it('Hungarian grammar never depends on an inserted value', async () => {
    const bad = (await textsOf('hu')).filter(
      ({ value }) =>
        /a\(z\)/i.test(value) ||
        // a suffix glued to a placeholder: "{{unit}}on"
        /\}\}\p{L}/u.test(value) ||
        // an article that must agree with the value after it: "a {{count}}" / "az {{name}}"
        /(?<!\p{L})az? \{\{/iu.test(value),
    )
    expect(bad.map((t) => `${t.key}: ${t.value}`)).toEqual([])
  })

  it.each(['zh-CN', 'zh-TW'] as const)('%s has only the "other" plural form', async (locale) => {
    const keys = (await textsOf(locale)).map((t) => t.key)
    expect(keys.filter((k) => /_(zero|one|two|few|many)$/.test(k))).toEqual([])
  })

  it.each(['zh-CN', 'zh-TW'] as const)('%s uses full-width punctuation around Chinese text', async (locale) => {
    const han = '\\p{Script=Han}'
    const rules: [string, RegExp][] = [
      ['ASCII quote beside Chinese or a value', new RegExp(`"(?:${han}|0)|(?:${han}|0)"`, 'u')],
      ['ASCII brackets around Chinese', new RegExp(`\\([^()]*${han}[^()]*\\)`, 'u')],
      ['ASCII comma, colon, semicolon or question mark after Chinese', new RegExp(`${han}[,:;?!]`, 'u')],
      locale === 'zh-CN'
        ? ['Taiwanese corner quotes in zh-CN', /[「」]/u]
        : ['mainland curly quotes in zh-TW', /[“”]/u],
    ]
    const bad = (await textsOf(locale)).flatMap(({ key, value }) =>
      rules.filter(([, pattern]) => pattern.test(visible(value))).map(([rule]) => `${key}: ${rule}: ${value}`),
    )
    expect(bad).toEqual([])
  })

  it.each(['en', 'hu', 'zh-CN', 'zh-TW'] as const)('%s writes percentages as Intl does', async (locale) => {
    const intl = new Intl.NumberFormat(locale, { style: 'percent' }).format(0.08)
    const spaced = /\d %/.test(intl)
    const bad = (await textsOf(locale)).filter(
      ({ value }) => /\d[ \u00a0\u202f]%/.test(value) !== spaced && /\d\s?%/.test(value),
    )
    expect(bad.map((t) => `${t.key}: ${t.value}`)).toEqual([])
  })
})
