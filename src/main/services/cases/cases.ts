import { type z } from 'zod'
import { byCodeUnits } from '../../../shared/core/order'
import {
  type CaseAssign,
  type CaseDetail,
  type CaseEdit,
  type CaseFilter,
  type CasePage,
  type CasePageInput,
  type CaseSummary,
  type CloseInput,
  type NewCase,
  type TodayView,
  todayLimit,
} from '../../../shared/api'
import { AppError } from '../../../shared/core/errors'
import {
  closeCase,
  completeStep,
  freshSteps,
  nextPendingStep,
  reopenCase,
  reopenStep,
  skipStep,
  undoClose,
} from '../../../shared/cases/recovery'
import { type Case, type StepKey, type TimelineEvent } from '../../../shared/schemas'
import { queryTerms } from '../../../shared/core/search'
import { type Change } from '../../store/store'
import { type StoreEngine } from '../../store/postgres/engine'
import { nextCaseNumberIn } from './caseNumbers'
import { corpusOf } from '../search/searchCorpus'
import { derivedOnce } from '../derived'
import { termsInCustomerNames } from '../search/namedTerms'
import { type ServiceContext, actorOf, newId } from '../context'
import { requireCustomer, resolveCustomer } from '../customers/customerRecords'
import { requireKnownChoice } from '../settings/knownChoices'
import { withGuaranteePromises } from '../promises/guarantees'
import { withGuaranteesFollowed } from '../promises/guaranteeFollow'

export function requireCase(ctx: ServiceContext, id: string): Case {
  const found = ctx.store.get('cases', id)
  if (!found) throw new AppError('not_found', `No case ${id}`, { reason: 'case.not_found' })
  return found
}

export function summarize(ctx: ServiceContext, c: Case): CaseSummary {
  return {
    id: c.id,
    number: c.number,
    customerId: c.customerId,
    customerName: ctx.store.get('customers', c.customerId)?.name ?? '',
    summary: c.summary,
    channel: c.channel,
    category: c.category,
    severity: c.severity,
    department: c.department,
    owner: c.owner,
    status: c.status,
    receivedAt: c.receivedAt,
    updatedAt: c.updatedAt,
    nextStep: nextPendingStep(c) ?? null,
  }
}

/** A case's own searchable words: its number, summary, description and remedy (its customer's name is searched apart). */
const caseOwnText = (c: Case) => `${c.number} ${c.summary} ${c.description} ${c.remedySought}`

const caseCorpus = (store: StoreEngine) => corpusOf(store, 'cases', 'cases', () => store.all('cases'), caseOwnText)

/** The cases whose own words or customer's name hold every term. */
export function casesHolding(ctx: ServiceContext, terms: readonly string[]): Set<Case> {
  const inNames = termsInCustomerNames(ctx.store, terms)
  return new Set(caseCorpus(ctx.store).matching(terms, (c) => inNames.get(c.customerId)))
}

/**
 * Normalises every case's search text ahead of the first search, so that one is as fast as the
 * rest: run once the whole history has loaded (serve, desktop).
 */
export function warmCaseSearch(ctx: ServiceContext): void {
  caseCorpus(ctx.store).warm()
}

/**
 * Every case, newest first, sorted once per change: the Cases screen asks for a page on every
 * scroll, and re-sorting 100k cases each time cost more than filtering them.
 */
function casesNewestFirst(store: StoreEngine): Case[] {
  // ISO strings compare as text; localeCompare is ten times slower at 100k rows.
  return derivedOnce(store, 'cases newest first', [store.revision('cases')], () =>
    [...store.all('cases')].sort((a, b) => byCodeUnits(b.receivedAt, a.receivedAt)),
  )
}

/** Every case the filter matches, newest first (not yet summarised: callers take what they show). */
function matchingCases(ctx: ServiceContext, filter: Omit<CaseFilter, 'limit'>): Case[] {
  const terms = queryTerms(filter.query ?? '')
  const holding = terms.length > 0 ? casesHolding(ctx, terms) : undefined
  const matches: Case[] = []
  for (const c of casesNewestFirst(ctx.store)) {
    if (filter.status && c.status !== filter.status) continue
    if (filter.category && c.category !== filter.category) continue
    if (filter.department !== undefined && c.department !== filter.department) continue
    if (filter.owner !== undefined && c.owner !== filter.owner) continue
    if (filter.customerId && c.customerId !== filter.customerId) continue
    if (holding && !holding.has(c)) continue
    matches.push(c)
  }
  return matches
}

export function listCases(ctx: ServiceContext, filter: CaseFilter): CaseSummary[] {
  const matches = matchingCases(ctx, filter)
  // Only the rows asked for are summarised (a 100k-case store, a 200-row page).
  return (filter.limit ? matches.slice(0, filter.limit) : matches).map((c) => summarize(ctx, c))
}

/** The page the Cases screen scrolls to: it never carries 100k summaries to show forty. */
export function pageCases(ctx: ServiceContext, input: z.output<typeof CasePageInput>): CasePage {
  const { offset, limit, ...filter } = input
  const matches = matchingCases(ctx, filter)
  return {
    total: matches.length,
    items: matches.slice(offset, offset + limit).map((c) => summarize(ctx, c)),
    isComplete: ctx.store.isFullyLoaded,
  }
}

/** Open cases waiting for their next recovery step, newest first: the first `todayLimit`, and how many. */
export function todayCases(ctx: ServiceContext): TodayView {
  const waiting = casesNewestFirst(ctx.store).filter((c) => c.status !== 'closed' && nextPendingStep(c) !== undefined)
  return {
    cases: waiting.slice(0, todayLimit).map((c) => summarize(ctx, c)),
    total: waiting.length,
    isComplete: ctx.store.isFullyLoaded,
  }
}

export async function getCase(ctx: ServiceContext, input: { id: string }): Promise<CaseDetail> {
  const c = requireCase(ctx, input.id)
  const customer = requireCustomer(ctx, c.customerId)
  return { case: c, customer, customerCases: listCases(ctx, { customerId: customer.id }).filter((s) => s.id !== c.id) }
}

/** A new case as the services build it: the public `NewCase`, plus the grumble it was promoted from. */
type NewCaseFromService = z.output<typeof NewCase> & { grumbleId?: string }

export async function createCase(ctx: ServiceContext, input: NewCaseFromService): Promise<Case> {
  // On a team database another desk may take the same next number first: the store refuses the
  // second and has by then read the other desk's cases, so another try picks the next free number.
  for (let attempt = 1; ; attempt++) {
    try {
      return await createCaseOnce(ctx, input)
    } catch (error) {
      if (attempt >= 10 || !(error instanceof AppError && error.reason === 'store.case_number_taken')) throw error
    }
  }
}

async function createCaseOnce(ctx: ServiceContext, input: NewCaseFromService): Promise<Case> {
  requireKnownChoice(ctx, 'category', input.category, 'case')
  const actor = actorOf(ctx)
  const changes: Change[] = []
  const { customer, isNew } = resolveCustomer(ctx, {
    name: input.customerName ?? '',
    ...(input.customerId ? { customerId: input.customerId } : {}),
  })
  if (isNew) changes.push({ collection: 'customers', value: customer })
  const receivedAt = input.receivedAt ?? actor.at
  const created: Case = {
    id: newId(),
    number: nextCaseNumberIn(ctx.store, new Date(receivedAt).getUTCFullYear()),
    customerId: customer.id,
    summary: input.summary,
    description: input.description,
    remedySought: input.remedySought,
    channel: input.channel,
    source: input.source,
    category: input.category,
    severity: input.severity,
    department: input.department,
    owner: input.owner,
    status: 'open',
    receivedAt,
    steps: freshSteps(),
    timeline: [{ at: actor.at, by: actor.by, type: 'created', after: input.summary }],
    updatedAt: actor.at,
    ...(input.grumbleId ? { grumbleId: input.grumbleId } : {}),
  }
  // Service guarantees become promises of the new case.
  const withGuarantees = withGuaranteePromises(ctx, created, actor)
  changes.push(...withGuarantees.changes)
  await ctx.store.commit(changes)
  return withGuarantees.case
}

/** The fields an edit compares one by one: each change is its own timeline entry. */
const editableFields = [
  'summary',
  'description',
  'remedySought',
  'category',
  'severity',
  'department',
  'channel',
  'source',
  'owner',
] as const

export async function updateCase(ctx: ServiceContext, input: z.output<typeof CaseEdit>): Promise<Case> {
  const { id, customerId, customerName, ...edits } = input
  const current = requireCase(ctx, id)
  if (edits.category !== current.category) requireKnownChoice(ctx, 'category', edits.category, 'case')
  const actor = actorOf(ctx)
  const events: TimelineEvent[] = []
  const changes: Change[] = []
  let updated: Case = current
  for (const field of editableFields) {
    const after = edits[field]
    if (after === undefined || current[field] === after) continue
    events.push({ at: actor.at, by: actor.by, type: 'edit', field, before: current[field], after })
    updated = { ...updated, [field]: after }
  }
  if (customerId !== undefined || customerName !== undefined) {
    const { customer, isNew } = resolveCustomer(ctx, {
      name: customerName ?? '',
      ...(customerId ? { customerId } : {}),
    })
    if (customer.id !== current.customerId) {
      if (isNew) changes.push({ collection: 'customers', value: customer })
      const before = ctx.store.get('customers', current.customerId)?.name ?? ''
      // Names, not ids: the timeline is read by people, and a name stays readable after a merge.
      events.push({ at: actor.at, by: actor.by, type: 'edit', field: 'customer', before, after: customer.name })
      updated = { ...updated, customerId: customer.id }
    }
  }
  if (events.length === 0) return current
  updated = { ...updated, updatedAt: actor.at, timeline: [...current.timeline, ...events] }
  await ctx.store.commit([...changes, { collection: 'cases', value: updated }])
  return updated
}

/** Hands the case to another person: the owner changes, and the timeline says who, to whom and why. */
export async function assignCase(ctx: ServiceContext, input: z.output<typeof CaseAssign>): Promise<Case> {
  const current = requireCase(ctx, input.id)
  if (current.owner === input.owner) {
    throw new AppError('rule_violation', `Case ${current.number} is already with ${input.owner}`, {
      reason: 'case.already_owner',
      params: { number: current.number, owner: input.owner },
      details: [{ path: 'owner', message: 'Unchanged' }],
    })
  }
  const actor = actorOf(ctx)
  const event: TimelineEvent = {
    at: actor.at,
    by: actor.by,
    type: 'assign',
    field: 'owner',
    before: current.owner,
    after: input.owner,
    ...(input.note ? { note: input.note } : {}),
  }
  return save(ctx, { ...current, owner: input.owner, updatedAt: actor.at, timeline: [...current.timeline, event] })
}

async function save(ctx: ServiceContext, c: Case): Promise<Case> {
  await ctx.store.commit([{ collection: 'cases', value: c }])
  return c
}

/** A step change keeps (or ends) the service guarantees that wait for it, in the same commit. */
async function saveFollowingGuarantees(ctx: ServiceContext, c: Case): Promise<Case> {
  const changes = withGuaranteesFollowed(ctx, c)
  await ctx.store.commit(changes)
  // The first change is always the case itself (with the guarantees' timeline lines).
  return ctx.store.get('cases', c.id) ?? c
}

export async function completeCaseStep(ctx: ServiceContext, input: { id: string; step: StepKey; note: string }) {
  return saveFollowingGuarantees(ctx, completeStep(requireCase(ctx, input.id), input.step, input.note, actorOf(ctx)))
}

export async function skipCaseStep(ctx: ServiceContext, input: { id: string; step: StepKey; reason: string }) {
  return saveFollowingGuarantees(ctx, skipStep(requireCase(ctx, input.id), input.step, input.reason, actorOf(ctx)))
}

export async function closeCaseService(ctx: ServiceContext, input: z.output<typeof CloseInput>) {
  const { id, ...outcome } = input
  return save(ctx, closeCase(requireCase(ctx, id), outcome, actorOf(ctx)))
}

export async function reopenCaseService(ctx: ServiceContext, input: { id: string; reason: string }) {
  return save(ctx, reopenCase(requireCase(ctx, input.id), input.reason, actorOf(ctx)))
}

export async function reopenCaseStep(ctx: ServiceContext, input: { id: string; step: StepKey; reason: string }) {
  return save(ctx, reopenStep(requireCase(ctx, input.id), input.step, input.reason, actorOf(ctx)))
}

export async function undoCaseClose(ctx: ServiceContext, input: { id: string }) {
  return save(ctx, undoClose(requireCase(ctx, input.id), actorOf(ctx)))
}
