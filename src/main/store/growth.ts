import { isDeepStrictEqual } from 'node:util'
import { z } from 'zod'
import { type AnyRecord, issueText, kindOf } from './kinds'

/**
 * Lists that only grow (an escalation's evidence and history): a commit that adds a piece or two
 * to a list of thousands is journalled with only the pieces added and where they go in the list,
 * instead of the whole record again (~180 KB a save for a busy category's ladder at 100k cases).
 *
 * In the journal such a change is `{ collection, value, grown }`: `value` is the record as
 * committed but each grown list holds only its new pieces (so it is still a valid record), and
 * `grown` gives, per list, how many pieces it had before (`from`) and the new pieces' places in
 * the list as committed (`at`, in order). Replayed, the pieces go back in among those of the
 * record as it was. A record that already holds more than `from` pieces is newer than the change
 * (a checkpoint wrote its month before a crash kept it from moving the journal on): its list is
 * kept as it is, so replaying a change twice still changes nothing.
 */
export type Grown = Record<string, GrownList>
export type GrownList = { from: number; at: number[] }

/** A journal change's `grown`. */
const GrownShape = z.record(
  z.string(),
  z.object({ from: z.number().int().min(0), at: z.array(z.number().int().min(0)) }),
)

/**
 * The journal's form of a commit replacing `before` by `after`: the added pieces only, when each
 * grown list keeps every piece of the one before, in order, and more is kept than added;
 * otherwise undefined, and the whole record is journalled.
 */
export function growthSince(
  collection: string,
  before: AnyRecord | undefined,
  after: AnyRecord,
): { value: AnyRecord; grown: Grown } | undefined {
  const lists = kindOf(collection)?.growingLists
  if (!lists || !before) return undefined
  const value: Record<string, unknown> = { ...after }
  const grown: Grown = {}
  for (const key of lists) {
    const old = (before as Record<string, unknown>)[key]
    const now = (after as Record<string, unknown>)[key]
    if (!Array.isArray(old) || !Array.isArray(now) || now.length - old.length >= old.length) continue
    const places: number[] = []
    const added: unknown[] = []
    let kept = 0
    for (let i = 0; i < now.length; i++) {
      if (kept < old.length && isSamePiece(now[i], old[kept])) kept++
      else {
        places.push(i)
        added.push(now[i])
      }
    }
    if (kept < old.length) continue
    value[key] = added
    grown[key] = { from: old.length, at: places }
  }
  return Object.keys(grown).length > 0 ? { value: value as AnyRecord, grown } : undefined
}

/**
 * The same object, or (the first change after a record was read from its shard, when the pieces
 * were checked again and so copied) an equal one.
 */
const isSamePiece = (a: unknown, b: unknown) => a === b || isDeepStrictEqual(a, b)

/** Why a journal change's `grown` cannot be used with its record, or undefined when it can. */
export function grownIssue(collection: string, value: AnyRecord, grown: unknown): string | undefined {
  const parsed = GrownShape.safeParse(grown)
  if (!parsed.success) return `its added pieces are not valid (${issueText(parsed.error.issues[0])})`
  const lists = kindOf(collection)?.growingLists ?? []
  for (const [key, { at }] of Object.entries(parsed.data)) {
    if (!lists.includes(key)) return `${JSON.stringify(key.slice(0, 40))} is not a list that grows`
    const items = (value as Record<string, unknown>)[key]
    if (!Array.isArray(items) || items.length !== at.length)
      return `${key}: ${at.length} place(s) for ${Array.isArray(items) ? items.length : 'no'} piece(s)`
    if (at.some((place, i) => i > 0 && place <= at[i - 1]!)) return `${key}: places out of order`
  }
  return undefined
}

/**
 * The record a grown change stands for, its new pieces put back among those of `base` (the record
 * as it was), or why they cannot be (the record holds fewer pieces than the change was made on, or
 * a place lies beyond the list: not the record the change was made on).
 */
export function withGrowth(base: AnyRecord, value: AnyRecord, grown: Grown): AnyRecord | string {
  const record: Record<string, unknown> = { ...value }
  for (const [key, { from, at }] of Object.entries(grown)) {
    const old = (base as Record<string, unknown>)[key]
    const added = (value as Record<string, unknown>)[key] as unknown[]
    if (!Array.isArray(old)) return `the stored record has no ${key}`
    if (old.length > from) {
      record[key] = old
      continue
    }
    if (old.length < from)
      return `${key}: the stored record holds ${old.length} piece(s), the change was made on ${from}`
    const length = old.length + added.length
    if (at.length > 0 && at.at(-1)! >= length) return `${key}: a piece placed at ${at.at(-1)! + 1} of ${length}`
    const list = new Array<unknown>(length)
    for (let i = 0, next = 0, kept = 0; i < length; i++)
      list[i] = next < at.length && at[next] === i ? added[next++] : old[kept++]
    record[key] = list
  }
  return record as AnyRecord
}
