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

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/**
 * The whole data set as one JSON file: keys sorted, records sorted by id, one record per line,
 * so export → import → export is byte-for-byte identical and a diff shows what changed. Made
 * piece by piece (writePiecesDurable): at 100,000 cases the file is longer than a string can be.
 */
export function* exportPieces(data: DataSet): Generator<string> {
  yield [
    '{',
    `  "format": ${JSON.stringify(exportFormat)},`,
    `  "schemaVersion": ${data.schemaVersion},`,
    `  "settings": ${JSON.stringify(canonical(data.settings))},`,
    '  "collections": {',
  ].join('\n')
  const kinds = Object.keys(data.collections).sort()
  for (const [k, kind] of kinds.entries()) {
    yield `${k === 0 ? '\n' : ',\n'}    ${JSON.stringify(kind)}: [`
    const records = [...(data.collections[kind] ?? [])].sort(byId)
    for (const [i, record] of records.entries())
      yield `${i === 0 ? '\n' : ',\n'}    ${JSON.stringify(canonical(record))}`
    yield records.length > 0 ? '\n    ]' : ']'
  }
  yield `${kinds.length > 0 ? '\n  ' : ''}}\n}\n`
}

/** The export as one text (a small data set: tests compare and hash it). */
export function exportText(data: DataSet): string {
  return [...exportPieces(data)].join('')
}

const notJson = (path: string, why: string) =>
  new AppError('invalid_input', `${path} is not valid JSON: ${why}`, { reason: 'import.not_json', params: { path } })

/**
 * The raw object of an export's bytes. The layout exportPieces writes is read line by line, each
 * record parsed on its own: an export too long for one string still reads. Any other layout (an
 * export someone re-indented) is parsed whole, as far as a string can hold it.
 */
export function rawExportOf(bytes: Buffer, path: string): unknown {
  const byLines = readExportLines(bytes)
  if (byLines !== undefined) return byLines
  let text: string
  try {
    text = bytes.toString('utf8')
  } catch {
    throw notJson(
      path,
      `at ${(bytes.length / 1e6).toFixed(0)} MB it is too large to read whole, and it is not laid out one record per line as MakeGood writes exports`,
    )
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (error) {
    throw notJson(path, (error as Error).message)
  }
}

const headerLine = /^ {2}"(format|schemaVersion|settings)": (.*),$/
const kindLine = /^ {4}"([A-Za-z][\w-]*)": \[(\],?)?$/
const listEnd = /^ {4}\],?$/

/**
 * An export in exactly the layout exportPieces writes, or `undefined` for any other: every line
 * is checked, so what it answers is what JSON.parse of the whole text would.
 */
function readExportLines(bytes: Buffer): Record<string, unknown> | undefined {
  let at = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0
  const next = (): string | undefined => {
    if (at > bytes.length) return undefined
    let end = bytes.indexOf(0x0a, at)
    if (end < 0) end = bytes.length
    const line = bytes.toString('utf8', at, end)
    at = end + 1
    return line
  }
  try {
    if (next() !== '{') return undefined
    const raw: Record<string, unknown> = {}
    let line = next()
    for (let match = headerLine.exec(line ?? ''); match; match = headerLine.exec((line = next()) ?? '')) {
      raw[match[1]!] = JSON.parse(match[2]!)
    }
    const collections: Record<string, unknown[]> = {}
    raw.collections = collections
    if (line === '  "collections": {}') line = next()
    else if (line === '  "collections": {') {
      for (let kind = kindLine.exec((line = next()) ?? ''); kind; kind = kindLine.exec((line = next()) ?? '')) {
        const records: unknown[] = []
        collections[kind[1]!] = records
        if (kind[2] !== undefined) continue
        for (line = next(); line !== undefined && !listEnd.test(line); line = next()) {
          if (!line.startsWith('    {')) return undefined
          records.push(JSON.parse(line.endsWith(',') ? line.slice(0, -1) : line))
        }
      }
      if (line !== '  }') return undefined
      line = next()
    } else return undefined
    if (line !== '}') return undefined
    const rest = next()
    return (rest === '' && next() === undefined) || rest === undefined ? raw : undefined
  } catch {
    return undefined
  }
}

/** Reads an export (or a version-1 `makegood.json`), migrates it and validates every record. */
export function parseExport(input: Buffer | string, path: string): DataSet {
  const raw = rawExportOf(typeof input === 'string' ? Buffer.from(input, 'utf8') : input, path)
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
