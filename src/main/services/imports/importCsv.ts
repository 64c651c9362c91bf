import { createHash } from 'node:crypto'
import { readCsv, recordOf } from '../../../shared/core/csv'
import { AppError } from '../../../shared/core/errors'
import {
  type CsvMapping,
  type MappedRow,
  type RowError,
  contentKey,
  mapCsvRow,
} from '../../../shared/imports/csvImport'
import { freshSteps } from '../../../shared/cases/recovery'
import { type Case, type Customer } from '../../../shared/schemas'
import { type Change } from '../../store/store'
import { type ServiceContext, actorOf } from '../context'
import { caseNumberAllocator } from '../cases/caseNumbers'
import { customerIndex, resolveCustomer } from '../customers/customerRecords'
import { nextTurn } from '../../eventLoop'

export type CsvImportResult = {
  rows: number
  created: number
  duplicates: number
  invalid: number
  errors: RowError[]
  isDryRun: boolean
  /** The first rows as mapped, for a preview. */
  preview: MappedRow[]
}

export type CsvImportOptions = {
  isDryRun?: boolean
  isSkipInvalid?: boolean
  /** Rows checked so far; called again with `done === total` once the import is written. */
  onProgress?: (done: number, total: number) => void
}

const hash = (text: string) => createHash('sha1').update(text).digest('hex')
/** Rows checked between two yields to the event loop, so a big file does not stall the host. */
const rowsPerTurn = 2000

/** The CSV's header, and each row by column name, numbered as in a spreadsheet (the header is row 1). */
export function parseCsv(text: string): {
  header: string[]
  records: { row: number; values: Record<string, string> }[]
} {
  const { header, rows, errors } = readCsv(text)
  // An unclosed quote shifts every later cell into the wrong column: refuse the file, never guess.
  const [unclosed] = errors
  if (unclosed) {
    throw new AppError('invalid_input', `Row ${unclosed.row}: a quoted cell is never closed; nothing was imported`, {
      reason: 'import.unterminated_quote',
      params: { row: unclosed.row },
      details: [{ path: 'csv', message: unclosed.message }],
    })
  }
  return { header, records: rows.map((cells, index) => ({ row: index + 2, values: recordOf(header, cells) })) }
}

/**
 * Imports complaints from another system's CSV. Every row is validated first; without
 * `isSkipInvalid`, one invalid row means nothing is written. A row already imported (same
 * external id, or else the same content) is not imported twice.
 */
export async function importComplaintsCsv(
  ctx: ServiceContext,
  text: string,
  mapping: CsvMapping,
  options: CsvImportOptions = {},
): Promise<CsvImportResult> {
  const { header, records } = parseCsv(text)
  for (const [field, column] of Object.entries(mapping.columns)) {
    if (!header.includes(column)) {
      throw new AppError('invalid_input', `The CSV has no column "${column}" (mapped to ${field})`, {
        reason: 'import.missing_column',
        params: { column, field },
        details: [{ path: `columns.${field}`, message: `No column "${column}"` }],
      })
    }
  }
  const categories = new Set(ctx.store.settings.categories.map((c) => c.id))
  const errors: RowError[] = []
  const valid: MappedRow[] = []
  for (const [index, record] of records.entries()) {
    const mapped = mapCsvRow(record.values, record.row, mapping, categories)
    errors.push(...mapped.errors)
    if (mapped.value) valid.push(mapped.value)
    if ((index + 1) % rowsPerTurn === 0) {
      options.onProgress?.(index + 1, records.length)
      await nextTurn()
    }
  }
  // From here on nothing yields until the commit: case numbers and duplicates are decided
  // against the store as it is now, and no other write can slip in between.
  const invalidRows = new Set(errors.map((e) => e.row)).size
  const result = (created: number, duplicates: number, isDryRun: boolean): CsvImportResult => ({
    rows: records.length,
    created,
    duplicates,
    invalid: invalidRows,
    errors,
    isDryRun,
    preview: valid.slice(0, 20),
  })
  if (errors.length > 0 && !options.isSkipInvalid) return result(0, 0, true)

  const known = new Set<string>()
  for (const c of ctx.store.all('cases')) if (c.externalId) known.add(c.externalId)
  const knownCustomers = customerIndex(ctx.store.all('customers'))
  const nextNumber = caseNumberAllocator(ctx.store)
  const actor = actorOf(ctx)
  const changes: Change[] = []
  const newCustomers = new Map<string, Customer>()
  let duplicates = 0
  let created = 0
  for (const row of valid) {
    const externalId = row.externalId ?? `content:${hash(contentKey(row))}`
    if (known.has(externalId)) {
      duplicates++
      continue
    }
    known.add(externalId)
    const customerId = row.customerRef ? `import-${hash(row.customerRef).slice(0, 20)}` : undefined
    const byReference = customerId
      ? (ctx.store.get('customers', customerId) ?? newCustomers.get(customerId))
      : undefined
    const resolved = byReference
      ? { customer: byReference, isNew: false }
      : resolveCustomer(
          ctx,
          {
            name: row.customerName,
            idForNew: customerId ?? `import-${hash(row.customerName.toLowerCase()).slice(0, 20)}`,
            createdAtForNew: row.receivedAt,
          },
          knownCustomers,
        )
    const customer = resolved.customer
    if (resolved.isNew) {
      newCustomers.set(customer.id, customer)
      changes.push({ collection: 'customers', value: customer })
    }
    const value: Case = {
      id: `import-${hash(externalId).slice(0, 24)}`,
      number: nextNumber(new Date(row.receivedAt).getUTCFullYear()),
      customerId: customer.id,
      summary: row.summary,
      description: row.description,
      remedySought: row.remedySought,
      channel: row.channel,
      source: row.source,
      category: row.category,
      severity: row.severity,
      department: row.department,
      owner: row.owner,
      status: row.status,
      receivedAt: row.receivedAt,
      steps: freshSteps(),
      timeline: [
        { at: row.receivedAt, by: actor.by, type: 'created', after: row.summary },
        { at: actor.at, by: actor.by, type: 'imported', note: `CSV row ${row.row}` },
        ...(row.closedAt ? [{ at: row.closedAt, by: actor.by, type: 'closed-elsewhere' }] : []),
      ],
      updatedAt: actor.at,
      externalId,
    }
    changes.push({ collection: 'cases', value })
    created++
  }
  if (options.isDryRun) return result(created, duplicates, true)
  // One commit is one journal entry: the import lands whole or not at all. A crash mid-write
  // leaves a torn last line, dropped on the next start; a failed write (disk full) is undone
  // in memory by the store. The price is one big journal line (~1 KB per case): at 50k rows a
  // transient ~150 MB more peak memory than chunked commits (docs/import.md has the figures).
  if (changes.length > 0) await ctx.store.commit(changes)
  options.onProgress?.(records.length, records.length)
  return result(created, duplicates, false)
}
