import { AppError } from '../../shared/core/errors'
import { migrate, versionOf } from './migrations'
import { type DataSet, parseDataSet } from './dataSet'

export const exportFormat = 'makegood-export'

/** Recursively sorted keys: the same data always gives the same bytes. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical)
  if (typeof value !== 'object' || value === null) return value
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key]
    if (v !== undefined) out[key] = canonical(v)
  }
  return out
}

/**
 * The whole data set as one JSON file: keys sorted, records sorted by id, one record per line,
 * so export → import → export is byte-for-byte identical and a diff shows what changed.
 */
export function exportText(data: DataSet): string {
  const kinds = Object.keys(data.collections).sort()
  const parts = kinds.map((kind) => {
    const records = [...(data.collections[kind] ?? [])].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    const body = records.map((r) => `    ${JSON.stringify(canonical(r))}`).join(',\n')
    return `    ${JSON.stringify(kind)}: [${records.length > 0 ? `\n${body}\n    ` : ''}]`
  })
  return [
    '{',
    `  "format": ${JSON.stringify(exportFormat)},`,
    `  "schemaVersion": ${data.schemaVersion},`,
    `  "settings": ${JSON.stringify(canonical(data.settings))},`,
    `  "collections": {${parts.length > 0 ? `\n${parts.join(',\n')}\n  ` : ''}}`,
    '}',
    '',
  ].join('\n')
}

/** Reads an export (or a version-1 `makegood.json`), migrates it and validates every record. */
export function parseExport(text: string, path: string): DataSet {
  let raw: unknown
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    throw new AppError('invalid_input', `${path} is not valid JSON: ${(error as Error).message}`, {
      reason: 'import.not_json',
      params: { path },
    })
  }
  const isExport = typeof raw === 'object' && raw !== null && (raw as { format?: unknown }).format === exportFormat
  if (!isExport && versionOf(raw) !== 1) {
    throw new AppError('invalid_input', `${path} is not a MakeGood export`, {
      reason: 'import.not_export',
      params: { path },
    })
  }
  const { format: _format, ...rest } = raw as Record<string, unknown>
  return parseDataSet(migrate(rest, path), path)
}
