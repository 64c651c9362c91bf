/**
 * Order by UTF-16 code units, as `<` compares strings: ids, and ISO times written in UTC (which
 * then sort in time order). Not for names shown to people (that is localeCompare's job): this
 * one is the same on every machine and about ten times faster over 100k records.
 */
export const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)
