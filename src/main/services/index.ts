import { type Method, type MethodOutput, contract } from '../../shared/api'
import { type z } from 'zod'
import { type Result, parseUnknown, toApiError } from '../../shared/errors'
import { nextPendingStep } from '../../shared/recovery'
import {
  closeCaseService,
  completeCaseStep,
  createCase,
  getCase,
  listCases,
  reopenCaseService,
  skipCaseStep,
  summarize,
  updateCase,
} from './cases'
import { type ServiceContext } from './context'
import { createCustomer, getCustomer, listCustomers, updateCustomer } from './customers'
import { loadDemo } from './demo'
import { exportReport, getReport } from './reports'
import { getSettings, updateSettings } from './settings'
import { version } from '../../../package.json'

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
  'settings:update': updateSettings,
  'customers:list': listCustomers,
  'customers:get': getCustomer,
  'customers:create': createCustomer,
  'customers:update': updateCustomer,
  'cases:list': async (ctx, input) => listCases(ctx, input),
  'cases:get': getCase,
  'cases:create': createCase,
  'cases:update': updateCase,
  'cases:completeStep': completeCaseStep,
  'cases:skipStep': skipCaseStep,
  'cases:close': closeCaseService,
  'cases:reopen': reopenCaseService,
  'today:get': async (ctx) => ({
    cases: [...ctx.store.all('cases')]
      .filter((c) => c.status !== 'closed' && nextPendingStep(c) !== undefined)
      .map((c) => summarize(ctx, c))
      .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt)),
  }),
  'demo:load': loadDemo,
  'reports:get': getReport,
  'reports:export': exportReport,
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
    const handler = handlers[name] as (c: ServiceContext, i: unknown) => Promise<MethodOutput<M>>
    return { ok: true, value: await handler(ctx, parsed) }
  } catch (error) {
    return { ok: false, error: toApiError(error) }
  }
}
