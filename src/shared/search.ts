/**
 * Search text normalisation: case-folded, accents removed (Hungarian users type "arvizturo"
 * for "árvíztűrő"), full-width forms folded by NFKD. Chinese has no spaces, so matching is by
 * substring on the normalised text, which finds 退款 inside 我要求退款但是没人理我.
 */
export function normalizeForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLocaleLowerCase('en')
}

/** Query terms: split on whitespace; each must occur somewhere in the text. */
export function queryTerms(query: string): string[] {
  return normalizeForSearch(query)
    .split(/\s+/u)
    .filter((term) => term.length > 0)
}

export function matchesTerms(normalizedText: string, terms: readonly string[]): boolean {
  return terms.every((term) => normalizedText.includes(term))
}
