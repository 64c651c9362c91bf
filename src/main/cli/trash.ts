import { type Command } from 'commander'
import { type i18n as I18n } from 'i18next'
import { type TrashItem } from '../../shared/trash/schemas'
import { type dispatch } from '../services'
import { type ServiceContext } from '../services/context'
import { purgeTrash } from '../services/trash/trash'
import { caseByNumber } from './cases'
import { renderTable } from './table'
import { withContext } from './withContext'

type Call = <T>(ctx: ServiceContext, method: Parameters<typeof dispatch>[1], input: unknown) => Promise<T>
type Deps = { open: (isReadOnly: boolean) => Promise<ServiceContext>; call: Call }

/** ISO to "2026-11-23 10:00Z": the CLI prints UTC so that two machines print the same lines. */
const at = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')}Z`

/**
 * `makegood cases delete NUMBER` and `makegood trash list|restore|purge`: the same contract
 * methods as the app's Delete and Settings → Trash.
 */
export function addTrashCommands(program: Command, cases: Command, t: I18n['t'], { open, call }: Deps): void {
  cases
    .command('delete')
    .description(t('trash:cli.delete'))
    .argument('<number>', t('cli:cases.number'))
    .option('--json', t('cli:option.json'))
    .action(async (number: string, options: { json?: boolean }) => {
      await withContext(open(false), async (ctx) => {
        const found = await caseByNumber(t, ctx, call, number)
        const item = await call<TrashItem>(ctx, 'cases:delete', { id: found.id })
        if (options.json) process.stdout.write(`${JSON.stringify(item, null, 2)}\n`)
        else process.stdout.write(`${t('trash:cli.deleted', { what: item.label, id: item.id })}\n`)
      })
    })

  const trash = program.command('trash').description(t('trash:cli.description'))
  trash
    .command('list')
    .description(t('trash:cli.list'))
    .option('--json', t('cli:option.json'))
    .action(async (options: { json?: boolean }) => {
      await withContext(open(true), async (ctx) => {
        const items = await call<TrashItem[]>(ctx, 'trash:list', {})
        if (options.json) return void process.stdout.write(`${JSON.stringify(items, null, 2)}\n`)
        if (items.length === 0) return void process.stdout.write(`${t('trash:empty')}\n`)
        const rows = [
          [
            'id',
            t('trash:column.kind'),
            t('trash:column.what'),
            t('trash:column.deletedBy'),
            t('trash:column.deletedAt'),
            t('trash:column.purgeAt'),
          ],
          ...items.map((i) => [i.id, t(`trash:kind.${i.kind}`), i.label, i.deletedBy, at(i.deletedAt), at(i.purgeAt)]),
        ]
        for (const row of renderTable(rows, [{}, {}, { max: 50 }, { max: 20 }, {}, {}])) {
          process.stdout.write(`${row}\n`)
        }
      })
    })
  trash
    .command('restore')
    .description(t('trash:cli.restore'))
    .argument('<id>', t('trash:cli.id'))
    .option('--json', t('cli:option.json'))
    .action(async (id: string, options: { json?: boolean }) => {
      await withContext(open(false), async (ctx) => {
        const item = await call<TrashItem>(ctx, 'trash:restore', { id })
        if (options.json) process.stdout.write(`${JSON.stringify(item, null, 2)}\n`)
        else process.stdout.write(`${t('trash:restored', { what: item.label })}\n`)
      })
    })
  trash
    .command('purge')
    .description(t('trash:cli.purge'))
    .action(async () => {
      await withContext(open(false), async (ctx) => {
        const { purged } = await purgeTrash(ctx)
        process.stdout.write(`${t('trash:cli.purged', { count: purged })}\n`)
      })
    })
}
