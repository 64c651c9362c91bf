/**
 * Search text normalisation: case-folded, accents removed (Hungarian users type "arvizturo"
 * for "árvíztűrő"), full-width forms folded by NFKD.
 */
export function normalizeForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLocaleLowerCase('en')
}

const wordSegmenter = new Intl.Segmenter('zh', { granularity: 'word' })

/**
 * Query terms, each of which must occur in the text. Chinese is written without spaces, so the
 * query is cut into words with Intl.Segmenter ("退款服务员" → "退款", "服务员") and each word is
 * found by substring inside the unspaced text ("我要求退款但是服务员不理我").
 */
export function queryTerms(query: string): string[] {
  const terms: string[] = []
  for (const segment of wordSegmenter.segment(normalizeForSearch(query))) {
    if (segment.isWordLike) terms.push(segment.segment)
  }
  return terms
}

export function matchesTerms(normalizedText: string, terms: readonly string[]): boolean {
  return terms.every((term) => normalizedText.includes(term))
}

/**
 * Normalised search text per record, computed once: records are immutable (a change replaces
 * the object), so a WeakMap keyed by the record is always current and never leaks.
 */
export function searchTextCache<T extends object>(textOf: (record: T) => string): (record: T) => string {
  const cache = new WeakMap<T, string>()
  return (record) => {
    let text = cache.get(record)
    if (text === undefined) {
      text = normalizeForSearch(textOf(record))
      cache.set(record, text)
    }
    return text
  }
}
