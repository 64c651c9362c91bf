import { writeFile } from 'node:fs/promises'
import { type Command } from 'commander'
import { type i18n as I18n } from 'i18next'
import { AppError } from '../../shared/core/errors'
import { type PromiseFilter, type PromiseSummary } from '../../shared/promises/contract'
import { promiseMaker, promiseWhat } from '../../shared/promises/promiseLabels'
import { Locale } from '../../shared/schemas'
import { type dispatch } from '../services'
import { type ServiceContext } from '../services/context'
import { renderTable } from './table'
import { withContext } from './withContext'

type Call = <T>(ctx: ServiceContext, method: Parameters<typeof dispatch>[1], input: unknown) => Promise<T>

const units: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

/** "7d", "36h", "2w", "90m" → milliseconds. */
export function parseSpan(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([mhdw])$/.exec(text.trim())
  if (!match) {
    throw new AppError('invalid_input', `--due-within takes an amount and a unit (m, h, d, w), e.g. 7d; got "${text}"`)
  }
  return Number(match[1]) * (units[match[2] as string] as number)
}

/**
 * `makegood promises [--overdue] [--due-within 7d] [--all] [--json]` lists the ledger (open
 * promises by default); `--ics FILE` writes the open promises as an iCalendar file instead.
 */
export function addPromisesCommand(
  program: Command,
  t: I18n['t'],
  open: (isReadOnly: boolean) => Promise<ServiceContext>,
  call: Call,
): void {
  program
    .command('promises')
    .description(t('promises:cli.description'))
    .option('--overdue', t('promises:cli.overdue'))
    .option('--due-within <span>', t('promises:cli.dueWithin'))
    .option('--all', t('promises:cli.all'))
    .option('--json', t('cli:option.json'))
    .option('--ics <file>', t('promises:cli.ics'))
    .action(async (options: { overdue?: boolean; dueWithin?: string; all?: boolean; json?: boolean; ics?: string }) => {
      await withContext(open(true), async (ctx) => {
        if (options.ics) {
          const lang = Locale.safeParse(program.opts<{ lang?: string }>().lang).data
          const file = await call<{ content: string; count: number }>(ctx, 'promises:ics', lang ? { lang } : {})
          await writeFile(options.ics, file.content, 'utf8')
          process.stdout.write(`${t('promises:cli.icsWritten', { count: file.count, file: options.ics })}\n`)
          return
        }
        const filter: PromiseFilter = {}
        if (options.dueWithin) {
          filter.states = options.overdue ? ['open', 'overdue'] : ['open']
          filter.dueTo = new Date(ctx.now().getTime() + parseSpan(options.dueWithin)).toISOString()
        } else if (options.overdue) filter.states = ['overdue']
        else if (!options.all) filter.states = ['open', 'overdue']
        const list = await call<PromiseSummary[]>(ctx, 'promises:list', filter)
        if (options.json) {
          process.stdout.write(`${JSON.stringify(list, null, 2)}\n`)
          return
        }
        const guarantees = ctx.store.settings.promises.guarantees
        if (list.length === 0) process.stdout.write(`${t('promises:cli.none')}\n`)
        const rows = list.map((p) => [
          `${p.dueAt.slice(0, 16).replace('T', ' ')}Z`,
          t(`promises:state.${p.state}`),
          p.caseNumber ?? '-',
          p.customerName,
          promiseWhat(t, p, guarantees),
          promiseMaker(t, p),
        ])
        // Due, state, case, customer, what, made by.
        const columns = [{}, { max: 20 }, {}, { max: 24 }, { max: 48 }, { max: 30 }]
        for (const row of renderTable(rows, columns)) process.stdout.write(`${row}\n`)
      })
    })
}
