/**
 * JSON.parse makes a new string for every value longer than ten characters it reads, so a month
 * of records holds its categories, departments, staff names, customer ids and times once per
 * record: a million copies of "pressure-selling" at ~45 bytes each. While records are read in
 * bulk (the store's load, a summary of a month left on disk), each such string is looked up in
 * one table and the first copy read is kept in its place; the table goes when the reading ends,
 * so a value seen once costs nothing after. Long values (notes, descriptions) are rarely
 * repeated and would only make the lookups slower.
 */
const longestShared = 48
/** V8 already keeps one copy of each value this short that JSON.parse reads. */
const shortestShared = 11

/** A record's own id, a case's number, a churn episode: one of a kind, never worth a lookup. */
const isOneOfAKind = (key: string) => key === 'id' || key === 'number' || key === 'episode'

export class SharedStrings {
  private table = new Map<string, string>()

  /** Replaces, in place, each short string inside `value` (lists and objects, any depth). */
  share(value: unknown): void {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i]
        if (typeof item === 'string') {
          if (item.length >= shortestShared && item.length <= longestShared) value[i] = this.one(item)
        } else if (typeof item === 'object' && item !== null) this.share(item)
      }
      return
    }
    if (typeof value !== 'object' || value === null) return
    const record = value as Record<string, unknown>
    for (const key in record) {
      const item = record[key]
      if (typeof item === 'string') {
        if (item.length >= shortestShared && item.length <= longestShared && !isOneOfAKind(key))
          record[key] = this.one(item)
      } else if (typeof item === 'object' && item !== null) this.share(item)
    }
  }

  private one(text: string): string {
    const known = this.table.get(text)
    if (known !== undefined) return known
    this.table.set(text, text)
    return text
  }

  /** Loading is over: values read from now on are few, and the table would only hold memory. */
  clear(): void {
    this.table = new Map()
  }
}
