import { z } from 'zod'
import { Settings } from '../../shared/schemas'
import { type CollectionName, type Collections, collectionNames, collections } from './collections'
import { type AnyRecord, kindNames, kindOf } from './kinds'
import { currentSchemaVersion, newerVersionError, versionOf } from './migrations'
import { invalidFile } from './storeErrors'

/**
 * One unit of change: the full new record, so the journal can replay it idempotently; or the
 * removal of a record by id (Trash moves records out of their kind, and a purge drops them).
 */
export type Change =
  | { [K in CollectionName]: { collection: K; value: Collections[K] } }[CollectionName]
  | { collection: 'settings'; value: Settings }
  | { collection: CollectionName; removed: string }

/** What `snapshot()` returns: every record kind as a list sorted by id. */
export const DataFile = z.object({
  schemaVersion: z.literal(currentSchemaVersion),
  settings: Settings,
  ...(Object.fromEntries(collectionNames.map((name) => [name, z.array(collections[name].schema).default([])])) as {
    [K in CollectionName]: z.ZodDefault<z.ZodArray<(typeof collections)[K]['schema']>>
  }),
})
export type DataFile = z.infer<typeof DataFile>

/** The logical data set (export files, backups, migrations): kind name → records. */
export type DataSet = {
  schemaVersion: number
  settings: Settings
  collections: Record<string, { id: string }[]>
}

/** Validates a data set of the current version: settings and every known kind, unknown kinds refused. */
export function parseDataSet(input: unknown, path: string): DataSet {
  if (typeof input !== 'object' || input === null) throw invalidFile(path, [{ path: '', message: 'not an object' }])
  const raw = input as Record<string, unknown>
  const version = versionOf(raw)
  if (version > currentSchemaVersion) throw newerVersionError(path, version)
  const details: { path: string; message: string }[] = []
  const settings = Settings.safeParse(raw.settings ?? {})
  if (!settings.success) {
    for (const i of settings.error.issues.slice(0, 10))
      details.push({ path: ['settings', ...i.path].join('.'), message: i.message })
  }
  const given = (raw.collections ?? {}) as Record<string, unknown>
  const out: Record<string, AnyRecord[]> = Object.fromEntries(kindNames.map((n) => [n, []]))
  for (const [kind, list] of Object.entries(given)) {
    const schema = kindOf(kind)?.schema
    if (!schema) {
      details.push({ path: `collections.${kind}`, message: 'Unknown record kind' })
      continue
    }
    if (!Array.isArray(list)) {
      details.push({ path: `collections.${kind}`, message: 'Expected a list' })
      continue
    }
    const seen = new Set<string>()
    for (const [index, item] of list.entries()) {
      const parsed = schema.safeParse(item)
      if (!parsed.success) {
        if (details.length < 20) {
          const i = parsed.error.issues[0]
          details.push({ path: [kind, index, ...(i?.path ?? [])].join('.'), message: i?.message ?? 'Not valid' })
        }
        continue
      }
      if (seen.has(parsed.data.id)) details.push({ path: `${kind}.${index}.id`, message: 'Duplicate id' })
      seen.add(parsed.data.id)
      out[kind]!.push(parsed.data)
    }
  }
  if (details.length > 0) throw invalidFile(path, details)
  return { schemaVersion: currentSchemaVersion, settings: settings.data!, collections: out }
}
