import { isValid, parse as parseDate } from 'date-fns'
import { z } from 'zod'
import { Channel, Severity, Source, CaseStatus } from './schemas'

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
    columns: z.partialRecord(z.enum(csvFields), z.string().min(1)),
    dateFormat: z.string().min(1).optional(),
    defaults: z.partialRecord(z.enum(csvFields), z.string()).default({}),
    values: z.partialRecord(z.enum(csvFields), z.record(z.string(), z.string())).default({}),
  })
  .strict()
  .refine((m) => m.columns.receivedAt !== undefined && m.columns.summary !== undefined, {
    message: 'receivedAt and summary must be mapped to a column',
    path: ['columns'],
  })
export type CsvMapping = z.infer<typeof CsvMapping>

export type RowError = { row: number; column: string; reason: string }

/** What an import (or its dry run) reports: counts and every invalid row's problems. */
export const CsvImportReport = z.object({
  rows: z.number(),
  created: z.number(),
  duplicates: z.number(),
  invalid: z.number(),
  errors: z.array(z.object({ row: z.number(), column: z.string(), reason: z.string() })),
  isDryRun: z.boolean(),
})
export type CsvImportReport = z.infer<typeof CsvImportReport>

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
  const local = parseDate(trimmed, format, new Date(Date.UTC(2000, 0, 1)))
  if (!isValid(local)) return undefined
  // date-fns builds a local time: keep its wall-clock fields, as UTC.
  return new Date(
    Date.UTC(
      local.getFullYear(),
      local.getMonth(),
      local.getDate(),
      local.getHours(),
      local.getMinutes(),
      local.getSeconds(),
    ),
  ).toISOString()
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
    const raw = column !== undefined ? (record[column] ?? '') : ''
    const text = raw.trim() === '' ? (mapping.defaults[field] ?? '') : raw.trim()
    return mapping.values[field]?.[text] ?? text
  }
  const column = (field: CsvField) => mapping.columns[field] ?? field
  const fail = (field: CsvField, reason: string) => errors.push({ row, column: column(field), reason })
  const oneOf = <T extends string>(field: CsvField, allowed: readonly T[], fallback: T): T => {
    const text = get(field)
    if (text === '') return fallback
    if ((allowed as readonly string[]).includes(text)) return text as T
    fail(field, `"${text}" is not one of ${allowed.join(', ')}`)
    return fallback
  }
  const receivedText = get('receivedAt')
  const receivedAt = parseCsvDate(receivedText, mapping.dateFormat)
  if (receivedText === '') fail('receivedAt', 'required')
  else if (!receivedAt)
    fail('receivedAt', `"${receivedText}" is not a date${mapping.dateFormat ? ` in ${mapping.dateFormat}` : ''}`)
  const summary = get('summary')
  if (summary === '') fail('summary', 'required')
  else if (summary.length > 200) fail('summary', 'longer than 200 characters')
  const description = get('description')
  if (description.length > 10_000) fail('description', 'longer than 10000 characters')
  const category = get('category') || 'other'
  if (!knownCategories.has(category)) fail('category', `"${category}" is not a known category`)
  const severity = oneOf('severity', Severity.options, 'minor')
  const source = oneOf('source', Source.options, 'other')
  const channel = oneOf('channel', Channel.options, 'formal')
  const status = oneOf('status', CaseStatus.options, 'open')
  const closedText = get('closedAt')
  const closedAt = closedText === '' ? undefined : parseCsvDate(closedText, mapping.dateFormat)
  if (closedText !== '' && !closedAt) fail('closedAt', `"${closedText}" is not a date`)
  const externalId = get('externalId')
  if (externalId.length > 200) fail('externalId', 'longer than 200 characters')
  const customerName = get('customerName') || get('customerRef')
  if (customerName.length > 200) fail('customerName', 'longer than 200 characters')
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
