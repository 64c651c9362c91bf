import { logger } from '../log/logger'
import { backUpIfDue } from '../services/storage/backups'
import { warmForFirstUse } from '../services/warmUp'
import { warmOldSignals } from '../services/iceberg/oldSignals'
import { warmOldPromises } from '../services/promises/oldPromises'
import { type ServiceContext } from '../services/context'
import {
  sweepChangesElsewhere,
  sweepElsewhereEveryMs,
  sweepEscalations,
  warmSweep,
} from '../services/escalations/escalations'
import { recountAllGuarantees } from '../services/promises/guaranteeFollow'
import { autoExportIfDue } from '../services/reports/reports'
import { purgeTrash } from '../services/trash/trash'
import { type StoreEngine } from '../store/postgres/engine'
import { isJobsDesk, isShared } from '../store/teamJobs'
import { alertNotice, damageNotice, escalationNotices, monthlyExportNotice, promiseReminders } from '../backend/notices'
import { type Notice } from '../backend/protocol'
import { Alerts } from './alerts'

const minuteMs = 60_000

/**
 * How the jobs are repeated. The real one is `setInterval` (never keeping the process alive);
 * tests pass one they advance by hand, together with the context's clock.
 */
export type Scheduler = { every(ms: number, job: () => Promise<void>): () => void }

export const intervalScheduler: Scheduler = {
  every(ms, job) {
    const timer = setInterval(() => void job(), ms)
    timer.unref()
    return () => clearInterval(timer)
  },
}

/** How often each job runs once the data folder has loaded (each also runs once at start). */
export const jobEvery = {
  reminders: minuteMs,
  sweep: 15 * minuteMs,
  backup: 60 * minuteMs,
  monthlyExport: 60 * minuteMs,
  trashPurge: 60 * minuteMs,
} as const

export type Runtime = {
  ctx: ServiceContext
  /** Runs the start-up round once the data folder has loaded, then repeats each job; never rejects. */
  start(): Promise<void>
  stop(): void
  /** Resolves once no job is running any more (after `stop`: the store may then be closed). */
  whenIdle(): Promise<void>
}

/**
 * The work that happens without anyone asking, the same in the desktop backend and in `serve`:
 * promise reminders (every minute), the escalation sweep (every 15 minutes, since time alone
 * moves windows and quiet periods on), the daily backup and the monthly export (checked hourly).
 * No failure here is silent: each is logged, and one a person must act on (backup, export,
 * damage found) is also announced and listed by `alerts:list`.
 */
export function createRuntime(options: {
  store: StoreEngine
  now: () => Date
  systemLanguage: string
  /** Shows notices: desktop notifications, or the log in `serve` (whose page lists alerts itself). */
  announce: (notices: Notice[]) => void
  scheduler?: Scheduler
  /** On the team database: the local folder for backups (see ServiceContext.filesDir). */
  filesDir?: string
  /** The desk the runtime runs in (Settings → Team database switches it). */
  desk?: ServiceContext['desk']
}): Runtime {
  const { store, systemLanguage, announce } = options
  const scheduler = options.scheduler ?? intervalScheduler
  const alerts = new Alerts()
  const ctx: ServiceContext = {
    store,
    now: options.now,
    alerts,
    ...(options.filesDir ? { filesDir: options.filesDir } : {}),
    ...(options.desk ? { desk: options.desk } : {}),
    onSweep: (changes) =>
      void escalationNotices(ctx, changes, systemLanguage).then(announce, (error: unknown) =>
        logger.error('notice.failed', error),
      ),
  }
  let isStopped = false
  const stops: (() => void)[] = []
  const active = new Set<Promise<void>>()

  /**
   * One run at a time per job: a slow backup is not started again by the next tick. A team job
   * runs only at the team's jobs desk (see store/teamJobs): four desks, each job once.
   */
  const job = (event: string, run: () => Promise<void>, isTeamJob = false) => {
    let isRunning = false
    const once = async () => {
      if (isRunning || isStopped) return
      isRunning = true
      try {
        if (isTeamJob && !(await isJobsDesk(store))) return
        await run()
      } catch (error) {
        logger.error(event, error)
      } finally {
        isRunning = false
      }
    }
    return () => {
      const running = once()
      active.add(running)
      return running.finally(() => active.delete(running))
    }
  }

  const raise = async (kind: 'backup_failed' | 'export_failed', error: unknown) => {
    const message = error instanceof Error ? error.message : String(error)
    logger.error(kind === 'backup_failed' ? 'backup.failed' : 'export.failed', message)
    if (alerts.raise(kind, message, ctx.now())) announce([await alertNotice(ctx, systemLanguage, { kind, message })])
  }

  const reminders = promiseReminders(ctx, systemLanguage)
  const jobs = {
    reminders: job('reminders.failed', async () => announce(await reminders()), true),
    sweep: job('sweep.failed', async () => void (await sweepEscalations(ctx)), true),
    // Deleted items are kept thirty days; past that they go for good.
    trashPurge: job(
      'trash.purge_failed',
      async () => {
        const { purged } = await purgeTrash(ctx)
        if (purged > 0) logger.info('trash.purged', String(purged))
      },
      true,
    ),
    backup: job(
      'backup.failed',
      async () => {
        try {
          const made = await backUpIfDue(ctx)
          if (made) logger.info('backup.written', made.name)
          if (made || !store.settings.storage.isDailyBackupOn) alerts.clear('backup_failed')
        } catch (error) {
          await raise('backup_failed', error)
        }
      },
      true,
    ),
    monthlyExport: job(
      'export.failed',
      async () => {
        try {
          const result = await autoExportIfDue(ctx)
          if (result || !store.settings.reports.autoExport.isEnabled) alerts.clear('export_failed')
          if (!result) return
          logger.info('export.written', result.paths.join(', '))
          announce([await monthlyExportNotice(ctx, result)])
        } catch (error) {
          await raise('export_failed', error)
        }
      },
      true,
    ),
  }

  const sweepElsewhere = job('sweep.elsewhere_failed', async () => void (await sweepChangesElsewhere(ctx)))

  async function start(): Promise<void> {
    await store.whenFullyLoaded().catch((error: unknown) => logger.error('store.load_failed', error))
    if (isStopped) return
    for (const name of Object.keys(jobs) as (keyof typeof jobs)[]) {
      stops.push(scheduler.every(jobEvery[name], jobs[name]))
    }
    // Each desk for itself, not a team job: the patterns its own copy of the data now holds.
    if (isShared(store)) stops.push(scheduler.every(sweepElsewhereEveryMs, sweepElsewhere))
    // The old months' promises first: Today and the reminders count their open ones.
    await job('promises.warm_failed', async () => warmOldPromises(store))()
    await job('signals.warm_failed', async () => warmOldSignals(store))()
    await job('warm_up.failed', async () => warmForFirstUse(ctx))()
    await job('notice.failed', async () => {
      const problems = store.problems
      for (const p of problems) logger.warn('storage.damage', `${p.file}: ${p.message}`)
      if (problems.length > 0) announce([await damageNotice(ctx, systemLanguage, problems)])
    })()
    // The daily copy first, of the data as found, before this run changes anything; then the
    // sweep, so reminders and the export see its escalations.
    await jobs.backup()
    await jobs.trashPurge()
    // Guarantee promises written before they followed the recovery steps are recounted once.
    await job('guarantees.recount_failed', async () => void (await recountAllGuarantees(ctx)), true)()
    await jobs.sweep()
    await jobs.reminders()
    await jobs.monthlyExport()
    // A team desk that is not the jobs desk has not swept: without this, the person's first save
    // there would wait for the sweep index to be built over the whole history.
    await job('sweep.warm_failed', async () => warmSweep(ctx))()
  }

  return {
    ctx,
    start,
    stop: () => {
      isStopped = true
      for (const stop of stops.splice(0)) stop()
    },
    whenIdle: async () => {
      while (active.size > 0) await Promise.allSettled([...active])
    },
  }
}
