import { normalizeForSearch } from '../../../shared/core/search'
import { type CollectionName } from '../../store/collections'
import { type StoreEngine } from '../../store/postgres/engine'
import { type RecordWatcher } from '../../store/store'
import { derivedOnce } from '../derived'

/**
 * One kind's normalised search texts, held as a few long strings instead of one string (and one
 * cache entry) per record: at 100k cases the 300,000 promises' and 300,000 grumbles' texts cost
 * ~150 MB one by one, about half that joined. Each text is a line of a chunk; `starts` says where
 * each line begins. A record changed or removed leaves its line behind, and a line counts only
 * while its record is still the store's (records are immutable: a change is a new object); the
 * texts are joined again once a quarter of the lines are left behind (until then a line left
 * behind still holds its old record). The corpus follows the store's changes as a watcher: a save
 * only notes the record, and the next search adds its line, not a rebuild.
 *
 * A record's own words only: what it names (a customer's name, a case's number) can change on
 * its own and is searched apart by the caller (`elsewhere`).
 */
type Chunk<T> = { text: string; starts: Uint32Array; records: T[] }

/** Lines not yet joined into a chunk. */
type Fresh<T> = { texts: string[]; records: T[] }

/**
 * A character beyond Latin-1 makes V8 hold the whole string at two bytes a character: lines
 * with one (Chinese) and lines without (most English and Hungarian once accents are removed)
 * are joined into chunks of their own, so a few Chinese words do not double a chunk of English.
 */
const beyondLatin1 = /[\u0100-\uffff]/

export class SearchCorpus<T extends { id: string }> implements RecordWatcher {
  private chunks: Chunk<T>[] = []
  private narrow: Fresh<T> = { texts: [], records: [] }
  private wide: Fresh<T> = { texts: [], records: [] }
  private lines = 0
  private leftBehind = 0
  private isStale = true
  /** Records put since the last search: their words are normalised when a search needs them, not on a save. */
  private arrived: T[] = []
  /** Each record's normalised text while the store loads; let go once it has. */
  private whileLoading: WeakMap<T, string> | undefined

  constructor(
    private readonly store: StoreEngine,
    private readonly kind: CollectionName,
    /** The records to search, as they are now (used to build the corpus again). */
    private readonly records: () => Iterable<T>,
    /** The record's own words, before normalisation. */
    private readonly ownText: (record: T) => string,
    /** Lines per chunk: long enough for indexOf to run through, short enough to join in a moment. */
    private readonly chunkLines = 4096,
  ) {}

  /**
   * Whether this record is still the store's copy (not changed or removed since). Only memory is
   * asked: a removed grumble's id is not looked for in the months left on disk.
   */
  private isCurrent(record: T): boolean {
    return this.store.getInMemory(this.kind, record.id) === (record as unknown)
  }

  onPut(collection: string, before: unknown, after: unknown): void {
    if (collection !== this.kind || this.isStale) return
    if (before) this.leftBehind++
    if (after) this.arrived.push(after as T)
  }

  onReset(): void {
    this.isStale = true
  }

  private append(record: T): void {
    const text = normalizeForSearch(this.ownText(record))
    const fresh = beyondLatin1.test(text) ? this.wide : this.narrow
    fresh.texts.push(text)
    fresh.records.push(record)
    this.lines++
    if (fresh.records.length >= this.chunkLines) this.seal(fresh)
  }

  private seal(fresh: Fresh<T>): void {
    if (fresh.records.length === 0) return
    const starts = new Uint32Array(fresh.texts.length + 1)
    let at = 0
    for (const [i, text] of fresh.texts.entries()) {
      starts[i] = at
      at += text.length + 1
    }
    starts[fresh.texts.length] = at
    const joined = `${fresh.texts.join('\n')}\n`
    // Normalising splits an accented letter into the letter and its accent (NFKD): V8 then holds
    // the text at two bytes a character even once the accent is removed, and a chunk joined from
    // one such line is two bytes a character throughout. A narrow chunk is copied to one byte.
    const text = fresh === this.narrow ? Buffer.from(joined, 'latin1').toString('latin1') : joined
    this.chunks.push({ text, starts, records: fresh.records })
    fresh.texts = []
    fresh.records = []
  }

  /** Builds the corpus when it is stale (first use, a restore) or mostly left behind; else adds what arrived. */
  private refresh(): void {
    const arrived = this.arrived
    this.arrived = []
    if (!this.isStale && this.leftBehind * 4 <= this.lines + arrived.length) {
      for (const record of arrived) this.append(record)
      return
    }
    this.chunks = []
    this.narrow = { texts: [], records: [] }
    this.wide = { texts: [], records: [] }
    this.lines = 0
    this.leftBehind = 0
    this.isStale = false
    for (const record of this.records()) this.append(record)
    this.seal(this.narrow)
    this.seal(this.wide)
  }

  /** Builds it ahead of the first search (once the store has loaded). */
  warm(): void {
    if (this.store.isFullyLoaded) this.refresh()
  }

  /**
   * A loading store adds records without telling watchers, so no corpus is built until it has
   * loaded (the Cases screen searches meanwhile, asking again as months arrive): each record is
   * looked at on its own, its text kept until loading ends.
   */
  private matchingWhileLoading(
    terms: readonly string[],
    elsewhere: (record: T) => readonly boolean[] | undefined,
  ): T[] {
    const texts = (this.whileLoading ??= new WeakMap())
    const found: T[] = []
    for (const record of this.records()) {
      let text = texts.get(record)
      if (text === undefined) texts.set(record, (text = normalizeForSearch(this.ownText(record))))
      const named = elsewhere(record)
      if (terms.every((term, i) => named?.[i] === true || text.includes(term))) found.push(record)
    }
    return found
  }

  /**
   * Each current record (once) that holds every term, in its own words or, term by term, where
   * `elsewhere` says (`elsewhere(record)[i]` true: the i-th term is in what the record names).
   * Terms hold no spaces (queryTerms), so a term is in "own words + names" exactly when it is in
   * one of them. The first term is looked for through whole chunks; only lines holding it, and
   * the records whose names hold it, are looked at further.
   */
  matching(terms: readonly string[], elsewhere: (record: T) => readonly boolean[] | undefined): T[] {
    const found: T[] = []
    if (terms.length === 0) return found
    if (!this.store.isFullyLoaded) return this.matchingWhileLoading(terms, elsewhere)
    this.whileLoading = undefined
    this.refresh()
    // Nothing replaced since the corpus was built: every line is its record's current text, and
    // each record has one line, so a common word's thousands of hits need no further checks.
    const isClean = this.leftBehind === 0
    const seen = new Set<T>()
    const isNew = (record: T) => {
      if (isClean) return true
      if (seen.has(record) || !this.isCurrent(record)) return false
      seen.add(record)
      return true
    }
    const [first, ...rest] = terms as [string, ...string[]]
    /** The terms after the first, each in the line or in what the record names. */
    const holdsRest = (named: readonly boolean[] | undefined, line: () => string) =>
      rest.every((term, i) => named?.[i + 1] === true || line().includes(term))
    for (const { text, starts, records } of this.chunks) {
      const lineText = (line: number) => () => text.slice(starts[line], starts[line + 1]! - 1)
      const holdsFirst = new Uint8Array(records.length)
      for (let at = text.indexOf(first); at >= 0;) {
        const line = lineAt(starts, at)
        holdsFirst[line] = 1
        const record = records[line]!
        if (holdsRest(elsewhere(record), lineText(line)) && isNew(record)) found.push(record)
        at = text.indexOf(first, starts[line + 1])
      }
      for (const [line, record] of records.entries()) {
        if (holdsFirst[line] === 1) continue
        const named = elsewhere(record)
        if (named?.[0] === true && holdsRest(named, lineText(line)) && isNew(record)) found.push(record)
      }
    }
    for (const { texts, records } of [this.narrow, this.wide]) {
      for (const [i, record] of records.entries()) {
        const named = elsewhere(record)
        const line = texts[i]!
        if ((named?.[0] === true || line.includes(first)) && holdsRest(named, () => line) && isNew(record))
          found.push(record)
      }
    }
    return found
  }
}

/** The line holding a position (`starts`: where each line starts, and where the last ends). */
export function lineAt(starts: Uint32Array, position: number): number {
  let low = 0
  let high = starts.length - 2
  while (low < high) {
    const middle = (low + high + 1) >>> 1
    if (starts[middle]! <= position) low = middle
    else high = middle - 1
  }
  return low
}

/**
 * The store's corpus for one kind, made (and set to follow the store's changes) on first use.
 * `name` tells apart two corpora of one kind (a case's own text, its notes).
 */
export function corpusOf<T extends { id: string }>(
  store: StoreEngine,
  name: string,
  kind: CollectionName,
  records: () => Iterable<T>,
  ownText: (record: T) => string,
): SearchCorpus<T> {
  return derivedOnce(store, `corpus ${name}`, [], () => {
    const corpus = new SearchCorpus(store, kind, records, ownText)
    store.watch(corpus)
    return corpus
  })
}
