import { z } from 'zod'
import { type i18n as I18n } from 'i18next'
import { type SilentCases } from '../../shared/contacts/contract'
import { CaseStatus } from '../../shared/schemas'
import { parseUnknown } from '../../shared/core/errors'
import { type dispatch } from '../services'
import { type ServiceContext } from '../services/context'
import { renderTable } from './table'

type Call = <T>(ctx: ServiceContext, method: Parameters<typeof dispatch>[1], input: unknown) => Promise<T>

/**
 * `makegood cases list --silent`: open cases whose customer has had no news for N business days
 * (the setting), longest silence first; `--status` narrows them further. JSON is the list of rows.
 */
export async function printSilentCases(
  ctx: ServiceContext,
  t: I18n['t'],
  call: Call,
  options: { isJson: boolean; status?: string | undefined },
): Promise<void> {
  // Parsed as a named field, so a refusal says which option was wrong.
  const status =
    options.status === undefined
      ? undefined
      : parseUnknown(z.object({ status: CaseStatus }), { status: options.status }).status
  const silent = await call<SilentCases>(ctx, 'cases:silent', {})
  const cases = status ? silent.cases.filter((c) => c.status === status) : silent.cases
  if (options.isJson) {
    process.stdout.write(`${JSON.stringify(cases, null, 2)}\n`)
    return
  }
  if (cases.length === 0) {
    process.stdout.write(`${t('conversation:cli.noneSilent', { count: silent.afterBusinessDays })}\n`)
    return
  }
  const rows = cases.map((c) => [
    c.number,
    t('conversation:cli.days', { count: c.businessDaysWithoutNews }),
    t('conversation:cli.lastNews', { day: c.lastNewsAt.slice(0, 10) }),
    c.customerName,
    c.summary,
  ])
  for (const row of renderTable(rows, [{}, {}, {}, { max: 24 }, { max: 60 }])) process.stdout.write(`${row}\n`)
}
