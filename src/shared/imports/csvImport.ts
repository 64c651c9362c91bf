import { tz } from '@date-fns/tz'
import { isValid, parse as parseDate } from 'date-fns'
import { z } from 'zod'
import { Channel, Severity, Source, CaseStatus } from '../schemas'
import { own } from '../core/own'

/** The case fields a CSV column can fill. */
export const csvFields = [
  'receivedAt',
  'summary',
  'description',
  'customerName',
  'customerRef',
  'category',
  'severity',
  'department',
  'source',
  'status',
  'closedAt',
  'externalId',
  'channel',
  'owner',
  'remedySought',
] as const
export type CsvField = (typeof csvFields)[number]

/** MAP.json: case field → CSV column, a date format in date-fns tokens, defaults, value maps. */
export const CsvMapping = z
  .object({
    columns: z.partialRecord(z.enum(csvFields), z.string().min(1).max(500)),
    dateFormat: z.string().min(1).max(100).optional(),
    defaults: z.partialRecord(z.enum(csvFields), z.string().max(500)).default({}),
    values: z.partialRecord(z.enum(csvFields), z.record(z.string().max(500), z.string().max(500))).default({}),
  })
  .strict()
  .refine((m) => m.columns.receivedAt !== undefined && m.columns.summary !== undefined, {
    message: 'receivedAt and summary must be mapped to a column',
    path: ['columns'],
  })
export type CsvMapping = z.infer<typeof CsvMapping>

/** Why a row is refused: a stable key, translated under `imports:row.<reason>`. */
export const rowReasons = [
  'required',
  'too_long',
  'not_a_date',
  'not_a_date_in_format',
  'not_one_of',
  'unknown_category',
] as const
export type RowReason = (typeof rowReasons)[number]

/**
 * One problem of one row: `row` counts the header as row 1, `column` is the file's column (or the
 * field's key when it is not mapped), `reason` + `params` are for translation, `message` is the
 * same in English for scripts.
 */
export const RowError = z.object({
  row: z.number(),
  column: z.string(),
  field: z.enum(csvFields),
  reason: z.enum(rowReasons),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  message: z.string(),
})
export type RowError = z.infer<typeof RowError>
export type RowParams = RowError['params']

/** The English text of a row problem (the `en` locale says the same; a unit test keeps them equal). */
export function rowMessage(reason: RowReason, params: RowParams): string {
  switch (reason) {
    case 'required':
      return 'required'
    case 'too_long':
      return `longer than ${params.max} characters`
    case 'not_a_date':
      return `"${params.value}" is not a date`
    case 'not_a_date_in_format':
      return `"${params.value}" is not a date in ${params.format}`
    case 'not_one_of':
      return `"${params.value}" is not one of ${params.allowed}`
    case 'unknown_category':
      return `"${params.value}" is not a known category`
  }
}

/** What an import (or its dry run) reports: counts and every invalid row's problems. */
export const CsvImportReport = z.object({
  rows: z.number(),
  created: z.number(),
  duplicates: z.number(),
  invalid: z.number(),
  errors: z.array(RowError),
  isDryRun: z.boolean(),
})
export type CsvImportReport = z.infer<typeof CsvImportReport>

/** What a case gets when its row has no value for the field and the mapping no default. */
export const fieldFallbacks = {
  category: 'other',
  severity: 'minor',
  source: 'other',
  channel: 'formal',
  status: 'open',
} as const satisfies Partial<Record<CsvField, string>>

/** One valid row, ready to become a case. */
export type MappedRow = {
  row: number
  receivedAt: string
  summary: string
  description: string
  remedySought: string
  customerName: string
  customerRef?: string
  category: string
  severity: Severity
  department: string
  owner: string
  source: Source
  channel: Channel
  status: CaseStatus
  closedAt?: string
  externalId?: string
}

const isoDate = z.iso.datetime({ offset: true })
const isoDay = /^\d{4}-\d{2}-\d{2}$/

/** ISO always works; otherwise the mapping's date-fns format, read as UTC. */
export function parseCsvDate(text: string, format: string | undefined): string | undefined {
  const trimmed = text.trim()
  if (isoDate.safeParse(trimmed).success) return new Date(trimmed).toISOString()
  if (isoDay.test(trimmed)) {
    const date = new Date(`${trimmed}T00:00:00.000Z`)
    return Number.isNaN(date.getTime()) ? undefined : date.toISOString()
  }
  if (!format) return undefined
  // Parsed in UTC, never the machine's zone: a local midnight that a DST change skips (São Paulo,
  // 4 Nov 2018) would otherwise come out an hour late, and the result would differ by machine.
  const parsed = parseDate(trimmed, format, new Date(Date.UTC(2000, 0, 1)), { in: tz('UTC') })
  if (!isValid(parsed)) return undefined
  return new Date(parsed.getTime()).toISOString()
}

/**
 * Maps and validates one CSV row (pure). `row` is the 1-based line of the record in the file
 * counting the header as row 1. Every problem is reported, not just the first.
 */
export function mapCsvRow(
  record: Record<string, string>,
  row: number,
  mapping: CsvMapping,
  knownCategories: ReadonlySet<string>,
): { value?: MappedRow; errors: RowError[] } {
  const errors: RowError[] = []
  const get = (field: CsvField): string => {
    const column = mapping.columns[field]
    const raw = column !== undefined ? (own(record, column) ?? '') : ''
    const text = raw.trim() === '' ? (mapping.defaults[field] ?? '') : raw.trim()
    return own(mapping.values[field], text) ?? text
  }
  const column = (field: CsvField) => mapping.columns[field] ?? field
  const fail = (field: CsvField, reason: RowReason, params: RowParams = {}) =>
    errors.push({ row, column: column(field), field, reason, params, message: rowMessage(reason, params) })
  const oneOf = <T extends string>(field: CsvField, allowed: readonly T[], fallback: T): T => {
    const text = get(field)
    if (text === '') return fallback
    if ((allowed as readonly string[]).includes(text)) return text as T
    fail(field, 'not_one_of', { value: text, allowed: allowed.join(', ') })
    return fallback
  }
  const notADate = (field: CsvField, value: string) =>
    mapping.dateFormat
      ? fail(field, 'not_a_date_in_format', { value, format: mapping.dateFormat })
      : fail(field, 'not_a_date', { value })
  const receivedText = get('receivedAt')
  const receivedAt = parseCsvDate(receivedText, mapping.dateFormat)
  if (receivedText === '') fail('receivedAt', 'required')
  else if (!receivedAt) notADate('receivedAt', receivedText)
  const summary = get('summary')
  if (summary === '') fail('summary', 'required')
  else if (summary.length > 200) fail('summary', 'too_long', { max: 200 })
  const description = get('description')
  if (description.length > 10_000) fail('description', 'too_long', { max: 10_000 })
  const category = get('category') || fieldFallbacks.category
  if (!knownCategories.has(category)) fail('category', 'unknown_category', { value: category })
  const severity = oneOf('severity', Severity.options, fieldFallbacks.severity)
  const source = oneOf('source', Source.options, fieldFallbacks.source)
  const channel = oneOf('channel', Channel.options, fieldFallbacks.channel)
  const status = oneOf('status', CaseStatus.options, fieldFallbacks.status)
  const closedText = get('closedAt')
  const closedAt = closedText === '' ? undefined : parseCsvDate(closedText, mapping.dateFormat)
  if (closedText !== '' && !closedAt) notADate('closedAt', closedText)
  const externalId = get('externalId')
  if (externalId.length > 200) fail('externalId', 'too_long', { max: 200 })
  const customerName = get('customerName') || get('customerRef')
  if (customerName.length > 200) fail('customerName', 'too_long', { max: 200 })
  if (errors.length > 0 || !receivedAt) return { errors }
  return {
    errors,
    value: {
      row,
      receivedAt,
      summary,
      description,
      remedySought: get('remedySought'),
      customerName: customerName || 'Unknown customer',
      ...(get('customerRef') ? { customerRef: get('customerRef') } : {}),
      category,
      severity,
      department: get('department'),
      owner: get('owner'),
      source,
      channel,
      status,
      ...(closedAt ? { closedAt } : {}),
      ...(externalId ? { externalId } : {}),
    },
  }
}

/** What identifies a row again on re-import when the file has no external id. */
export function contentKey(row: MappedRow): string {
  return JSON.stringify([row.receivedAt, row.summary, row.description, row.customerName, row.customerRef ?? ''])
}

/** Column headers other systems use for a field (compared ignoring case): the mapping screen's first guess. */
export const columnSynonyms: Record<CsvField, readonly string[]> = {
  receivedAt: ['date', 'received', 'date received', 'opened', 'created', 'created at', 'reported'],
  summary: ['subject', 'issue', 'title', 'complaint'],
  description: ['details', 'body', 'text', 'notes'],
  customerName: ['customer', 'client', 'name', 'customer name'],
  customerRef: ['customer id', 'customer no', 'customer number', 'account', 'client id'],
  category: ['type', 'category', 'topic', 'reason'],
  severity: ['priority', 'severity', 'impact'],
  department: ['team', 'department', 'dept', 'group'],
  source: ['via', 'source', 'origin', 'medium'],
  status: ['state', 'status'],
  closedAt: ['closed', 'closed at', 'resolved at', 'solved'],
  externalId: ['ticket', 'ticket no', 'ticket id', 'id', 'case id', 'reference'],
  channel: ['channel', 'kind'],
  owner: ['owner', 'assignee', 'assigned to', 'agent'],
  remedySought: ['remedy', 'remedy sought', 'wants', 'requested'],
}

/** The fields whose values the UI lets the user map to ours, and give a default. */
export const valueFields = ['category', 'severity', 'department', 'source', 'status', 'channel'] as const
export type ValueField = (typeof valueFields)[number]

/** The distinct non-empty values of one column (trimmed), most frequent first, then as first seen. */
export function distinctValues(
  records: readonly Record<string, string>[],
  column: string,
): { value: string; count: number }[] {
  const counts = new Map<string, number>()
  for (const record of records) {
    const value = (own(record, column) ?? '').trim()
    if (value !== '') counts.set(value, (counts.get(value) ?? 0) + 1)
  }
  return [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count)
}

/** Date formats seen in spreadsheets, in the order they are tried (with slashes, month-first first). */
export const commonDateFormats = [
  'dd.MM.yyyy',
  'dd.MM.yyyy HH:mm',
  'yyyy.MM.dd.',
  'yyyy.MM.dd',
  'yyyy.MM.dd. HH:mm',
  'MM/dd/yyyy',
  'MM/dd/yyyy HH:mm',
  'M/d/yyyy h:mm a',
  'dd/MM/yyyy',
  'dd/MM/yyyy HH:mm',
  'yyyy/MM/dd',
  'yyyy/MM/dd HH:mm',
  'yyyy/M/d',
  'yyyy/M/d H:mm',
  'dd-MM-yyyy',
  'yyyy年M月d日',
  'yyyy年M月d日 HH:mm',
  'yyyy-MM-dd HH:mm',
  'yyyy-MM-dd HH:mm:ss',
] as const

/**
 * The common format that reads the most samples (the first in the list on a tie), or undefined
 * when every sample is ISO (always accepted) or no format reads more than ISO does. A bad row or
 * two does not stop the guess; a few dozen samples tell 03/14 from 14/03.
 */
export function guessDateFormat(samples: readonly string[]): string | undefined {
  const values = samples.map((s) => s.trim()).filter((s) => s !== '')
  const readBy = (format: string | undefined) => values.filter((v) => parseCsvDate(v, format) !== undefined).length
  let best: string | undefined
  let bestCount = readBy(undefined)
  if (bestCount === values.length) return undefined
  for (const format of commonDateFormats) {
    const count = readBy(format)
    if (count > bestCount) [best, bestCount] = [format, count]
  }
  return best
}
