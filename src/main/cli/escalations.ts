import { type Command } from 'commander'
import { type i18n as I18n } from 'i18next'
import { type EscalationView, type SweepResult } from '../../shared/api'
import { AppError } from '../../shared/core/errors'
import { type Escalation, EscalationStatus } from '../../shared/escalations/escalation'
import { escalationTitle } from '../../shared/escalations/escalationText'
import { type ServiceContext } from '../services/context'
import { subjectNames } from '../services/escalations/escalations'
import { renderTable } from './table'
import { withContext } from './withContext'

type Deps = {
  openContext: (isReadOnly: boolean) => Promise<ServiceContext>
  call: <T>(ctx: ServiceContext, method: 'escalations:sweep' | 'escalations:list', input: unknown) => Promise<T>
}

function titleOf(t: I18n['t'], ctx: ServiceContext, e: Escalation): string {
  return escalationTitle(t, ctx.store.settings.categories, { ...e, ...subjectNames(ctx, e) })
}

const line = (text: string) => process.stdout.write(`${text}\n`)

/** `makegood sweep` and `makegood escalations`. With --json: one JSON object per line (JSON Lines). */
export function addEscalationCommands(program: Command, t: I18n['t'], deps: Deps): void {
  program
    .command('sweep')
    .description(t('escalations:cli.sweep'))
    .option('--json', t('escalations:cli.json'))
    .action(async (options: { json?: boolean }) => {
      await withContext(deps.openContext(false), async (ctx) => {
        const changes = await deps.call<SweepResult>(ctx, 'escalations:sweep', {})
        if (options.json) {
          for (const c of changes) line(JSON.stringify({ change: c.change, added: c.added, ...c.escalation }))
        } else {
          const rows = changes.map((c) => [
            t(`escalations:cli.change.${c.change}`),
            t(`escalations:severity.${c.escalation.severity}`),
            titleOf(t, ctx, c.escalation),
            `(${c.escalation.evidence.length})`,
          ])
          for (const row of renderTable(rows, [{ max: 24 }, {}, { max: 60 }, { align: 'right' }])) line(row)
        }
        if (changes.length === 0 && !options.json) line(t('escalations:cli.noChanges'))
      })
    })

  program
    .command('escalations')
    .description(t('escalations:cli.list'))
    .option('--json', t('escalations:cli.json'))
    .option('--status <status>', t('escalations:cli.status'))
    .action(async (options: { json?: boolean; status?: string }) => {
      if (options.status !== undefined && !EscalationStatus.safeParse(options.status).success) {
        throw new AppError('invalid_input', `--status must be one of ${EscalationStatus.options.join(', ')}`)
      }
      await withContext(deps.openContext(true), async (ctx) => {
        const { escalations } = await deps.call<{ escalations: EscalationView[] }>(
          ctx,
          'escalations:list',
          options.status ? { status: options.status } : {},
        )
        if (options.json) {
          for (const e of escalations) line(JSON.stringify(e))
        } else {
          const rows = escalations.map((e) => [
            e.firstRaisedAt.slice(0, 10),
            t(`escalations:status.${e.status}`),
            t(`escalations:severity.${e.severity}`),
            titleOf(t, ctx, e),
            `(${e.evidence.length})`,
          ])
          for (const row of renderTable(rows, [{}, { max: 24 }, {}, { max: 60 }, { align: 'right' }])) line(row)
        }
        if (escalations.length === 0 && !options.json) line(t('escalations:cli.none'))
      })
    })
}
