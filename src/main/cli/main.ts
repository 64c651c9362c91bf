import { Command, Option } from 'commander'
import { type i18n as I18n } from 'i18next'
import { AppError, isApiError } from '../../shared/errors'
import { createI18n, resolveLocale } from '../../shared/i18n/i18n'
import { Locale } from '../../shared/schemas'
import { reportCommand } from './report'
import { startHttpHost } from '../hosts/http'
import { defaultDataDir, rendererDir } from '../paths'
import { dispatch } from '../services'
import { type ServiceContext } from '../services/context'
import { Store } from '../store/store'
import { z } from 'zod'

type GlobalOptions = { data?: string; now?: string; lang?: string }

const NowOption = z.iso.datetime({ offset: true }).optional()

/** A fixed clock for `--now` (tests, back-dated reports); otherwise the real one. */
function clockFrom(now: string | undefined): () => Date {
  const parsed = NowOption.safeParse(now)
  if (!parsed.success) throw new AppError('invalid_input', `--now must be an ISO date-time, got "${now}"`)
  if (!parsed.data) return () => new Date()
  const fixed = new Date(parsed.data)
  return () => fixed
}

async function openContext(options: GlobalOptions, isReadOnly: boolean): Promise<ServiceContext> {
  const store = await Store.open(options.data ?? defaultDataDir(), { isReadOnly })
  return { store, now: clockFrom(options.now) }
}

/** Runs one contract method the way the hosts do: parsed input, typed error. */
async function call<T>(ctx: ServiceContext, method: Parameters<typeof dispatch>[1], input: unknown): Promise<T> {
  const result = await dispatch(ctx, method, input)
  if (!result.ok) throw new AppError(result.error.code, result.error.message, result.error)
  return result.value as T
}

export async function buildProgram(t: I18n['t'], locale: Locale = 'en'): Promise<Command> {
  const program = new Command('makegood')
    .description(t('cli:description'))
    .addOption(new Option('--data <dir>', t('cli:option.data')).env('MAKEGOOD_DATA'))
    .option('--now <iso>', t('cli:option.now'))
    .option('--lang <locale>', t('cli:option.lang'))
    .helpOption('-h, --help', t('cli:option.help'))
    .showHelpAfterError()

  program
    .command('serve')
    .description(t('cli:serve.description'))
    .option('--port <n>', t('cli:serve.port'), (v) => z.coerce.number().int().min(0).max(65535).parse(v), 0)
    .action(async (options: { port: number }) => {
      const ctx = await openContext(program.opts<GlobalOptions>(), false)
      const host = await startHttpHost(ctx, { port: options.port, rendererDir: rendererDir() })
      process.stdout.write(`${t('cli:serve.listening', { url: host.url })}\n`)
      const stop = async () => {
        await host.close()
        await ctx.store.close()
        process.exit(0)
      }
      process.once('SIGINT', () => void stop())
      process.once('SIGTERM', () => void stop())
    })

  program
    .command('demo')
    .description(t('cli:demo.description'))
    .action(async () => {
      const ctx = await openContext(program.opts<GlobalOptions>(), false)
      try {
        const loaded = await call<{ customers: number; cases: number }>(ctx, 'demo:load', {})
        process.stdout.write(`${t('cli:demo.loaded', { ...loaded, dir: ctx.store.dir })}\n`)
      } finally {
        await ctx.store.close()
      }
    })

  const cases = program.command('cases').description(t('cli:cases.description'))
  cases
    .command('list')
    .description(t('cli:cases.list'))
    .option('--json', t('cli:option.json'))
    .option('--status <status>', t('cli:cases.status'))
    .action(async (options: { json?: boolean; status?: string }) => {
      const ctx = await openContext(program.opts<GlobalOptions>(), true)
      const list = await call<
        { number: string; status: string; customerName: string; summary: string; receivedAt: string }[]
      >(ctx, 'cases:list', options.status ? { status: options.status } : {})
      if (options.json) {
        process.stdout.write(`${JSON.stringify(list, null, 2)}\n`)
        return
      }
      if (list.length === 0) process.stdout.write(`${t('cli:cases.none')}\n`)
      for (const c of list) {
        process.stdout.write(
          `${c.number}  ${c.receivedAt.slice(0, 10)}  ${t(`cases:status.${c.status}`).padEnd(12)}  ${c.customerName} — ${c.summary}\n`,
        )
      }
    })
  reportCommand(program, t, locale, (isReadOnly) => openContext(program.opts<GlobalOptions>(), isReadOnly))
  return program
}

function chooseLocale(argv: string[]): Locale {
  const index = argv.indexOf('--lang')
  const fromFlag = index >= 0 ? argv[index + 1] : argv.find((a) => a.startsWith('--lang='))?.slice(7)
  if (fromFlag) return Locale.safeParse(fromFlag).success ? (fromFlag as Locale) : resolveLocale(fromFlag)
  return resolveLocale(process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG)
}

export async function main(argv: string[]): Promise<void> {
  const locale = chooseLocale(argv)
  const i18n = await createI18n(locale)
  const program = await buildProgram(i18n.t.bind(i18n), locale)
  try {
    await program.parseAsync(argv)
  } catch (error) {
    const message = isApiError(error) || error instanceof Error ? error.message : String(error)
    process.stderr.write(`${i18n.t('cli:error', { message })}\n`)
    process.exitCode = error instanceof AppError && error.code === 'invalid_input' ? 2 : 1
  }
}

if (require.main === module) {
  // `makegood cases list | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0)
  })
  void main(process.argv)
}
