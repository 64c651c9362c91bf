import { type Command } from 'commander'
import { type i18n as I18n } from 'i18next'
import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { type CaseDetail, type CaseSummary } from '../../shared/api'
import { type PromiseSummary } from '../../shared/promises/contract'
import { caseSheet } from '../../shared/cases/caseSheet'
import { systemTimeZone } from '../services/promises/calendar'
import { caseTimelineText } from '../../shared/cases/timelineText'
import { AppError } from '../../shared/core/errors'
import { makerLabel, timelineWhat } from '../../shared/promises/promiseLabels'
import { type Case, type Locale, type Settings, type TimelineEvent } from '../../shared/schemas'
import { type dispatch } from '../services'
import { type ServiceContext } from '../services/context'
import { renderTable } from './table'
import { withContext } from './withContext'

type Call = <T>(ctx: ServiceContext, method: Parameters<typeof dispatch>[1], input: unknown) => Promise<T>
type Deps = { open: (isReadOnly: boolean) => Promise<ServiceContext>; call: Call; locale?: Locale }

/** The case with this number (`C-2026-0042`, any letter case), or a not-found error naming it. */
export async function caseByNumber(
  t: I18n['t'],
  ctx: ServiceContext,
  call: Call,
  number: string,
): Promise<CaseSummary> {
  const wanted = number.trim().toUpperCase()
  const found = (await call<CaseSummary[]>(ctx, 'cases:list', { query: wanted })).find((c) => c.number === wanted)
  if (!found) throw new AppError('not_found', t('cli:cases.notFound', { number }), { reason: 'case.not_found' })
  return found
}

/** ISO to "2026-11-23 10:00Z": the CLI prints UTC so that two machines print the same lines. */
const at = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')}Z`

function categoryLabelOf(t: I18n['t'], settings: Settings) {
  return (id: string) =>
    settings.categories.find((c) => c.id === id)?.label || t(`cases:category.${id}`, { defaultValue: id })
}

function timelineLine(t: I18n['t'], settings: Settings, event: TimelineEvent): string {
  if (event.type === 'promise' || event.type === 'failure') {
    const what = timelineWhat(t, event.after ?? '', settings.promises.guarantees)
    const key = event.type === 'failure' ? 'failure' : (event.field ?? 'made')
    const text = t(`promises:timeline.${key}`, { what, due: event.before ? at(event.before) : '' })
    return event.note ? `${text} — ${event.note}` : text
  }
  const text = caseTimelineText(t, event, categoryLabelOf(t, settings))
  return event.note ? `${text} — ${event.note}` : text
}

function showText(t: I18n['t'], settings: Settings, detail: CaseDetail): string[] {
  const c = detail.case
  const facts = renderTable(
    [
      [t('cases:field.summary'), c.summary],
      [t('cases:field.status'), t(`cases:status.${c.status}`)],
      [t('cases:field.customer'), detail.customer.name],
      [t('cases:field.category'), categoryLabelOf(t, settings)(c.category)],
      [t('cases:field.severity'), t(`cases:severity.${c.severity}`)],
      [t('cases:field.channel'), t(`cases:channel.${c.channel}`)],
      [t('cases:field.source'), t(`cases:source.${c.source}`)],
      [t('cases:field.department'), c.department || '—'],
      [t('cases:field.owner'), c.owner || '—'],
      [t('cli:cases.received'), at(c.receivedAt)],
      [t('cases:field.remedySought'), c.remedySought || '—'],
      [t('cases:field.description'), c.description || '—'],
    ],
    [{}, {}],
  )
  const steps = renderTable(
    c.steps.map((s) => [
      t(`cases:step.${s.key}`),
      t(`cases:stepStatus.${s.status}`),
      s.by ?? '',
      s.at ? at(s.at) : '',
      s.note ?? '',
    ]),
    [{}, {}, { max: 24 }, {}, { max: 60 }],
  )
  const timeline = renderTable(
    c.timeline.map((e) => [at(e.at), makerLabel(t, e.by), timelineLine(t, settings, e)]),
    [{}, { max: 24 }, {}],
  )
  return [
    c.number,
    ...facts,
    '',
    t('cli:cases.steps'),
    ...steps.map((l) => `  ${l}`.trimEnd()),
    '',
    t('cli:cases.timeline'),
    ...timeline.map((l) => `  ${l}`),
  ]
}

/**
 * The case as the app's print view shows it, as PDF bytes. Times in the working calendar's zone
 * (the computer's own when none is set), as the app shows them.
 */
async function casePdf(t: I18n['t'], locale: Locale, ctx: ServiceContext, call: Call, detail: CaseDetail) {
  const settings = ctx.store.settings
  const promises = await call<PromiseSummary[]>(ctx, 'promises:list', { caseId: detail.case.id })
  const time = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: settings.promises.calendar.timeZone || systemTimeZone(),
  })
  const formatTime = (iso: string) => time.format(new Date(iso))
  const sheet = caseSheet(t, settings, detail, promises, formatTime)
  const printedAt = ctx.now()
  const { renderCasePdf } = await import('../report/casePdf')
  return renderCasePdf(sheet, t, { locale, printedAt, printed: formatTime(printedAt.toISOString()) })
}

type FieldOptions = {
  summary?: string
  description?: string
  remedy?: string
  category?: string
  severity?: string
  department?: string
  channel?: string
  owner?: string
  customer?: string
}

function withFieldOptions(command: Command, t: I18n['t']): Command {
  return command
    .option('--description <text>', t('cli:cases.descriptionOption'))
    .option('--remedy <text>', t('cli:cases.remedy'))
    .option('--category <id>', t('cli:cases.category'))
    .option('--severity <severity>', t('cli:cases.severity'))
    .option('--department <name>', t('cli:cases.department'))
    .option('--channel <channel>', t('cli:cases.channel'))
    .option('--owner <name>', t('cli:cases.owner'))
    .option('--json', t('cli:option.json'))
}

/** The case fields an option set names, as the contract spells them; absent options stay absent. */
function fieldsOf(options: FieldOptions): Record<string, string> {
  const fields: Record<string, string | undefined> = {
    summary: options.summary,
    description: options.description,
    remedySought: options.remedy,
    category: options.category,
    severity: options.severity,
    department: options.department,
    channel: options.channel,
    owner: options.owner,
  }
  return Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined))
}

/**
 * `makegood cases show|add|update|assign`: one case from the command line. Writes go through the
 * same contract methods as the app, so every change lands on the case's timeline.
 */
export function addCaseCommands(cases: Command, t: I18n['t'], { open, call, locale = 'en' }: Deps): void {
  cases
    .command('show')
    .description(t('cli:cases.show'))
    .argument('<number>', t('cli:cases.number'))
    .option('--json', t('cli:option.json'))
    .option('--pdf <file>', t('print:cli.pdfOption'))
    .action(async (number: string, options: { json?: boolean; pdf?: string }) => {
      await withContext(open(true), async (ctx) => {
        const summary = await caseByNumber(t, ctx, call, number)
        const detail = await call<CaseDetail>(ctx, 'cases:get', { id: summary.id })
        if (options.pdf !== undefined) {
          const file = resolve(options.pdf)
          await writeFile(file, await casePdf(t, locale, ctx, call, detail))
          process.stderr.write(`${t('print:cli.written', { number: detail.case.number, file })}\n`)
        }
        if (options.json) process.stdout.write(`${JSON.stringify(detail, null, 2)}\n`)
        else for (const line of showText(t, ctx.store.settings, detail)) process.stdout.write(`${line}\n`)
      })
    })

  withFieldOptions(
    cases
      .command('add')
      .description(t('cli:cases.add'))
      .requiredOption('--customer <name>', t('cli:cases.customer'))
      .requiredOption('--summary <text>', t('cli:cases.summary')),
    t,
  ).action(async (options: FieldOptions & { json?: boolean }) => {
    await withContext(open(false), async (ctx) => {
      // The CLI has no form to make someone choose: "other" is said in --help, never hidden.
      const input = { category: 'other', ...fieldsOf(options), customerName: options.customer }
      const created = await call<Case>(ctx, 'cases:create', input)
      if (options.json) process.stdout.write(`${JSON.stringify(created, null, 2)}\n`)
      else process.stdout.write(`${t('cli:cases.created', { number: created.number, customer: options.customer })}\n`)
    })
  })

  withFieldOptions(
    cases
      .command('update')
      .description(t('cli:cases.update'))
      .argument('<number>', t('cli:cases.number'))
      .option('--summary <text>', t('cli:cases.summary'))
      .option('--customer <name>', t('cli:cases.customer')),
    t,
  ).action(async (number: string, options: FieldOptions & { json?: boolean }) => {
    const fields = fieldsOf(options)
    if (Object.keys(fields).length === 0 && options.customer === undefined) {
      throw new AppError('invalid_input', t('cli:cases.nothingToUpdate'))
    }
    await withContext(open(false), async (ctx) => {
      const before = await caseByNumber(t, ctx, call, number)
      const input = { id: before.id, ...fields, ...(options.customer ? { customerName: options.customer } : {}) }
      const current = ctx.store.get('cases', before.id)
      const updated = await call<Case>(ctx, 'cases:update', input)
      const count = updated.timeline.length - (current?.timeline.length ?? 0)
      if (options.json) process.stdout.write(`${JSON.stringify(updated, null, 2)}\n`)
      else if (count === 0) process.stdout.write(`${t('cli:cases.unchanged', { number: updated.number })}\n`)
      else process.stdout.write(`${t('cli:cases.updated', { number: updated.number, count })}\n`)
    })
  })

  cases
    .command('assign')
    .description(t('cli:cases.assign'))
    .argument('<number>', t('cli:cases.number'))
    .argument('<person>', t('cli:cases.person'))
    .option('--note <text>', t('cli:cases.note'))
    .option('--json', t('cli:option.json'))
    .action(async (number: string, person: string, options: { note?: string; json?: boolean }) => {
      await withContext(open(false), async (ctx) => {
        const found = await caseByNumber(t, ctx, call, number)
        const updated = await call<Case>(ctx, 'cases:assign', { id: found.id, owner: person, note: options.note ?? '' })
        if (options.json) process.stdout.write(`${JSON.stringify(updated, null, 2)}\n`)
        else process.stdout.write(`${t('cli:cases.assigned', { number: updated.number, owner: updated.owner })}\n`)
      })
    })
}
