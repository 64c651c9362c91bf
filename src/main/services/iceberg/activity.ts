import { parseActivityCsv } from '../../../shared/iceberg/activityImport'
import { AppError } from '../../../shared/core/errors'
import { type ImportResult } from '../../../shared/iceberg/contract'
import { type Activity } from '../../../shared/iceberg/schemas'
import { type ActivityMap } from '../../../shared/iceberg/activityImport'
import { type Customer } from '../../../shared/schemas'
import { type Change } from '../../store/store'
import { type ServiceContext, newId } from '../context'
import { detectSignals } from './signals'
import { customerIndex, resolveCustomer } from '../customers/customerRecords'

/** Visits and purchases imported from the till or booking system: what churn and loyalty are computed from. */

/**
 * Imports visits or purchases. All or nothing: a file with a bad row writes nothing and the
 * error names every row to fix. Rows already imported (same customer, time, amount and
 * occurrence) are skipped, so importing the same file twice adds nothing.
 */
export async function importActivities(
  ctx: ServiceContext,
  input: { csv: string; map: ActivityMap; detect: boolean },
): Promise<ImportResult> {
  const parsed = parseActivityCsv(input.csv, input.map)
  if (parsed.errors.length > 0) {
    const first = parsed.errors[0]
    throw new AppError(
      'invalid_input',
      `The file has ${parsed.errors.length} problem(s); nothing was imported. ${parsed.errors
        .slice(0, 5)
        .map((e) => `Row ${e.row}: ${e.message}`)
        .join('; ')}`,
      {
        reason: 'import.bad_rows',
        params: { count: parsed.errors.length, row: first?.row ?? 0, problem: first?.message ?? '' },
        details: parsed.errors.slice(0, 100).map((e) => ({
          path: e.row === 1 ? e.path : `rows.${e.row}.${e.path}`,
          message: `Row ${e.row}: ${e.message}`,
        })),
      },
    )
  }
  const known = customerIndex(ctx.store.all('customers'))
  const knownKeys = new Set<string>()
  for (const a of ctx.store.all('activities')) if (a.importKey) knownKeys.add(a.importKey)
  const occurrences = new Map<string, number>()
  const newCustomers: Customer[] = []
  const activities: Activity[] = []
  let alreadyThere = 0
  for (const row of parsed.rows) {
    const resolved = resolveCustomer(ctx, { name: row.customerName, ...(row.email ? { email: row.email } : {}) }, known)
    const customer = resolved.customer
    if (resolved.isNew) newCustomers.push(customer)
    const base = `${customer.id}|${row.date}|${row.amount}`
    const occurrence = (occurrences.get(base) ?? 0) + 1
    occurrences.set(base, occurrence)
    const importKey = `${base}|${occurrence}`
    if (knownKeys.has(importKey)) {
      alreadyThere++
      continue
    }
    activities.push({
      id: newId(),
      customerId: customer.id,
      date: row.date,
      amount: row.amount,
      source: 'import',
      importKey,
    })
  }
  const changes: Change[] = [
    ...newCustomers.map((value) => ({ collection: 'customers' as const, value })),
    ...activities.map((value) => ({ collection: 'activities' as const, value })),
  ]
  if (changes.length > 0) await ctx.store.commit(changes)
  const detection = input.detect ? await detectSignals(ctx) : { assessed: 0, raised: 0, updated: 0 }
  return {
    rows: parsed.rows.length,
    imported: activities.length,
    alreadyThere,
    newCustomers: newCustomers.length,
    detection,
  }
}
