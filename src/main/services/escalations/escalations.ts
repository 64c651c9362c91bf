import { failureAsGrumble } from '../../../shared/costs/schemas'
import { type DepartmentFailures, type EscalationView } from '../../../shared/api'
import { isCurrent, isReachable, isShared, onlyHere } from '../../store/teamJobs'
import { AppError } from '../../../shared/core/errors'
import {
  type Escalation,
  type EscalationGrumble,
  type EscalationPromise,
  type EscalationSignal,
  type EscalationRule,
  type EscalationSeverity,
  type EscalationStatus,
  type Evidence,
  type PatternInput,
  type PlanInput,
  type SweepChange,
  acknowledgeEscalation,
  compareEscalations,
  departmentFailures,
  detectPatterns,
  forgetFailures,
  grumbleHorizon,
  dismissEscalation,
  isOpenEscalation,
  planEscalationAction,
  resolveEscalation,
  resolveRefusal,
  sweep,
} from '../../../shared/escalations/escalation'
import { type Grumble } from '../../../shared/iceberg/schemas'
import { matchesFilter } from '../../../shared/escalations/grouping'
import {
  escalationGrumbleOf,
  escalationPromiseOf,
  escalationSignalOf,
  isBetterResolution,
  isResolutionPromise,
} from './patternRecords'
import { cancelPromise, makePromise } from '../../../shared/promises/promises'
import { type PromiseFacts, promiseFacts } from '../promises/oldPromises'
import { monthAt, monthStart, shiftMonth } from '../../../shared/core/months'
import { type Change } from '../../store/store'
import { type StoreEngine } from '../../store/postgres/engine'
import { recordToShow, recordsSince } from '../recordsFrom'
import { signalFacts } from '../iceberg/oldSignals'
import { SweepIndex, type Taken } from './sweepIndex'
import { logger } from '../../log/logger'
import { type ServiceContext, actorOf, newId } from '../context'

// ---------------------------------------------------------------------------------------------
// The other features' records, mapped onto the rules' minimal input types.
// ---------------------------------------------------------------------------------------------

/**
 * Grumbles with a category can form a pattern; one promoted to a case counts through its case.
 * A failure logged without a customer counts the same way (no customer waits on it).
 */
export function escalationGrumbles(ctx: ServiceContext, heardSince = ''): EscalationGrumble[] {
  const result: EscalationGrumble[] = []
  for (const g of recordsSince(ctx.store, 'grumbles', heardSince)) {
    if (!g.category || g.heardAt < heardSince) continue
    result.push(escalationGrumbleOf(g as Grumble & { category: string }))
  }
  for (const f of ctx.store.all('failures')) {
    if (f.at < heardSince) continue
    result.push(escalationGrumbleOf(failureAsGrumble(f)))
  }
  return result
}

/**
 * Ledger promises as the rules see them. An open promise past its due time counts as broken from
 * that moment (docs/domain.md).
 */
export function escalationPromises(ctx: ServiceContext): EscalationPromise[] {
  const now = ctx.now().getTime()
  const result: EscalationPromise[] = []
  for (const p of promiseFacts(ctx.store)) {
    const seen = escalationPromiseOf(p, now)
    if (seen) result.push(seen)
  }
  return result
}

/** Silent-churn signals that were not dismissed as a false alarm. */
export function escalationSignals(ctx: ServiceContext): EscalationSignal[] {
  const result: EscalationSignal[] = []
  for (const s of signalFacts(ctx.store)) {
    const seen = escalationSignalOf(s)
    if (seen) result.push(seen)
  }
  return result
}

/** Case id → when its resolution guarantee runs out (rule 5): the open "resolution" guarantee promise. */
export function resolutionDueDates(ctx: ServiceContext): Record<string, string> {
  const best = new Map<string, PromiseFacts>()
  for (const p of promiseFacts(ctx.store)) {
    if (!isResolutionPromise(p) || p.status === 'cancelled') continue
    if (isBetterResolution(p, best.get(p.caseId))) best.set(p.caseId, p)
  }
  const due: Record<string, string> = Object.create(null)
  for (const [caseId, p] of best) due[caseId] = p.dueAt
  return due
}

/**
 * Records an escalation's action plan as a promise in the ledger, made by its owner to management
 * (no customer), so it is tracked, falls due and can be broken like any other. A new plan cancels
 * the open promise of the previous one. `planAction` commits these changes together with the
 * escalation, so both are written or neither.
 */
export function planActionPromise(
  ctx: ServiceContext,
  escalation: Escalation,
  plan: PlanInput,
): { promiseId?: string; changes: Change[] } {
  const actor = actorOf(ctx)
  const changes: Change[] = []
  const previous = escalation.action?.promiseId ? ctx.store.peek('promises', escalation.action.promiseId) : undefined
  if (previous?.status === 'open') {
    changes.push({ collection: 'promises', value: cancelPromise(previous, actor, 'Replaced by a new action plan') })
  }
  const promise = makePromise(
    {
      id: newId(),
      what: plan.what,
      ...(escalation.subject.caseId ? { caseId: escalation.subject.caseId } : {}),
      madeBy: plan.owner,
      department: escalation.subject.department ?? '',
      dueAt: plan.dueAt,
    },
    actor,
  )
  changes.push({ collection: 'promises', value: promise })
  return { promiseId: promise.id, changes }
}

/**
 * Everything the rules look at, read from the store. `isForSweepNow`: only the grumbles the rules
 * can still count at this moment (the sweep after every change), not the whole history.
 */
export function patternInputOf(ctx: ServiceContext, isForSweepNow = false): PatternInput {
  const settings = ctx.store.settings.escalation
  return {
    cases: [...ctx.store.all('cases')],
    grumbles: escalationGrumbles(ctx, isForSweepNow ? grumbleHorizon(settings, ctx.now()) : ''),
    promises: escalationPromises(ctx),
    signals: escalationSignals(ctx),
    settings,
    resolutionDueAt: resolutionDueDates(ctx),
  }
}

/** Each open store's index for the incremental sweep (sweepIndex.ts). */
const indexes = new WeakMap<StoreEngine, SweepIndex>()

/** The store's index, built afresh when there is none or it no longer describes the data. */
function indexAt(ctx: ServiceContext, now: number): SweepIndex | undefined {
  const { store } = ctx
  if (!store.isFullyLoaded) return undefined
  const current = indexes.get(store)
  if (current && !current.isStale && current.settings === store.settings.escalation && now >= current.syncedAt)
    return current
  current?.stop()
  const index = new SweepIndex(store, now)
  indexes.set(store, index)
  return index
}

/** The index, when it still describes the data as of `now` (not after a restore, new settings, a clock set back). */
function usableIndex(ctx: ServiceContext, now: Date): SweepIndex | undefined {
  const index = indexes.get(ctx.store)
  const isUsable =
    index !== undefined &&
    ctx.store.isFullyLoaded &&
    !index.isStale &&
    index.settings === ctx.store.settings.escalation &&
    now.getTime() >= index.syncedAt
  return isUsable ? index : undefined
}

/**
 * Runs the rules over the whole history now and commits what changed, in one write (start-up,
 * the timer, `makegood sweep`). A read-only store is left alone.
 */
export async function sweepEscalations(ctx: ServiceContext): Promise<SweepChange[]> {
  if (ctx.store.isReadOnly) return []
  // A full sweep reads every record: on a store still loading its older months it would raise
  // again, as new, the escalations that are still on disk (same pattern, same id).
  if (!ctx.store.isFullyLoaded) await ctx.store.whenFullyLoaded()
  // On the team database one desk sweeps at a time, from the escalations the last one wrote.
  return onlyHere(ctx.store, 'sweep', ['escalations'], () => sweepAll(ctx))
}

async function sweepAll(ctx: ServiceContext): Promise<SweepChange[]> {
  const now = ctx.now()
  const index = indexAt(ctx, now.getTime())
  const taken = index?.take(now.getTime(), { isElsewhereToo: true })
  const changes = sweep(patternInputOf(ctx, true), [...ctx.store.all('escalations')], now)
  forgetFailures()
  return commitSweep(ctx, changes, index, taken)
}

/**
 * The sweep after a change: only the patterns the changes since the last sweep (and the time
 * passed since) can touch, with the same result as a full sweep. On the team database, other
 * desks' changes are left to `sweepChangesElsewhere` unless `isElsewhereToo`. Falls back to the
 * full sweep when the index cannot tell (no index yet, a restore, new settings, a clock set back).
 */
export async function sweepAfterChange(ctx: ServiceContext, taking: Taking = {}): Promise<SweepChange[]> {
  if (ctx.store.isReadOnly) return []
  if (isShared(ctx.store) && (await isQuietWithoutLock(ctx, taking))) return []
  return onlyHere(ctx.store, 'sweep', ['escalations'], () => sweepChanged(ctx, taking))
}

/** Which changed groups a sweep takes (see SweepIndex.take). */
type Taking = { isElsewhereToo?: boolean }

/**
 * On the team database, how often a desk's runtime looks at the patterns other desks' changes
 * touched: soon after they arrive, all those of a few seconds at once.
 */
export const sweepElsewhereEveryMs = 2_000

/**
 * On the team database: the patterns other desks' changes can touch, looked at a moment after
 * they arrive (the runtime asks every `sweepElsewhereEveryMs`), not at this desk's next save. Two
 * desks adding at once the two cases that make a pattern each sweep before seeing the other's:
 * this finds it. Nothing to do when no other desk changed anything since, before this desk has
 * an index (its start-up builds one), or while the database cannot be reached (it would only fail
 * every time). An index that can no longer tell (another desk's restore or new settings) is
 * built again by the full sweep here, not by this desk's next save.
 */
export async function sweepChangesElsewhere(ctx: ServiceContext): Promise<SweepChange[]> {
  const index = indexes.get(ctx.store)
  if (ctx.store.isReadOnly || !index || !isReachable(ctx.store)) return []
  const usable = usableIndex(ctx, ctx.now())
  if (usable && !usable.isChangedElsewhere) return []
  return sweepAfterChange(ctx, { isElsewhereToo: true })
}

/**
 * Builds this desk's sweep index, with the full sweep it starts from, unless it has one (the
 * start-up sweep made it): a team desk that does not run the timed jobs does this at start. Then
 * runs the rules once over the busiest groups, so the first saves do not wait for their compiling.
 */
export async function warmSweep(ctx: ServiceContext): Promise<void> {
  if (ctx.store.isReadOnly) return
  if (!usableIndex(ctx, ctx.now())) await sweepAfterChange(ctx)
  usableIndex(ctx, ctx.now())?.rehearse(ctx.now())
}

/**
 * On the team database most changes leave every pattern as it was. Taking the team's sweep lock
 * for each of them made the desks' saves wait for one another, so the sweep first runs here
 * without it: when it finds nothing to write and the escalations it compared with are the stored
 * ones (one read by id), the answer is the one the locked sweep would give, and nothing needs
 * writing. Otherwise what it took goes back to the index and the locked sweep runs.
 */
async function isQuietWithoutLock(ctx: ServiceContext, taking: Taking): Promise<boolean> {
  const now = ctx.now()
  const index = usableIndex(ctx, now)
  if (!index) return false
  const taken = index.take(now.getTime(), taking)
  try {
    // Only the escalations of the patterns found decide a sweep's answer (see sweep()).
    const found = new Set<string>()
    const isQuiet = index.sweep(taken, now, found).length === 0
    if (isQuiet && (await isCurrent(ctx.store, 'escalations', index.escalationIdsOf(found)))) return true
  } catch (error) {
    index.giveBack(taken)
    throw error
  }
  index.giveBack(taken)
  return false
}

async function sweepChanged(ctx: ServiceContext, taking: Taking): Promise<SweepChange[]> {
  const now = ctx.now()
  const index = usableIndex(ctx, now)
  if (!index) return sweepAll(ctx)
  const taken = index.take(now.getTime(), taking)
  let changes: SweepChange[]
  try {
    changes = index.sweep(taken, now)
  } catch (error) {
    index.giveBack(taken)
    throw error
  }
  // The person's change is on disk already; the escalations it raised are in memory, so every
  // screen shows them, and reach the disk with the next save's sync (or a moment later). A save
  // does not wait for that second sync (an escalation with thousands of pieces of evidence is a
  // large line): a crash in between loses nothing the start-up sweep does not find again. The team
  // database keeps its sweep lock until the write is in.
  return commitSweep(ctx, changes, index, taken, isShared(ctx.store))
}

async function commitSweep(
  ctx: ServiceContext,
  changes: SweepChange[],
  index: SweepIndex | undefined,
  taken: Taken | undefined,
  isWaitingForDisk = true,
): Promise<SweepChange[]> {
  if (changes.length === 0) return []
  const written = (
    index
      ? index.commit(changes, { mayWait: !isWaitingForDisk })
      : ctx.store.commit(changes.map((c) => ({ collection: 'escalations' as const, value: c.escalation })))
  ).then(
    // Notices go out for escalations that are on disk.
    () => ctx.onSweep?.(changes),
    (error: unknown) => {
      if (index && taken) index.giveBack(taken)
      throw error
    },
  )
  if (isWaitingForDisk) await written
  else written.catch((error: unknown) => logger.warn('sweep.write_failed', error))
  return changes
}

function requireEscalation(ctx: ServiceContext, id: string): Escalation {
  const found = ctx.store.get('escalations', id)
  if (!found) throw new AppError('not_found', `No escalation ${id}`, { reason: 'escalation.not_found' })
  return found
}

/**
 * Which of these escalations' patterns are still happening now. Only an action-planned one asks
 * (it may be resolved once its pattern is quiet), so the others cost nothing; with the sweep's
 * index, only those patterns' groups are looked at instead of the whole history.
 */
function activeKeys(ctx: ServiceContext, escalations: readonly Escalation[]): Set<string> {
  const asked = escalations.filter((e) => e.status === 'action-planned')
  if (asked.length === 0) return new Set()
  const now = ctx.now()
  const fromIndex = usableIndex(ctx, now)?.activeAmong(asked, now)
  return fromIndex ?? new Set(detectPatterns(patternInputOf(ctx, true), now).map((d) => d.patternKey))
}

/** The names a person knows an escalation's subject by: its customer's name, its case's number. */
export function subjectNames(
  ctx: ServiceContext,
  e: Pick<Escalation, 'subject'>,
): { customerName?: string; caseNumber?: string } {
  const { customerId, caseId } = e.subject
  const customerName = customerId ? ctx.store.get('customers', customerId)?.name : undefined
  const caseNumber = caseId ? ctx.store.get('cases', caseId)?.number : undefined
  return { ...(customerName ? { customerName } : {}), ...(caseNumber ? { caseNumber } : {}) }
}

function toView(ctx: ServiceContext, e: Escalation, active: ReadonlySet<string>): EscalationView {
  const customerName = (customerId: string | undefined) =>
    customerId ? ctx.store.get('customers', customerId)?.name : undefined
  // Each piece of evidence by what a person recognises it by: the case, the remark, the promise.
  // Read without bringing an old month back into memory: evidence can cite years of history.
  const describe = (item: Evidence): { label: string; customerId?: string } | undefined => {
    if (item.kind === 'case') {
      const c = recordToShow(ctx.store, 'cases', item.id)
      return c && { label: `${c.number} — ${c.summary}`, customerId: c.customerId }
    }
    if (item.kind === 'grumble') {
      const g = recordToShow(ctx.store, 'grumbles', item.id)
      return g && { label: `“${g.text}”`, ...(g.customerId ? { customerId: g.customerId } : {}) }
    }
    if (item.kind === 'promise') {
      const p = recordToShow(ctx.store, 'promises', item.id)
      // A built-in guarantee has no text of its own; its id names it in any language.
      // A built-in guarantee's promise has no text of its own: `guarantee:<id>`, worded by the reader's language.
      const label = p && (p.what || (p.guaranteeId ? `guarantee:${p.guaranteeId}` : p.id))
      return p && { label: label ?? p.id, ...(p.customerId ? { customerId: p.customerId } : {}) }
    }
    const s = recordToShow(ctx.store, 'signals', item.id)
    return s && { label: customerName(s.customerId) ?? s.id, customerId: s.customerId }
  }
  const evidence = e.evidence.map((item) => {
    const found = describe(item)
    const name = customerName(found?.customerId)
    return { ...item, label: found?.label ?? item.id, ...(name ? { customerName: name } : {}) }
  })
  const refusal = isOpenEscalation(e) ? resolveRefusal(e, active, ctx.store.settings.escalation, ctx.now()) : undefined
  const caseOwner = caseOwnerOf(ctx, e)
  return {
    ...e,
    evidence,
    ...subjectNames(ctx, e),
    ...(caseOwner ? { caseOwner } : {}),
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

function caseOwnerOf(ctx: ServiceContext, e: Pick<Escalation, 'subject'>): string | undefined {
  return e.subject.caseId ? ctx.store.get('cases', e.subject.caseId)?.owner || undefined : undefined
}

export type ListInput = {
  status?: EscalationStatus | 'open'
  rule?: EscalationRule
  department?: string
  severity?: EscalationSeverity
  owner?: string
  limit?: number
}

/** Open ones first by severity and age, then the closed ones; narrowed by the inbox's filters. */
export async function listEscalations(ctx: ServiceContext, input: ListInput) {
  const matching = [...ctx.store.all('escalations')]
    .filter((e) => matchesFilter({ ...e, caseOwner: input.owner ? caseOwnerOf(ctx, e) : undefined }, input))
    .sort(compareEscalations)
  // Only the ones shown are turned into views: a large business may hold thousands.
  const shown = matching.slice(0, input.limit ?? matching.length)
  const active = activeKeys(ctx, shown)
  const escalations = shown.map((e) => toView(ctx, e, active))
  return { escalations, total: matching.length, ...escalationCounts(ctx) }
}

async function save(ctx: ServiceContext, value: Escalation, extra: Change[] = []): Promise<Escalation> {
  await ctx.store.commit([...extra, { collection: 'escalations', value }])
  return value
}

/**
 * The acknowledging manager is a person of the business, not free text: when the settings list
 * the staff, the name must be one of them. (A data folder has no roles, so any listed person may
 * acknowledge; the screen offers the staff list.)
 */
/**
 * Who acknowledges: on a team database the person of the login, whatever name was typed; on a
 * data folder a person on the staff list (any name while the list is empty).
 */
function managerOf(ctx: ServiceContext, manager: string): string {
  if (ctx.store.session) return ctx.store.session.name
  const staff = ctx.store.settings.staff
  const name = manager.trim()
  if (!name || staff.length === 0 || staff.some((s) => s.name === name)) return manager
  throw new AppError('invalid_input', `${name} is not on the staff list`, {
    reason: 'escalation.unknown_manager',
    params: { name },
    details: [{ path: 'manager', message: 'Not on the staff list' }],
  })
}

export async function acknowledge(ctx: ServiceContext, input: { id: string; manager: string; note: string }) {
  const manager = managerOf(ctx, input.manager)
  return save(ctx, acknowledgeEscalation(requireEscalation(ctx, input.id), { ...input, manager }, actorOf(ctx)))
}

/** Acknowledges every one of `ids` with one note in one commit; any refusal leaves all as they were. */
export async function acknowledgeMany(ctx: ServiceContext, input: { ids: string[]; manager: string; note: string }) {
  const manager = managerOf(ctx, input.manager)
  const actor = actorOf(ctx)
  const escalations = [...new Set(input.ids)].map((id) =>
    acknowledgeEscalation(requireEscalation(ctx, id), { manager, note: input.note }, actor),
  )
  await ctx.store.commit(escalations.map((value) => ({ collection: 'escalations' as const, value })))
  return { escalations }
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
  const refusal = resolveRefusal(current, activeKeys(ctx, [current]), ctx.store.settings.escalation, ctx.now())
  return save(ctx, resolveEscalation(current, input.note, refusal, actorOf(ctx)))
}

export async function dismiss(ctx: ServiceContext, input: { id: string; reason: string }) {
  return save(ctx, dismissEscalation(requireEscalation(ctx, input.id), input.reason, actorOf(ctx)))
}

export async function departments(ctx: ServiceContext, input: { months?: number }): Promise<DepartmentFailures> {
  const months = input.months ?? 6
  // The table counts cases and grumbles of its months only: older grumbles (most of them, and
  // those left on disk) and every promise and signal are not read.
  const since = monthStart(shiftMonth(monthAt(ctx.now()), 1 - months))
  return departmentFailures(
    {
      cases: [...ctx.store.all('cases')],
      grumbles: escalationGrumbles(ctx, since),
      settings: ctx.store.settings.escalation,
      departments: ctx.store.settings.departments,
    },
    ctx.now(),
    months,
  )
}
