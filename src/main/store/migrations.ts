import { AppError } from '../../shared/core/errors'

/**
 * The shape of the data this version of MakeGood writes.
 * 1: one file, `makegood.json`: `{ schemaVersion, settings, customers: [], cases: [] }`.
 * 2: the same records as a data set `{ schemaVersion, settings, collections: { name: [] } }`,
 *    stored as month shards + a write-ahead journal (store.ts); the export file has this shape.
 */
export const currentSchemaVersion = 2

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
