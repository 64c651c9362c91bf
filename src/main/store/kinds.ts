import { z } from 'zod'
import { parseUnknown } from '../../shared/core/errors'
import { own } from '../../shared/core/own'
import { Settings } from '../../shared/schemas'
import { type KindSpec, collectionNames, collections } from './collections'
import { sha1 } from './durable'
import { globalShard } from './layout'
import { currentSchemaVersion } from './migrations'

/** Every kind seen without its literal type: the storage code never names a collection. */
export type AnyRecord = { id: string }
const registry = collections as unknown as Record<string, KindSpec>
/** Kind names come from files and journal lines: `constructor` or `__proto__` is simply unknown. */
export const kindOf = (name: string): KindSpec | undefined => own(registry, name)
export const kindNames = collectionNames as string[]

/** A record to commit, checked against its kind's schema (throws `invalid_input`). */
export function parseRecordOf(kind: KindSpec, value: unknown): AnyRecord {
  return kind.parse ? kind.parse(value) : parseUnknown(kind.schema, value)
}
export const monthKinds = kindNames.filter((name) => kindOf(name)?.monthOf !== undefined)
export const globalKinds = kindNames.filter((name) => kindOf(name)?.monthOf === undefined)
const monthPattern = /^\d{4}-\d{2}$/

/** Whether a month is named as a shard is (`YYYY-MM`); any other value is undated. */
export const isMonthName = (month: string): boolean => monthPattern.test(month)

/** The kinds a shard holds. */
export const kindsOf = (shard: string): string[] => (shard === globalShard ? globalKinds : monthKinds)

export function shardOf(collection: string, record: AnyRecord): string {
  const monthOf = kindOf(collection)?.monthOf as ((r: AnyRecord) => string) | undefined
  if (!monthOf) return globalShard
  const month = monthOf(record)
  return isMonthName(month) ? month : 'undated'
}

/**
 * A fingerprint of every record schema: when a newer build changes a schema (say, a field with a
 * default), shards written by the older build are validated again instead of trusted by hash.
 */
export const schemaFingerprint = (() => {
  try {
    const shapes = kindNames.map((name) => [name, z.toJSONSchema(kindOf(name)!.schema, { io: 'input' })])
    return sha1(JSON.stringify([currentSchemaVersion, shapes, z.toJSONSchema(Settings, { io: 'input' })]))
  } catch {
    return `unknown-${Math.random()}`
  }
})()

export function issueText(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'not valid'
  return `${issue.path.length > 0 ? `${issue.path.join('.')}: ` : ''}${issue.message}`
}
