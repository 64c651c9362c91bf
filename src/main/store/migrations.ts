import { AppError } from '../../shared/errors'

/** The shape of the data this version of MakeGood writes. */
export const currentSchemaVersion = 1

/**
 * Numbered, pure migrations: `migrations[n]` turns version n−1 data into version n.
 * Version 1 is the first shape, so there is nothing to migrate yet.
 */
const migrations: Record<number, (data: Record<string, unknown>) => Record<string, unknown>> = {}

export function migrate(raw: unknown, path: string): unknown {
  if (typeof raw !== 'object' || raw === null) return raw
  let data = raw as Record<string, unknown>
  const version = typeof data.schemaVersion === 'number' ? data.schemaVersion : 0
  if (version > currentSchemaVersion) {
    throw new AppError(
      'storage',
      `${path} was written by a newer MakeGood (data version ${version}; this one knows ${currentSchemaVersion}). Update MakeGood to open it.`,
      { reason: 'store.newer_version', params: { path, version, known: currentSchemaVersion } },
    )
  }
  for (let next = version + 1; next <= currentSchemaVersion; next++) {
    const step = migrations[next]
    if (step) data = { ...step(data), schemaVersion: next }
  }
  return data
}
