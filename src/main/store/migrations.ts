import { AppError } from '../../shared/core/errors'
import { recountGuarantees } from '../../shared/promises/guaranteeRule'
import { CustomerPromise, serviceGuaranteeMaker } from '../../shared/promises/promises'
import { promiseEvent } from '../../shared/promises/promiseEvents'
import { Case, type TimelineEvent } from '../../shared/schemas'

/**
 * The shape of the data this version of MakeGood writes.
 * 1: one file, `makegood.json`: `{ schemaVersion, settings, customers: [], cases: [] }`.
 * 2: the same records as a data set `{ schemaVersion, settings, collections: { name: [] } }`,
 *    stored as month shards + a write-ahead journal (store.ts); the export file has this shape.
 * 3: the same shape; service-guarantee promises follow the recovery steps (docs/promises.md), so
 *    every guarantee promise is recounted from its case.
 */
export const currentSchemaVersion = 3

type Raw = Record<string, unknown>

/**
 * Numbered, pure migrations: `migrations[n]` turns version n−1 data into version n. Each is
 * tested from a saved fixture of the older shape (test/fixtures/storage/).
 */
export const migrations: Record<number, (data: Raw) => Raw> = {
  2: (v1) => {
    const { schemaVersion: _version, settings, ...rest } = v1
    const collections: Record<string, unknown[]> = {}
    for (const [key, value] of Object.entries(rest)) if (Array.isArray(value)) collections[key] = value
    return { schemaVersion: 2, settings, collections }
  },
  3: (v2) => {
    const collections = { ...((v2.collections ?? {}) as Record<string, unknown[]>) }
    if (!Array.isArray(collections.cases) || !Array.isArray(collections.promises)) return v2
    // Records that do not parse are left exactly as they are: validation after migrating reports them.
    const cases = collections.cases.flatMap((raw) => {
      const parsed = Case.safeParse(raw)
      return parsed.success ? [parsed.data] : []
    })
    const promises = collections.promises.flatMap((raw) => {
      const parsed = CustomerPromise.safeParse(raw)
      return parsed.success ? [parsed.data] : []
    })
    const changed = new Map(recountGuarantees(cases, promises).map(({ after }) => [after.id, after]))
    if (changed.size === 0) return v2
    const events = new Map<string, TimelineEvent[]>()
    for (const after of changed.values()) {
      const list = events.get(after.caseId!) ?? []
      list.push(recountEvent(after))
      events.set(after.caseId!, list)
    }
    collections.promises = collections.promises.map((raw) => changed.get(idOf(raw)) ?? raw)
    collections.cases = collections.cases.map((raw) => {
      const added = events.get(idOf(raw))
      if (!added) return raw
      const c = raw as Raw
      return { ...c, timeline: [...(Array.isArray(c.timeline) ? c.timeline : []), ...added] }
    })
    return { ...v2, collections }
  },
}

function idOf(raw: unknown): string {
  return typeof raw === 'object' && raw !== null && typeof (raw as Raw).id === 'string'
    ? ((raw as Raw).id as string)
    : ''
}

/** The case timeline line for a guarantee promise the migration changed: visible, never silent. */
function recountEvent(after: CustomerPromise): TimelineEvent {
  return {
    ...promiseEvent(after, after.status === 'open' ? 'reopened' : after.status, {
      by: after.closedBy || serviceGuaranteeMaker,
      at: after.closedAt ?? after.updatedAt,
    }),
    note: 'Recounted from the recovery steps when the data was updated to version 3',
  }
}

export function versionOf(raw: unknown): number {
  if (typeof raw !== 'object' || raw === null) return 0
  const version = (raw as Raw).schemaVersion
  return typeof version === 'number' ? version : 0
}

export function newerVersionError(path: string, version: number): AppError {
  return new AppError(
    'storage',
    `${path} was written by a newer MakeGood (data version ${version}; this one knows ${currentSchemaVersion}). Update MakeGood to open it.`,
    { reason: 'store.newer_version', params: { path, version, known: currentSchemaVersion } },
  )
}

/** Runs every migration from the data's version up to the current one; newer data is refused. */
export function migrate(raw: unknown, path: string): unknown {
  if (typeof raw !== 'object' || raw === null) return raw
  let data = raw as Raw
  const version = versionOf(data)
  if (version > currentSchemaVersion) throw newerVersionError(path, version)
  for (let next = Math.max(version, 1) + 1; next <= currentSchemaVersion; next++) {
    const step = migrations[next]
    if (step) data = { ...step(data), schemaVersion: next }
  }
  return data
}
