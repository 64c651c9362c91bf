import { z } from 'zod'
import { readCsv, recordOf } from '../core/csv'
import { own } from '../core/own'

/**
 * Reading a visits/purchases CSV (`makegood import activity FILE.csv --map MAP.json`, and the
 * same in the UI). The map names the file's columns: which holds the customer, the date, the
 * amount. The CSV itself (BOM, CRLF, quoted fields spanning lines) is read by `readCsv`.
 */
export const ActivityMap = z
  .object({
    customer: z.string().min(1).max(500),
    date: z.string().min(1).max(500),
    amount: z.string().min(1).max(500).optional(),
    email: z.string().min(1).max(500).optional(),
    /** A date-fns pattern such as `dd/MM/yyyy`; without it ISO-like dates and `2026年3月5日` are read. */
    dateFormat: z.string().min(1).max(50).optional(),
    /** The decimal separator of the amounts: `1.234,50` needs `,`. */
    decimal: z.enum(['.', ',']).default('.'),
  })
  .strict()
export type ActivityMap = z.output<typeof ActivityMap>

export type ActivityRow = { row: number; customerName: string; email?: string; date: string; amount: number }
export type RowError = { row: number; path: string; message: string }
export type ParsedActivity = { columns: string[]; rows: ActivityRow[]; errors: RowError[] }

/** The header row of a CSV, for choosing the columns of the map. */
export function csvColumns(text: string): string[] {
  return readCsv(text, { isHeaderOnly: true }).header
}

/** Names as typed in many systems: NFC, single spaces, trimmed. */
export function normalizeName(name: string): string {
  return name.normalize('NFC').replace(/\s+/g, ' ').trim()
}

const isoLike = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/
const chinese = /^(\d{4})年(\d{1,2})月(\d{1,2})日(?:\s*(\d{1,2})[:：](\d{2}))?$/

function utc(y: number, m: number, d: number, h = 0, min = 0, s = 0): string | undefined {
  const date = new Date(Date.UTC(y, m - 1, d, h, min, s))
  const isReal = date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d
  return isReal && h < 24 && min < 60 && s < 60 ? date.toISOString() : undefined
}

const formatTokens: Record<string, string> = {
  yyyy: '(\\d{4})',
  MM: '(\\d{1,2})',
  dd: '(\\d{1,2})',
  HH: '(\\d{1,2})',
  mm: '(\\d{2})',
}

/** Dates carry no zone in most exports: they are read as the calendar day given, in UTC. */
export function parseActivityDate(value: string, dateFormat?: string): string | undefined {
  const text = value.trim()
  if (dateFormat) {
    const order: string[] = []
    const pattern = dateFormat.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/yyyy|MM|dd|HH|mm/g, (token) => {
      order.push(token)
      return formatTokens[token] ?? token
    })
    const match = new RegExp(`^${pattern}$`).exec(text)
    if (!match) return undefined
    const part = (token: string) => (order.includes(token) ? Number(match[order.indexOf(token) + 1]) : 0)
    return utc(part('yyyy'), part('MM'), part('dd'), part('HH'), part('mm'))
  }
  const m = isoLike.exec(text) ?? chinese.exec(text)
  if (m) return utc(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0))
  if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(text)) {
    const date = new Date(text)
    return Number.isNaN(date.getTime()) ? undefined : date.toISOString()
  }
  return undefined
}

/** `€1,234.50`, `1 234,50 Ft`, `¥88`: currency signs and thousands separators are dropped. */
export function parseAmount(value: string, decimal: '.' | ','): number | undefined {
  const text = value.trim()
  if (text === '') return 0
  const thousands = decimal === '.' ? /[,\s\u00a0']/g : /[.\s\u00a0']/g
  const cleaned = text
    .replace(thousands, '')
    .replace(decimal, '.')
    .replace(/[^\d.-]/g, '')
  if (!/^-?\d+(\.\d+)?$/.test(cleaned)) return undefined
  const amount = Number(cleaned)
  return Number.isFinite(amount) ? amount : undefined
}

/**
 * Parses the whole file; every bad row is reported with its line in the spreadsheet (the
 * header is row 1), so the caller can refuse the file and say exactly what to fix.
 */
export function parseActivityCsv(text: string, map: ActivityMap): ParsedActivity {
  const { header: columns, rows: cells, errors: problems } = readCsv(text)
  const errors: RowError[] = problems.map((e) => ({ row: e.row, path: '', message: e.message }))
  for (const [key, column] of Object.entries({
    customer: map.customer,
    date: map.date,
    amount: map.amount,
    email: map.email,
  })) {
    if (column !== undefined && !columns.includes(column)) {
      errors.push({ row: 1, path: key, message: `No column "${column}" in the file (columns: ${columns.join(', ')})` })
    }
  }
  if (errors.length > 0) return { columns, rows: [], errors }
  const rows: ActivityRow[] = []
  cells.forEach((values, index) => {
    const row = index + 2
    const record = recordOf(columns, values)
    const customerName = normalizeName(own(record, map.customer) ?? '')
    const email = map.email ? (own(record, map.email) ?? '').trim() : ''
    const date = parseActivityDate(own(record, map.date) ?? '', map.dateFormat)
    const amount = map.amount ? parseAmount(own(record, map.amount) ?? '', map.decimal) : 0
    if (!customerName && !email) errors.push({ row, path: 'customer', message: 'No customer' })
    if (!date) errors.push({ row, path: 'date', message: `Not a date: "${own(record, map.date) ?? ''}"` })
    if (amount === undefined || amount < 0) {
      errors.push({ row, path: 'amount', message: `Not an amount: "${map.amount ? own(record, map.amount) : ''}"` })
    }
    if ((!customerName && !email) || !date || amount === undefined || amount < 0) return
    rows.push({ row, customerName: customerName || email, ...(email ? { email } : {}), date, amount })
  })
  return { columns, rows, errors }
}
