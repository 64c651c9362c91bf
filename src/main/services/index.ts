import { myWork, readyToClose, teamWork } from './cases/work'
import { type Method, type MethodOutput, contract } from '../../shared/api'
import { type z } from 'zod'
import { type Result, parseUnknown, toApiError } from '../../shared/core/errors'
import {
  closeCaseService,
  completeCaseStep,
  createCase,
  getCase,
  listCases,
  pageCases,
  todayCases,
  reopenCaseService,
  skipCaseStep,
  updateCase,
  assignCase,
  reopenCaseStep,
  undoCaseClose,
} from './cases/cases'
import { type ServiceContext, sessionOf } from './context'
import {
  acknowledge,
  acknowledgeMany,
  departments,
  dismiss,
  escalationCounts,
  listEscalations,
  planAction,
  resolve,
  sweepAfterChange,
  sweepEscalations,
} from './escalations/escalations'
import {
  createCustomer,
  customerNames,
  getCustomer,
  listCustomers,
  pageCustomers,
  updateCustomer,
} from './customers/customers'
import { loadDemo } from './demo/demo'
import { importActivities } from './iceberg/activity'
import { listGrumbles, logGrumble, pageGrumbles, promoteGrumble } from './iceberg/grumbles'
import { getIceberg } from './iceberg/iceberg'
import { getLoyalty, setAdvocate } from './iceberg/loyalty'
import {
  closeSignalService,
  detectSignals,
  getSignal,
  listSignals,
  pageSignals,
  planWinBack,
  raiseSignal,
} from './iceberg/signals'
import { createBackup, listBackups, previewBackup, restoreBackup } from './storage/backups'
import { importComplaintsCsv } from './imports/importCsv'
import { exportReport, getReport } from './reports/reports'
import { getSettings, updateSettings } from './settings/settings'
import { searchEverywhere } from './search/search'
import { holidayCountries, resolveDueService } from './promises/calendar'
import {
  breakPromiseService,
  cancelPromiseService,
  createPromise,
  keepPromiseService,
  undoPromiseCloseService,
  listPromises,
  pagePromises,
  promiseMetricsService,
  renegotiatePromiseService,
  todayPromises,
} from './promises/promises'
import { logContact, pageSilentCases, silentCases } from './contacts/contacts'
import { checkReply, replyLetter, sendReply } from './contacts/replies'
import { getRubric, rubricAveragesService, scoreRubric } from './rubrics/rubrics'
import { addAttachment, attachmentContent, listAttachments, openAttachment } from './attachments/attachments'
import { version } from '../../../package.json'
import { logger } from '../log/logger'
import { deleteCase, deleteGrumble, deletePromise, listTrash, restoreFromTrash } from './trash/trash'
import { mergeCustomers } from './customers/mergeCustomers'
import { customerMatches } from './customers/customers'
import { undoLogGrumble, updateGrumble } from './iceberg/grumbleEdits'
import { liveViewing, liveWait } from './live/live'
import { listFailures, logFailure, recordCompensation, setCaseCosts } from './costs/costs'
import {
  connectTeamDatabase,
  disconnectTeamDatabase,
  teamDatabaseStatus,
  testTeamDatabaseService,
} from './teamDatabase/teamDatabase'

type Handlers = {
  [M in Method]: (ctx: ServiceContext, input: z.output<(typeof contract)[M]['input']>) => Promise<MethodOutput<M>>
}

/** One service function per contract method: adding a method is one line here. */
export const handlers: Handlers = {
  'app:info': async (ctx) => ({
    version,
    dataDir: ctx.store.dir,
    isEmpty: ctx.store.count('cases') === 0 && ctx.store.count('customers') === 0,
    isReadOnly: ctx.store.isReadOnly,
    now: ctx.now().toISOString(),
  }),
  'settings:get': getSettings,
  'session:get': async (ctx) => sessionOf(ctx),
  'settings:update': updateSettings,
  'failures:log': logFailure,
  'failures:list': listFailures,
  'cases:set-costs': setCaseCosts,
  'promises:compensation': recordCompensation,
  'customers:list': listCustomers,
  'customers:page': async (ctx, input) => pageCustomers(ctx, input),
  'customers:names': customerNames,
  'customers:get': getCustomer,
  'customers:create': createCustomer,
  'customers:update': updateCustomer,
  'cases:list': async (ctx, input) => listCases(ctx, input),
  'cases:page': async (ctx, input) => pageCases(ctx, input),
  'cases:get': getCase,
  'cases:create': createCase,
  'cases:update': updateCase,
  'cases:assign': assignCase,
  'cases:completeStep': completeCaseStep,
  'cases:skipStep': skipCaseStep,
  'cases:close': closeCaseService,
  'cases:reopen': reopenCaseService,
  'cases:reopenStep': reopenCaseStep,
  'cases:undoClose': undoCaseClose,
  'today:get': async (ctx) => todayCases(ctx),
  'today:mine': async (ctx) => myWork(ctx),
  'today:team': async (ctx) => teamWork(ctx),
  'today:readyToClose': async (ctx) => readyToClose(ctx),
  'demo:load': loadDemo,
  'grumbles:log': logGrumble,
  'grumbles:list': listGrumbles,
  'grumbles:page': async (ctx, input) => pageGrumbles(ctx, input),
  'grumbles:promote': promoteGrumble,
  'signals:list': listSignals,
  'signals:page': async (ctx, input) => pageSignals(ctx, input),
  'signals:get': getSignal,
  'signals:detect': detectSignals,
  'signals:raise': raiseSignal,
  'signals:planWinBack': planWinBack,
  'signals:close': closeSignalService,
  'activities:import': importActivities,
  'iceberg:get': getIceberg,
  'loyalty:get': getLoyalty,
  'loyalty:setAdvocate': setAdvocate,
  'storage:status': async (ctx) => ({
    // Read from quarantine/ on every call: damage another process found shows here too.
    problems: [...(await ctx.store.refreshProblems())],
    isFullyLoaded: ctx.store.isFullyLoaded,
    latestBackup: (await listBackups(ctx))[0] ?? null,
  }),
  'alerts:list': async (ctx) => ctx.alerts?.list() ?? [],
  'storage:dismissProblem': async (ctx, input) => {
    await ctx.store.dismissProblem(input.id)
    return { problems: [...ctx.store.problems] }
  },
  'backups:list': listBackups,
  'backups:create': (ctx) => createBackup(ctx, 'manual'),
  'backups:preview': previewBackup,
  'backups:restore': restoreBackup,
  'imports:complaints': async (ctx, input) => {
    const { preview: _preview, ...report } = await importComplaintsCsv(ctx, input.csv, input.mapping, {
      isDryRun: input.isDryRun,
      isSkipInvalid: input.isSkipInvalid,
    })
    return report
  },
  'promises:list': async (ctx, input) => listPromises(ctx, input),
  'promises:page': async (ctx, input) => pagePromises(ctx, input),
  'promises:create': createPromise,
  'promises:keep': keepPromiseService,
  'promises:undoClose': undoPromiseCloseService,
  'promises:break': breakPromiseService,
  'promises:renegotiate': renegotiatePromiseService,
  'promises:cancel': cancelPromiseService,
  'promises:metrics': promiseMetricsService,
  'promises:today': todayPromises,
  // Loaded on first use, as every file renderer is (see docs/storage-load.md, "Libraries loaded when first used").
  'promises:ics': async (ctx, input) => (await import('./promises/promiseIcs')).promisesIcs(ctx, input),
  'calendar:resolveDue': resolveDueService,
  'calendar:countries': async (_ctx, input) => holidayCountries(input.lang),
  'escalations:list': listEscalations,
  'escalations:counts': async (ctx) => escalationCounts(ctx),
  'escalations:sweep': sweepEscalations,
  'escalations:acknowledge': acknowledge,
  'escalations:acknowledgeMany': acknowledgeMany,
  'escalations:planAction': planAction,
  'escalations:resolve': resolve,
  'escalations:dismiss': dismiss,
  'escalations:departments': departments,
  'reports:get': getReport,
  'reports:export': exportReport,
  'contacts:log': logContact,
  'cases:silent': async (ctx) => silentCases(ctx),
  'cases:silentPage': async (ctx, input) => pageSilentCases(ctx, input),
  'replies:check': checkReply,
  'replies:send': sendReply,
  'replies:letter': replyLetter,
  'rubrics:get': getRubric,
  'rubrics:score': scoreRubric,
  'rubrics:averages': async (ctx) => rubricAveragesService(ctx),
  'attachments:list': listAttachments,
  'attachments:add': addAttachment,
  'attachments:content': attachmentContent,
  'attachments:open': openAttachment,
  'search:everywhere': async (ctx, input) => searchEverywhere(ctx, input),
  'trash:list': listTrash,
  'trash:restore': restoreFromTrash,
  'cases:delete': deleteCase,
  'grumbles:delete': deleteGrumble,
  'promises:delete': deletePromise,
  'grumbles:update': updateGrumble,
  'grumbles:undoLog': undoLogGrumble,
  'customers:match': customerMatches,
  'customers:merge': mergeCustomers,
  'live:wait': liveWait,
  'live:viewing': liveViewing,
  'teamDatabase:status': teamDatabaseStatus,
  'teamDatabase:test': testTeamDatabaseService,
  'teamDatabase:connect': connectTeamDatabase,
  'teamDatabase:disconnect': disconnectTeamDatabase,
}

/**
 * The single door every host goes through: the input is parsed with the contract's schema,
 * and every failure comes back as a typed error, never a throw.
 */
export async function dispatch<M extends Method>(
  ctx: ServiceContext,
  name: M,
  input: unknown,
): Promise<Result<MethodOutput<M>>> {
  try {
    const parsed = parseUnknown(contract[name].input, input ?? {})
    const spec = contract[name]
    if (!ctx.store.isFullyLoaded && !spec.isUsableWhileLoading) await ctx.store.whenFullyLoaded()
    const handler = handlers[name] as (c: ServiceContext, i: unknown) => Promise<MethodOutput<M>>
    const value = await handler(ctx, parsed)
    if (spec.isSweepAfter) {
      // The change is saved whatever happens here; a sweep that fails is caught up by the next
      // one (it gives back what it took from the index). Only the patterns the change can touch.
      await sweepAfterChange(ctx).catch((error: unknown) => logger.warn('sweep.failed', error))
    }
    return { ok: true, value }
  } catch (error) {
    return { ok: false, error: toApiError(error) }
  }
}
