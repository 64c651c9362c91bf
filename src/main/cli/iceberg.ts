import { businessCurrency } from '../services/money/currency'
import { readFile } from 'node:fs/promises'
import { type Command } from 'commander'
import { type i18n as I18n } from 'i18next'
import { z } from 'zod'
import { type Method } from '../../shared/api'
import { ActivityMap } from '../../shared/iceberg/activityImport'
import { AppError, parseUnknown } from '../../shared/core/errors'
import { icebergReference } from '../../shared/iceberg/iceberg'
import { type IcebergView, type ImportResult, type SignalList } from '../../shared/iceberg/contract'
import { type ServiceContext } from '../services/context'
import { formatList } from '../../shared/core/i18n/listFormat'
import { type Locale } from '../../shared/schemas'
import { renderTable } from './table'
import { withContext } from './withContext'

type Deps = {
  open: (isReadOnly: boolean) => Promise<ServiceContext>
  call: <T>(ctx: ServiceContext, method: Method, input: unknown) => Promise<T>
}

const write = (line: string) => process.stdout.write(`${line}\n`)
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/)

/** `makegood signals` and `makegood iceberg`. */
export function addIcebergCommands(program: Command, t: I18n['t'], deps: Deps, locale: Locale = 'en'): void {
  program
    .command('signals')
    .description(t('iceberg:cli.signals.description'))
    .option('--json', t('cli:option.json'))
    .option('--detect', t('iceberg:cli.signals.detect'))
    .action(async (options: { json?: boolean; detect?: boolean }) => {
      await withContext(deps.open(!options.detect), async (ctx) => {
        if (options.detect) await deps.call(ctx, 'signals:detect', {})
        const list = await deps.call<SignalList>(ctx, 'signals:list', { status: 'open' })
        if (options.json) return write(JSON.stringify(list.signals, null, 2))
        if (list.signals.length === 0) return write(t('iceberg:cli.signals.none'))
        const currency = businessCurrency(ctx.store.settings)
        const rows = renderTable(
          list.signals.map((s) => [
            s.raisedAt.slice(0, 10),
            t(`iceberg:level.${s.level}`),
            s.customerName,
            formatList(
              locale,
              s.reasons.map((r) => t(`iceberg:reason.${r}`)),
            ),
          ]),
          [{}, { max: 20 }, { max: 24 }, {}],
        )
        for (const [i, s] of list.signals.entries()) {
          write(rows[i] ?? '')
          const v = s.valueAtRisk
          write(
            `    ${v ? t('iceberg:valueAtRisk.formula', { ...v, value: v.value, currency }) : t('iceberg:valueAtRisk.unknown')}`,
          )
        }
        write(t('iceberg:cli.signals.total', { count: list.signals.length, value: list.totalValueAtRisk, currency }))
      })
    })

  program
    .command('iceberg')
    .description(t('iceberg:cli.iceberg.description'))
    .requiredOption('--month <YYYY-MM>', t('iceberg:cli.iceberg.month'))
    .option('--category <id>', t('iceberg:cli.iceberg.category'))
    .option('--department <name>', t('iceberg:cli.iceberg.department'))
    .option('--json', t('cli:option.json'))
    .action(async (options: { month: string; json?: boolean; category?: string; department?: string }) => {
      if (!month.safeParse(options.month).success) {
        throw new AppError('invalid_input', `--month must be YYYY-MM, got "${options.month}"`)
      }
      await withContext(deps.open(true), async (ctx) => {
        const view = await deps.call<IcebergView>(ctx, 'iceberg:get', {
          from: options.month,
          to: options.month,
          ...(options.category ? { category: options.category } : {}),
          ...(options.department ? { department: options.department } : {}),
        })
        if (options.json) return write(JSON.stringify(view, null, 2))
        printIceberg(view, t)
      })
    })
}

/**
 * `makegood import activity FILE.csv --map MAP.json [--no-detect]`: one branch of the shared
 * `import` command (which also imports exports and complaint CSVs).
 */
export async function importActivityCommand(
  t: I18n['t'],
  deps: Deps,
  file: string,
  options: { map?: string; detect: boolean },
): Promise<void> {
  if (!options.map) throw new AppError('invalid_input', t('iceberg:cli.import.needsMap'))
  const csv = await readFile(file, 'utf8')
  let rawMap: unknown
  try {
    rawMap = JSON.parse(await readFile(options.map, 'utf8'))
  } catch (error) {
    throw new AppError('invalid_input', `${options.map} is not valid JSON: ${(error as Error).message}`)
  }
  const map = parseUnknown(ActivityMap, rawMap)
  await withContext(deps.open(false), async (ctx) => {
    const result = await deps.call<ImportResult>(ctx, 'activities:import', { csv, map, detect: options.detect })
    write(t('iceberg:import.done', result))
    if (options.detect) write(t('iceberg:import.detected', result.detection))
  })
}

function printIceberg(view: IcebergView, t: I18n['t']): void {
  const { counts, estimates: e } = view
  const share = (layer: 'formal' | 'grumbles' | 'silent') => e.observedShares?.[layer] ?? 0
  write(t('iceberg:cli.iceberg.title', { from: view.from, to: view.to }))
  const layers = ['formal', 'grumbles', 'silent'] as const
  const rows = layers.map((layer) => [
    t(`iceberg:layer.${layer}`),
    String(counts[layer]),
    t('iceberg:cli.iceberg.share', { share: share(layer), reference: icebergReference[layer] }),
  ])
  for (const row of renderTable(rows, [{ max: 32 }, { align: 'right' }, {}])) write(`  ${row}`)
  if (e.estimatedTotal === null) {
    write(t('iceberg:estimate.noFormal'))
  } else {
    write(t('iceberg:estimate.total', { formal: counts.formal, total: e.estimatedTotal }))
    write(t('iceberg:estimate.grumbles', { total: e.estimatedTotal, expected: e.expectedGrumbles }))
    write(
      t('iceberg:estimate.capture', {
        logged: counts.grumbles,
        expected: e.expectedGrumbles,
        rate: e.grumbleCaptureRate,
      }),
    )
    write(
      t('iceberg:estimate.silent', { total: e.estimatedTotal, expected: e.expectedSilent, detected: counts.silent }),
    )
    write(t('iceberg:estimate.unseen', { unseen: e.unseen, recorded: counts.total }))
  }
  write(t('iceberg:ruleOfThumb'))
}
