import { resolve } from 'node:path'
import { type Command } from 'commander'
import { z } from 'zod'
import { type i18n as I18n } from 'i18next'
import { AppError } from '../../shared/core/errors'
import { ReportMonth, ReportPeriod, buildReport, lastFullMonth, monthPeriod } from '../../shared/reports/report'
import { PaperSize, ReportFormat } from '../../shared/reports/settings'
import { formatCell } from '../../shared/reports/reportTables'
import { type Locale } from '../../shared/schemas'
import { type ServiceContext } from '../services/context'
import { reportInputOf, reportLocale, translatorFor } from '../services/reports/reports'
import { withContext } from './withContext'

type ReportOptions = { month?: string; from?: string; to?: string; format: string; out: string; paper: string }

const isoDate = z.iso.date()

/**
 * The period asked for: `--month`, or `--from` and `--to` (both, inclusive, from not after to),
 * never both kinds; null = the default (the last full month).
 */
export function periodOption(options: Pick<ReportOptions, 'month' | 'from' | 'to'>, t: I18n['t']): ReportPeriod | null {
  const isRange = options.from !== undefined || options.to !== undefined
  if (options.month !== undefined && isRange) throw new AppError('invalid_input', t('insights:cli.monthOrRange'))
  if (options.month !== undefined) {
    if (!ReportMonth.safeParse(options.month).success) {
      throw new AppError('invalid_input', t('report:cli.badMonth', { month: options.month }))
    }
    return monthPeriod(options.month)
  }
  if (!isRange) return null
  for (const value of [options.from, options.to]) {
    if (value === undefined) throw new AppError('invalid_input', t('insights:cli.bothEnds'))
    if (!isoDate.safeParse(value).success)
      throw new AppError('invalid_input', t('insights:cli.badDate', { date: value }))
  }
  const period = ReportPeriod.safeParse({ from: options.from, to: options.to })
  if (!period.success) {
    throw new AppError('invalid_input', t('insights:cli.fromAfterTo', { from: options.from, to: options.to }))
  }
  return period.data
}

/**
 * `makegood report --month YYYY-MM | --from YYYY-MM-DD --to YYYY-MM-DD --format pdf|xlsx|csv|html|json --out PATH`: for cron and
 * scripts. Progress goes to stderr, so stdout stays clean for whoever reads it.
 */
export function reportCommand(
  program: Command,
  t: I18n['t'],
  cliLocale: Locale,
  open: (isReadOnly: boolean) => Promise<ServiceContext>,
): void {
  program
    .command('report')
    .description(t('report:cli.description'))
    .option('--month <yyyy-mm>', t('report:cli.month'))
    .option('--from <yyyy-mm-dd>', t('insights:cli.from'))
    .option('--to <yyyy-mm-dd>', t('insights:cli.to'))
    .requiredOption('--format <format>', t('report:cli.format'))
    .requiredOption('--out <path>', t('report:cli.out'))
    .option('--paper <size>', t('report:cli.paper'), 'a4')
    .action(async (options: ReportOptions) => {
      const asked = periodOption(options, t)
      const format = ReportFormat.safeParse(options.format)
      if (!format.success) throw new AppError('invalid_input', t('report:cli.badFormat', { format: options.format }))
      const paper = PaperSize.safeParse(options.paper)
      if (!paper.success) throw new AppError('invalid_input', `--paper must be a4 or letter, got "${options.paper}"`)
      await withContext(open(true), async (ctx) => {
        // --lang wins; then the app's language setting; then the terminal's language.
        const isLangGiven = program.opts<{ lang?: string }>().lang !== undefined
        const locale = !isLangGiven && ctx.store.settings.language !== 'auto' ? reportLocale(ctx) : cliLocale
        const rt = await translatorFor(locale)
        const period = asked ?? monthPeriod(lastFullMonth(ctx.now()))
        const input = reportInputOf(ctx, locale, rt)
        const dateText = (iso: string) => formatCell({ kind: 'date', value: iso }, locale, rt)
        process.stderr.write(
          `${t('report:cli.building', { from: dateText(period.from), to: dateText(period.to), cases: input.cases.length })}\n`,
        )
        const report = buildReport(input, period, ctx.now(), rt)
        process.stderr.write(`${t('report:cli.rendering', { format: format.data.toUpperCase() })}\n`)
        const { writeReport } = await import('../report/export')
        const paths = await writeReport(report, rt, format.data, resolve(options.out), paper.data)
        for (const path of paths) process.stderr.write(`${t('report:cli.written', { path })}\n`)
      })
    })
}
