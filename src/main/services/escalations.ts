import { type DepartmentFailures, type EscalationView, type Method } from '../../shared/api'
import { AppError } from '../../shared/errors'
import {
  type Escalation,
  type EscalationGrumble,
  type EscalationPromise,
  type EscalationSignal,
  type EscalationStatus,
  type PatternInput,
  type PlanInput,
  type SweepChange,
  acknowledgeEscalation,
  compareEscalations,
  departmentFailures,
  detectPatterns,
  dismissEscalation,
  isOpenEscalation,
  planEscalationAction,
  resolveEscalation,
  resolveRefusal,
  sweep,
} from '../../shared/escalation'
import { type Change } from '../store/store'
import { type ServiceContext, actorOf } from './context'

// ---------------------------------------------------------------------------------------------
// Integration points. Grumbles and silent-churn signals (issue 6), promises and service
// guarantees (issue 5) are built in other branches; the integrator maps their records here onto
// the rules' minimal input types. Until then the rules see cases only.
// ---------------------------------------------------------------------------------------------

/** Iceberg grumbles as the rules see them. */
export function escalationGrumbles(_ctx: ServiceContext): EscalationGrumble[] {
  return []
}

/** Ledger promises as the rules see them. */
export function escalationPromises(_ctx: ServiceContext): EscalationPromise[] {
  return []
}

/** Silent-churn signals as the rules see them. */
export function escalationSignals(_ctx: ServiceContext): EscalationSignal[] {
  return []
}

/** Case id → when its resolution guarantee runs out (rule 5), from the promise feature's guarantees. */
export function resolutionDueDates(_ctx: ServiceContext): Record<string, string> {
  return {}
}

/**
 * Records an escalation's action plan as a promise in the ledger ("what will change, owner, due
 * date — recorded as a promise"). The promise feature (issue 5) is not on this branch: this
 * returns no promise, and the plan lives on the escalation alone. The integrator builds the
 * promise record here and returns its id and the change that commits it; `planAction` commits
 * that change together with the escalation, so both are written or neither.
 */
export function planActionPromise(
  _ctx: ServiceContext,
  _escalation: Escalation,
  _plan: PlanInput,
): { promiseId?: string; changes: Change[] } {
  return { changes: [] }
}

/** Everything the rules look at, read from the store. */
export function patternInputOf(ctx: ServiceContext): PatternInput {
  return {
    cases: [...ctx.store.all('cases')],
    grumbles: escalationGrumbles(ctx),
    promises: escalationPromises(ctx),
    signals: escalationSignals(ctx),
    settings: ctx.store.settings.escalation,
    resolutionDueAt: resolutionDueDates(ctx),
  }
}

/**
 * Methods after which the patterns may have changed: dispatch sweeps after each of them. The
 * integrator adds the grumble, signal and promise methods here.
 */
const methodsThatMatter: ReadonlySet<Method> = new Set<Method>([
  'cases:create',
  'cases:update',
  'cases:completeStep',
  'cases:skipStep',
  'cases:close',
  'cases:reopen',
  'settings:update',
  'demo:load',
])

export function mattersToPatterns(method: Method): boolean {
  return methodsThatMatter.has(method)
}

/** Runs the rules now and commits what changed, in one write. A read-only store is left alone. */
export async function sweepEscalations(ctx: ServiceContext): Promise<SweepChange[]> {
  if (ctx.store.isReadOnly) return []
  const changes = sweep(patternInputOf(ctx), [...ctx.store.all('escalations')], ctx.now())
  if (changes.length === 0) return []
  await ctx.store.commit(changes.map((c) => ({ collection: 'escalations' as const, value: c.escalation })))
  ctx.onSweep?.(changes)
  return changes
}

function requireEscalation(ctx: ServiceContext, id: string): Escalation {
  const found = ctx.store.get('escalations', id)
  if (!found) throw new AppError('not_found', `No escalation ${id}`, { reason: 'escalation.not_found' })
  return found
}

function activeKeys(ctx: ServiceContext): Set<string> {
  return new Set(detectPatterns(patternInputOf(ctx), ctx.now()).map((d) => d.patternKey))
}

function toView(ctx: ServiceContext, e: Escalation, active: ReadonlySet<string>): EscalationView {
  const customerName = (customerId: string | undefined) =>
    customerId ? ctx.store.get('customers', customerId)?.name : undefined
  const evidence = e.evidence.map((item) => {
    if (item.kind !== 'case') return { ...item, label: item.id }
    const c = ctx.store.get('cases', item.id)
    if (!c) return { ...item, label: item.id }
    const name = customerName(c.customerId)
    return { ...item, label: `${c.number} — ${c.summary}`, ...(name ? { customerName: name } : {}) }
  })
  const refusal = isOpenEscalation(e) ? resolveRefusal(e, active, ctx.store.settings.escalation, ctx.now()) : undefined
  const name = customerName(e.subject.customerId)
  const caseNumber = e.subject.caseId ? ctx.store.get('cases', e.subject.caseId)?.number : undefined
  return {
    ...e,
    evidence,
    ...(name ? { customerName: name } : {}),
    ...(caseNumber ? { caseNumber } : {}),
    ...(refusal ? { resolveBlock: { reason: refusal.reason, params: refusal.params ?? {} } } : {}),
  }
}

export function escalationCounts(ctx: ServiceContext): { unacknowledged: number; open: number } {
  let unacknowledged = 0
  let open = 0
  for (const e of ctx.store.all('escalations')) {
    if (e.status === 'raised') unacknowledged++
    if (isOpenEscalation(e)) open++
  }
  return { unacknowledged, open }
}

/** Open ones first by severity and age, then the closed ones. */
export async function listEscalations(ctx: ServiceContext, input: { status?: EscalationStatus }) {
  const active = activeKeys(ctx)
  const escalations = [...ctx.store.all('escalations')]
    .filter((e) => !input.status || e.status === input.status)
    .sort(compareEscalations)
    .map((e) => toView(ctx, e, active))
  return { escalations, ...escalationCounts(ctx) }
}

async function save(ctx: ServiceContext, value: Escalation, extra: Change[] = []): Promise<Escalation> {
  await ctx.store.commit([...extra, { collection: 'escalations', value }])
  return value
}

export async function acknowledge(ctx: ServiceContext, input: { id: string; manager: string; note: string }) {
  return save(ctx, acknowledgeEscalation(requireEscalation(ctx, input.id), input, actorOf(ctx)))
}

export async function planAction(ctx: ServiceContext, input: { id: string } & PlanInput) {
  const current = requireEscalation(ctx, input.id)
  const actor = actorOf(ctx)
  // Validate the plan first, so a refused plan makes no promise either.
  planEscalationAction(current, input, actor)
  const promise = planActionPromise(ctx, current, input)
  return save(ctx, planEscalationAction(current, input, actor, promise.promiseId), promise.changes)
}

export async function resolve(ctx: ServiceContext, input: { id: string; note: string }) {
  const current = requireEscalation(ctx, input.id)
  const refusal = resolveRefusal(current, activeKeys(ctx), ctx.store.settings.escalation, ctx.now())
  return save(ctx, resolveEscalation(current, input.note, refusal, actorOf(ctx)))
}

export async function dismiss(ctx: ServiceContext, input: { id: string; reason: string }) {
  return save(ctx, dismissEscalation(requireEscalation(ctx, input.id), input.reason, actorOf(ctx)))
}

export async function departments(ctx: ServiceContext, input: { months?: number }): Promise<DepartmentFailures> {
  const pattern = patternInputOf(ctx)
  return departmentFailures({ ...pattern, departments: ctx.store.settings.departments }, ctx.now(), input.months ?? 6)
}
