import { AppError } from '../../../shared/core/errors'
import { type ServiceContext } from '../context'

/**
 * A category or department must be one the settings know: a typo would open a pattern group
 * of its own and hide a recurring failure. `record` names the kind in the error's reason key
 * (`case.unknown_category`, `grumble.unknown_department`, …).
 */
export function requireKnownChoice(
  ctx: ServiceContext,
  field: 'category' | 'department',
  value: string | undefined,
  record: 'case' | 'grumble' | 'failure',
): void {
  if (value === undefined) return
  const isKnown =
    field === 'category'
      ? ctx.store.settings.categories.some((c) => c.id === value)
      : ctx.store.settings.departments.includes(value)
  if (!isKnown) {
    throw new AppError('invalid_input', `Unknown ${field} ${value}`, {
      reason: `${record}.unknown_${field}`,
      details: [{ path: field, message: `Unknown ${field}` }],
    })
  }
}
