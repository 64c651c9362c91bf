import { Command, Help, Option } from 'commander'
import { type i18n as I18n } from 'i18next'
import { AppError, isApiError, toApiError } from '../../shared/core/errors'
import { createI18n, resolveLocale } from '../../shared/core/i18n/i18n'
import { Locale } from '../../shared/schemas'
import { reportCommand } from './report'
import { startHttpHost } from '../hosts/http'
import { defaultDataDir, rendererDir } from '../paths'
import { dispatch } from '../services'
import { type ServiceContext } from '../services/context'
import { addIcebergCommands, importActivityCommand } from './iceberg'
import { sweepEscalations } from '../services/escalations/escalations'
import { type StorageProblem } from '../../shared/api'
import { addPromisesCommand } from './promises'
import { addCaseCommands } from './cases'
import { printSilentCases } from './silentCases'
import { addTrashCommands } from './trash'
import { z } from 'zod'
import { readFile } from 'node:fs/promises'
import { CsvMapping } from '../../shared/imports/csvImport'
import { rowErrorText } from '../../shared/imports/csvImportText'
import { parseUnknown } from '../../shared/core/errors'
import { exportToFile, importIntoEmpty, openServiceContext } from '../services/storage/exchange'
import { importComplaintsCsv } from '../services/imports/importCsv'
import { Desk } from '../teamDatabase/desk'
import { fileSink, logger, stderrSink } from '../log/logger'
import { addEscalationCommands } from './escalations'
import { displayWidth, renderTable } from './table'
import { stripVTControlCharacters } from 'node:util'
import { initTeamDatabase, moveFolderIntoTeam, teamDatabaseName } from '../services/storage/team'
import { withContext } from './withContext'
import { addTeamPeopleCommands } from './teamPeople'

/** Number, received, status, customer, summary: long names and summaries are cut to keep lines short. */
const casesTable = [{}, {}, { max: 20 }, { max: 24 }, { max: 60 }]

type GlobalOptions = { data?: string; db?: string; now?: string; lang?: string }

const NowOption = z.iso.datetime({ offset: true }).optional()

/** A fixed clock for `--now` (tests, back-dated reports); otherwise the real one. */
function clockFrom(now: string | undefined): () => Date {
  const parsed = NowOption.safeParse(now)
  if (!parsed.success) throw new AppError('invalid_input', `--now must be an ISO date-time, got "${now}"`)
  if (!parsed.data) return () => new Date()
  const fixed = new Date(parsed.data)
  return () => fixed
}

/** Every store this run opened: after the command, new damage found by any of them means exit code 3. */
const openedStores: ServiceContext['store'][] = []
/** Team database connections this run opened: closed after the command, else they keep the process alive. */
const teamStores: ServiceContext['store'][] = []
/** Says the open storage problems on stderr; set by buildProgram (it has the language). */
let tellProblems: (store: ServiceContext['store']) => void = () => undefined

async function openContext(
  options: GlobalOptions,
  isReadOnly: boolean,
  isLazy = false,
  isQuiet = false,
): Promise<ServiceContext> {
  const ctx = await openServiceContext(options.data ?? defaultDataDir(), {
    isReadOnly,
    isLazy,
    now: clockFrom(options.now),
    ...(options.db ? { db: options.db } : {}),
  })
  openedStores.push(ctx.store)
  if (options.db) teamStores.push(ctx.store)
  // Damage is never silent: every command says what is open, whatever it was asked to do.
  if (!isQuiet) tellProblems(ctx.store)
  return ctx
}

function problemLines(t: I18n['t'], problems: readonly StorageProblem[]): string {
  return problems
    .map(
      (p) =>
        `${t('storage:cli.problem', { file: p.file, message: p.message })}\n${p.id ? `${t('storage:cli.problemId', { id: p.id })}\n` : ''}`,
    )
    .join('')
}

/** Runs one contract method the way the hosts do: parsed input, typed error. */
async function call<T>(ctx: ServiceContext, method: Parameters<typeof dispatch>[1], input: unknown): Promise<T> {
  const result = await dispatch(ctx, method, input)
  if (!result.ok) throw new AppError(result.error.code, result.error.message, result.error)
  return result.value as T
}

/**
 * Commander writes its own words into the help ("Usage:", "[options]", "(default: …)"): these
 * hooks put them in the chosen language, and measure text by display width so Chinese
 * descriptions wrap and align like the rest.
 */
// A line may break at a space or between two Chinese characters; closing punctuation stays on
// the line it closes and opening punctuation goes with what it opens.
const wrapChunk =
  /\s*[（「『“]*(?:[^\s\p{Script=Han}\u3000-\u303f\uff00-\uffef]+|[\p{Script=Han}\u3000-\u303f\uff00-\uffef])[，。、；：！？）」』”]*/gu

function wrapByDisplayWidth(text: string, width: number): string {
  if (width < 40) return text
  return text
    .split(/\r?\n/)
    .flatMap((line) => {
      const lines: string[] = []
      let current = ''
      for (const chunk of line.match(wrapChunk) ?? []) {
        if (current !== '' && displayWidth(current + chunk) > width) {
          lines.push(current)
          current = chunk.trimStart()
        } else current += chunk
      }
      return [...lines, current]
    })
    .join('\n')
}

function translatedHelp(t: I18n['t']): Partial<Help> {
  const base = new Help()
  const title = (heading: string) =>
    t(`cli:help.${heading.replace(':', '').replace(/\s+/g, '').toLowerCase()}`, { defaultValue: heading })
  const placeholders = (text: string) =>
    text
      .replace(/\[options\]/g, t('cli:help.optionsPlaceholder'))
      .replace(/\[command\]/g, t('cli:help.commandPlaceholder'))
  return {
    displayWidth: (text: string) => displayWidth(stripVTControlCharacters(text)),
    styleTitle: title,
    commandUsage: (cmd) => placeholders(base.commandUsage(cmd)),
    subcommandTerm: (cmd) => placeholders(base.subcommandTerm(cmd)),
    optionDescription: (option) => {
      const extra: string[] = []
      if (option.defaultValue !== undefined && (option.required || option.optional)) {
        const value = option.defaultValueDescription ?? JSON.stringify(option.defaultValue)
        extra.push(t('cli:help.default', { value }))
      }
      if (option.envVar !== undefined) extra.push(t('cli:help.env', { name: option.envVar }))
      return extra.length > 0
        ? t('cli:help.extra', { text: option.description, extra: extra.join(t('cli:help.extraSeparator')) })
        : option.description
    },
    boxWrap: (text: string, width: number) => wrapByDisplayWidth(text, width),
    formatHelp: (cmd, helper) =>
      // A title ending in a full-width colon needs no space before what follows it.
      base.formatHelp.call(helper, cmd, helper).replace(/^(.*：) /, '$1'),
  }
}

export async function buildProgram(t: I18n['t'], locale: Locale = 'en'): Promise<Command> {
  const program = new Command('makegood')
    .description(t('cli:description'))
    .addOption(new Option('--data <dir>', t('cli:option.data')).env('MAKEGOOD_DATA'))
    .addOption(new Option('--db <url>', t('cli:option.db')).env('MAKEGOOD_DB'))
    .option('--now <iso>', t('cli:option.now'))
    .option('--lang <locale>', t('cli:option.lang'))
    .helpOption('-h, --help', t('cli:option.help'))
    .helpCommand('help [command]', t('cli:option.help'))
    .configureHelp(translatedHelp(t))
    .showHelpAfterError()
  tellProblems = (store) => process.stderr.write(problemLines(t, store.problems))

  program
    .command('serve')
    .description(t('cli:serve.description'))
    .option('--port <n>', t('cli:serve.port'), (v) => z.coerce.number().int().min(0).max(65535).parse(v))
    .action(async (options: { port?: number }) => {
      const global = program.opts<GlobalOptions>()
      // The newest months first: the Today view is served while older history loads.
      const opened = await openContext(global, false, true)
      // The server outlives this action: its team connection is closed when it stops, not after the command.
      const kept = teamStores.indexOf(opened.store)
      if (kept >= 0) teamStores.splice(kept, 1)
      // On the team database this desk's own files (log, backups) stay in the local data folder.
      const filesDir = global.db ? (global.data ?? defaultDataDir()) : opened.store.dir
      // Failures of the timers below go to the data folder's log too, not only to this terminal.
      logger.setSinks([stderrSink, fileSink(filesDir)])
      // The same jobs as the desktop app; notices go to the log, and the page lists alerts itself.
      // On the team database they run once per team (see store/teamJobs.ts). Settings → Team
      // database may switch the store while serving; nothing of it is remembered after a stop.
      const desk = new Desk(
        {
          folder: filesDir,
          openFolder: async () =>
            (await openServiceContext(filesDir, { isReadOnly: false, isLazy: true, now: opened.now })).store,
          now: opened.now,
          systemLanguage: locale,
          announce: (notices) => notices.forEach((n) => logger.info('notice', `${n.title}: ${n.body}`)),
          connectMemory: 'browser',
        },
        opened.store,
        global.db ? { url: global.db, memory: 'environment' } : null,
      )
      const ctx = desk.ctx
      // Patterns may have formed while nothing was running: sweep once before the first page.
      const toldAlready = ctx.store.newProblems.length
      // Older months load after start: damage found there is said too.
      void ctx.store.whenFullyLoaded().then(
        () => process.stderr.write(problemLines(t, ctx.store.newProblems.slice(toldAlready))),
        () => undefined, // A failed load is logged by the store and answered to every later call.
      )
      await sweepEscalations(ctx)
      // The timers start before the first page: the day's backup is of the folder as found.
      void desk.start()
      const host = await startHttpHost(desk, { port: options.port ?? 0, rendererDir: rendererDir() })
      process.stdout.write(`${t('cli:serve.listening', { url: host.url })}\n`)
      const stop = async () => {
        await host.close()
        await desk.close()
        process.exit(0)
      }
      const stopOrSay = () =>
        void stop().catch((error: unknown) => {
          logger.error('serve.stop_failed', error)
          process.exit(1)
        })
      process.once('SIGINT', stopOrSay)
      process.once('SIGTERM', stopOrSay)
    })

  program
    .command('demo')
    .description(t('cli:demo.description'))
    .action(async () => {
      await withContext(openContext(program.opts<GlobalOptions>(), false), async (ctx) => {
        const loaded = await call<{ customers: number; cases: number }>(ctx, 'demo:load', {})
        process.stdout.write(`${t('cli:demo.loaded', { ...loaded, dir: ctx.store.dir })}\n`)
      })
    })

  addTeamCommands(program, t)

  const cases = program.command('cases').description(t('cli:cases.description'))
  cases
    .command('list')
    .description(t('cli:cases.list'))
    .option('--json', t('cli:option.json'))
    .option('--status <status>', t('cli:cases.status'))
    .option('--silent', t('conversation:cli.silentOption'))
    .action(async (options: { json?: boolean; status?: string; silent?: boolean }) => {
      const ctx = await openContext(program.opts<GlobalOptions>(), true)
      if (options.silent) {
        await printSilentCases(ctx, t, call, { isJson: options.json === true, status: options.status })
        return
      }
      const list = await call<
        { number: string; status: string; customerName: string; summary: string; receivedAt: string }[]
      >(ctx, 'cases:list', options.status ? { status: options.status } : {})
      if (options.json) {
        process.stdout.write(`${JSON.stringify(list, null, 2)}\n`)
        return
      }
      if (list.length === 0) process.stdout.write(`${t('cli:cases.none')}\n`)
      const rows = list.map((c) => [
        c.number,
        c.receivedAt.slice(0, 10),
        t(`cases:status.${c.status}`),
        c.customerName,
        c.summary,
      ])
      for (const row of renderTable(rows, casesTable)) process.stdout.write(`${row}\n`)
    })
  addCaseCommands(cases, t, {
    open: (isReadOnly) => openContext(program.opts<GlobalOptions>(), isReadOnly),
    call,
    locale,
  })
  addTrashCommands(program, cases, t, {
    open: (isReadOnly) => openContext(program.opts<GlobalOptions>(), isReadOnly),
    call,
  })
  const icebergDeps = { open: (isReadOnly: boolean) => openContext(program.opts<GlobalOptions>(), isReadOnly), call }
  addIcebergCommands(program, t, icebergDeps, locale)

  program
    .command('export')
    .description(t('storage:cli.export.description'))
    .requiredOption('--out <file>', t('storage:cli.export.out'))
    .action(async (options: { out: string }) => {
      // Read-only: an export works beside a running app.
      await withContext(openContext(program.opts<GlobalOptions>(), true), async (ctx) => {
        const records = await exportToFile(ctx, options.out)
        process.stdout.write(`${t('storage:cli.export.done', { count: records, file: options.out })}\n`)
      })
    })

  program
    .command('import')
    .description(t('storage:cli.import.description'))
    .argument('<what>', t('storage:cli.import.what'))
    .argument('[file]', t('storage:cli.import.file'))
    .option('--map <file>', t('storage:cli.import.map'))
    .option('--dry-run', t('storage:cli.import.dryRun'))
    .option('--skip-invalid', t('storage:cli.import.skipInvalid'))
    .option('--json', t('imports:cli.json'))
    .option('--no-detect', t('iceberg:cli.import.noDetect'))
    .action(async (what: string, file: string | undefined, options: ImportOptions & { detect: boolean }) => {
      if (what === 'complaints') await importCsvCommand(t, program.opts<GlobalOptions>(), file, options)
      else if (what === 'activity') {
        if (!file) throw new AppError('invalid_input', t('iceberg:cli.import.needsMap'))
        await importActivityCommand(t, icebergDeps, file, options)
      } else await importJsonCommand(t, program.opts<GlobalOptions>(), what)
    })
  const storage = program.command('storage').description(t('storage:cli.storage.description'))
  storage
    .command('status')
    .description(t('storage:cli.storage.status'))
    .option('--json', t('cli:option.json'))
    .action(async (options: { json?: boolean }) => {
      // Read-only, so it works beside a running app; its answer goes to stdout, not stderr.
      await withContext(openContext(program.opts<GlobalOptions>(), true, false, true), async (ctx) => {
        const problems = [...ctx.store.problems]
        // The JSON shape is documented in SECURITY.md ("Damage is never silent").
        if (options.json) process.stdout.write(`${JSON.stringify({ dataDir: ctx.store.dir, problems }, null, 2)}\n`)
        else if (problems.length === 0) process.stdout.write(`${t('storage:cli.storage.none')}\n`)
        else process.stdout.write(problemLines(t, problems))
      })
    })
  storage
    .command('dismiss')
    .description(t('storage:cli.storage.dismiss'))
    .argument('<id>', t('storage:cli.storage.id'))
    .action(async (id: string) => {
      await withContext(openContext(program.opts<GlobalOptions>(), false, false, true), async (ctx) => {
        await call(ctx, 'storage:dismissProblem', { id })
        process.stdout.write(`${t('storage:cli.storage.dismissed', { id })}\n`)
        process.stderr.write(problemLines(t, ctx.store.problems))
      })
    })
  addPromisesCommand(program, t, (isReadOnly) => openContext(program.opts<GlobalOptions>(), isReadOnly), call)
  addEscalationCommands(program, t, {
    openContext: (isReadOnly) => openContext(program.opts<GlobalOptions>(), isReadOnly),
    call,
  })
  reportCommand(program, t, locale, (isReadOnly) => openContext(program.opts<GlobalOptions>(), isReadOnly))
  return program
}

type ImportOptions = { map?: string; dryRun?: boolean; skipInvalid?: boolean; json?: boolean }

/** `team init` and `team move-in`: they take the team database from the global --db. */
function addTeamCommands(program: Command, t: I18n['t']): void {
  const needDb = (): string => {
    const db = program.opts<GlobalOptions>().db
    if (!db) throw new AppError('invalid_input', t('cli:team.needDb'))
    return db
  }
  const team = program.command('team').description(t('cli:team.description'))
  team
    .command('init')
    .description(t('cli:team.init'))
    .requiredOption('--owner <name>', t('cli:team.owner'))
    .action(async (options: { owner: string }) => {
      const done = await initTeamDatabase(needDb(), options.owner)
      process.stdout.write(`${t('cli:team.initDone', done)}\n`)
    })
  team
    .command('move-in')
    .description(t('cli:team.moveIn'))
    .requiredOption('--from <dir>', t('cli:team.from'))
    .action(async (options: { from: string }) => {
      const db = needDb()
      const count = await moveFolderIntoTeam(options.from, db)
      process.stdout.write(`${t('cli:team.movedIn', { count, dir: options.from, url: teamDatabaseName(db) })}\n`)
    })
  addTeamPeopleCommands(team, t, needDb)
}

async function importJsonCommand(t: I18n['t'], global: GlobalOptions, file: string): Promise<void> {
  await withContext(openContext(global, false), async (ctx) => {
    const records = await importIntoEmpty(ctx, file)
    process.stdout.write(`${t('storage:cli.import.done', { count: records, dir: ctx.store.dir })}\n`)
  })
}

/** A progress bar on stderr when it is a terminal; nothing when output is piped. */
function progressBar(): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined
  return (done, total) => {
    const width = 30
    const filled = Math.round((done / Math.max(total, 1)) * width)
    process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`)
    if (done >= total) process.stderr.write('\n')
  }
}

async function importCsvCommand(
  t: I18n['t'],
  global: GlobalOptions,
  file: string | undefined,
  options: ImportOptions,
): Promise<void> {
  if (!file || !options.map) {
    throw new AppError('invalid_input', t('storage:cli.import.needsFileAndMap'))
  }
  let mappingRaw: unknown
  try {
    mappingRaw = JSON.parse(await readFile(options.map, 'utf8'))
  } catch (error) {
    throw new AppError('invalid_input', `${options.map}: ${(error as Error).message}`)
  }
  const mapping = parseUnknown(CsvMapping, mappingRaw)
  const text = await readFile(file, 'utf8')
  await withContext(openContext(global, options.dryRun ?? false), async (ctx) => {
    const { preview: _preview, ...result } = await importComplaintsCsv(ctx, text, mapping, {
      isDryRun: options.dryRun ?? false,
      isSkipInvalid: options.skipInvalid ?? false,
      onProgress: options.json ? undefined : progressBar(),
    }).catch((error: unknown) => {
      // The service speaks English; the CLI answers in its own language where it knows the reason.
      if (error instanceof AppError && error.reason === 'import.missing_column') {
        throw new AppError('invalid_input', t(`errors.${error.reason}`, error.params ?? {}), { reason: error.reason })
      }
      throw error
    })
    if (options.json) process.stdout.write(`${JSON.stringify(result)}\n`)
    else {
      for (const e of result.errors) {
        const reason = rowErrorText(t, e)
        process.stderr.write(`${t('storage:cli.import.rowError', { row: e.row, column: e.column, reason })}\n`)
      }
      process.stdout.write(`${t('storage:cli.import.summary', result)}\n`)
    }
    if (result.errors.length > 0 && !options.skipInvalid) {
      throw new AppError('invalid_input', t('storage:cli.import.nothingWritten', { count: result.invalid }))
    }
    if (result.isDryRun && !options.json) process.stdout.write(`${t('storage:cli.import.dryRunDone')}\n`)
  })
}

/** 2: the arguments were wrong; 4: the signed-in person's role may not do this; 1: anything else. */
function exitCodeOf(error: unknown): number {
  const code = error instanceof AppError || isApiError(error) ? error.code : undefined
  return code === 'invalid_input' ? 2 : code === 'forbidden' ? 4 : 1
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
  openedStores.length = 0
  try {
    await program.parseAsync(argv)
  } catch (error) {
    const message = isApiError(error) || error instanceof Error ? error.message : String(error)
    // A team command asked for JSON fails in JSON too: one object on stderr, its code machine-readable.
    if (argv.includes('team') && argv.includes('--json')) {
      process.stderr.write(`${JSON.stringify({ error: toApiError(error) })}\n`)
    } else process.stderr.write(`${i18n.t('cli:error', { message })}\n`)
    process.exitCode = exitCodeOf(error)
  }
  // Closing twice is harmless: a command that closed its store already is not affected.
  await Promise.all(teamStores.splice(0).map((store) => store.close()))
  // The command did its work; that it also found damage nobody knew of yet is its own exit code.
  if (!process.exitCode && openedStores.some((store) => store.newProblems.length > 0)) {
    process.stderr.write(`${i18n.t('storage:cli.newDamage')}\n`)
    process.exitCode = 3
  }
}

if (require.main === module) {
  // `makegood cases list | head` closes the pipe early: that is not an error.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0)
  })
  void main(process.argv)
}
