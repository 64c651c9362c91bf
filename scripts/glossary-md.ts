/**
 * Writes docs/glossary.md from docs/glossary.json, the one source of truth for domain terms:
 * `npx tsx scripts/glossary-md.ts`. test/unit/glossary.test.ts fails when the two differ.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'

const languages = ['hu', 'zh-CN', 'zh-TW'] as const
const Choice = z.object({ use: z.string().min(1), reject: z.array(z.string()) })
export const Glossary = z.object({
  note: z.string(),
  terms: z.array(
    z.object({ en: z.string().min(1), definition: z.string().min(1), hu: Choice, 'zh-CN': Choice, 'zh-TW': Choice }),
  ),
})
export type Glossary = z.infer<typeof Glossary>

export const glossaryJsonPath = join(__dirname, '..', 'docs', 'glossary.json')
export const glossaryMdPath = join(__dirname, '..', 'docs', 'glossary.md')

export function readGlossary(): Glossary {
  return Glossary.parse(JSON.parse(readFileSync(glossaryJsonPath, 'utf8')))
}

const cell = (text: string) => text.replace(/\|/g, '\\|')
const rejected = (list: string[]) => (list.length === 0 ? '—' : list.map((r) => `\`${cell(r)}\``).join(', '))

export function glossaryMarkdown(glossary: Glossary): string {
  const header = [
    '# Glossary',
    '',
    'Every domain term of MakeGood, what it means, and its ONE translation per language. English is',
    'the source. Hungarian uses the formal *Ön* register; Simplified Chinese (zh-CN) follows mainland',
    'usage; Traditional Chinese (zh-TW) follows Taiwanese usage (客訴 for complaint).',
    '',
    'The "rejected" columns list variants a locale may not use for the term; each is a regular',
    'expression, and in Hungarian it must start a word (so suffixed forms are caught too).',
    '`test/unit/glossary.test.ts` fails when a locale file uses one.',
    '',
    'This page is generated from `docs/glossary.json`: edit that file, then run',
    '`npx tsx scripts/glossary-md.ts`.',
    '',
    '## Terms',
    '',
    `| English | Definition | ${languages.map((l) => `${l} | ${l} rejected`).join(' | ')} |`,
    `|---|---|${languages.map(() => '---|---|').join('')}`,
  ]
  const rows = glossary.terms.map(
    (t) =>
      `| ${cell(t.en)} | ${cell(t.definition)} | ${languages.map((l) => `${cell(t[l].use)} | ${rejected(t[l].reject)}`).join(' | ')} |`,
  )
  const rules = [
    '',
    '## Rules beside the terms',
    '',
    '- **Hungarian grammar never depends on an inserted value.** No "a(z)", no suffix glued to a',
    '  placeholder (`{{unit}}on`), no article right before a placeholder: rephrase with a postposition',
    '  ("4 munkaóra alatt") or an apposition ("az ügyfelet ({{name}})").',
    '- **Chinese has one plural form** (`_other`); a sentence that reads wrong for one item gets its own',
    '  key (`iceberg:loyalty.oneVisit`).',
    '- **Punctuation.** zh-CN quotes with “”, zh-TW with 「」; brackets and colons around Chinese are',
    '  full-width （）：, lists use 、 (the code joins lists with `Intl.ListFormat`, see',
    '  `src/shared/i18n/listFormat.ts`).',
    '- **Numbers.** Percentages as `Intl.NumberFormat` writes them: 8% in all four languages. Estimates of',
    '  things people count (problems, grumbles, customers) are whole numbers.',
    '',
  ]
  return [...header, ...rows, ...rules].join('\n')
}

if (require.main === module) writeFileSync(glossaryMdPath, glossaryMarkdown(readGlossary()))
