/**
 * Joins items for a reader the way their language does: "a, b and c" in English,
 * "a, b és c" in Hungarian, "a、b和c" in Chinese. A bare `join(', ')` reads as a foreign
 * list in Chinese, which separates items with the enumeration comma 、.
 */
export function formatList(
  locale: string,
  items: readonly string[],
  type: 'conjunction' | 'disjunction' = 'conjunction',
): string {
  return new Intl.ListFormat(locale, { type, style: 'long' }).format(items)
}
