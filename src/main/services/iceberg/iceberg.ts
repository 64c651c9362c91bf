import { type z } from 'zod'
import { NewCase } from '../../../shared/api'
import { parseActivityCsv, normalizeName } from '../../../shared/iceberg/activityImport'
import {
  type ChurnAssessment,
  assessChurn,
  closeSignal,
  episodeOf,
  planSignals,
  suggestWinBack,
  valueAtRisk,
  winBackRate,
} from '../../../shared/iceberg/churn'
import { AppError } from '../../../shared/core/errors'
import { hiddenByCategory, icebergFor, icebergTrend, monthPeriod } from '../../../shared/iceberg/iceberg'
import {
  type GrumbleSummary,
  type IcebergQuery,
  type IcebergView,
  type ImportResult,
  type LoyaltyDetail,
  type ManualSignal,
  type NewGrumble,
  type SignalDetail,
  type SignalList,
  type GrumbleFilter,
} from '../../../shared/iceberg/contract'
import { type Activity, type Grumble, type LoyaltySegment, type Signal } from '../../../shared/iceberg/schemas'
import { type ActivityMap } from '../../../shared/iceberg/activityImport'
import { segmentOf } from '../../../shared/iceberg/loyalty'
import { type Case, type Customer } from '../../../shared/schemas'
import { type Change } from '../../store/store'
import { createCase } from '../cases/cases'
import { cancelPromise, makePromise } from '../../../shared/promises/promises'
import { type ServiceContext, actorOf, newId } from '../context'
import { buildCustomer, requireCustomer } from '../customers/customers'

/** Services of the complaint iceberg (issue 6): grumbles, silent churn, activity, loyalty. */

const nameKey = (name: string) => normalizeName(name).toLowerCase()

/** A known customer by exact name (ignoring case and spacing), or undefined. */
function findCustomerByName(ctx: ServiceContext, name: string): Customer | undefined {
  const key = nameKey(name)
  for (const customer of ctx.store.all('customers')) if (nameKey(customer.name) === key) return customer
  return undefined
}

function requireGrumble(ctx: ServiceContext, id: string): Grumble {
  const found = ctx.store.get('grumbles', id)
  if (!found) throw new AppError('not_found', `No grumble ${id}`, { reason: 'grumble.not_found' })
  return found
}

function requireSignal(ctx: ServiceContext, id: string): Signal {
  const found = ctx.store.get('signals', id)
  if (!found) throw new AppError('not_found', `No signal ${id}`, { reason: 'signal.not_found' })
  return found
}

function requireKnown(ctx: ServiceContext, field: 'category' | 'department', value: string | undefined): void {
  if (value === undefined) return
  const isKnown =
    field === 'category'
      ? ctx.store.settings.categories.some((c) => c.id === value)
      : ctx.store.settings.departments.includes(value)
  if (!isKnown) {
    throw new AppError('invalid_input', `Unknown ${field} ${value}`, {
      reason: `grumble.unknown_${field}`,
      details: [{ path: field, message: `Unknown ${field}` }],
    })
  }
}

export async function logGrumble(ctx: ServiceContext, input: z.output<typeof NewGrumble>): Promise<Grumble> {
  requireKnown(ctx, 'category', input.category)
  requireKnown(ctx, 'department', input.department)
  const actor = actorOf(ctx)
  const changes: Change[] = []
  let customer: Customer | undefined
  if (input.customerId) customer = requireCustomer(ctx, input.customerId)
  else if (input.customerName) {
    customer = findCustomerByName(ctx, input.customerName)
    if (!customer) {
      customer = buildCustomer(ctx, { name: normalizeName(input.customerName), notes: '' })
      changes.push({ collection: 'customers', value: customer })
    }
  }
  const grumble: Grumble = {
    id: newId(),
    text: input.text,
    heardAt: input.heardAt ?? actor.at,
    heardBy: input.heardBy || actor.by,
    ...(customer ? { customerId: customer.id } : {}),
    ...(input.category ? { category: input.category } : {}),
    ...(input.department ? { department: input.department } : {}),
    suggestion: input.suggestion,
    createdAt: actor.at,
  }
  changes.push({ collection: 'grumbles', value: grumble })
  await ctx.store.commit(changes)
  return grumble
}

export async function listGrumbles(
  ctx: ServiceContext,
  filter: z.output<typeof GrumbleFilter>,
): Promise<GrumbleSummary[]> {
  const result: GrumbleSummary[] = []
  for (const g of ctx.store.all('grumbles')) {
    if (filter.from && g.heardAt < filter.from) continue
    if (filter.to && g.heardAt >= filter.to) continue
    if (filter.customerId && g.customerId !== filter.customerId) continue
    const customerName = g.customerId ? ctx.store.get('customers', g.customerId)?.name : undefined
    const caseNumber = g.caseId ? ctx.store.get('cases', g.caseId)?.number : undefined
    result.push({ ...g, ...(customerName ? { customerName } : {}), ...(caseNumber ? { caseNumber } : {}) })
  }
  result.sort((a, b) => b.heardAt.localeCompare(a.heardAt))
  return filter.limit ? result.slice(0, filter.limit) : result
}

/**
 * `Make it a case`: the grumble becomes a case on the grumble channel through the ordinary
 * case service, and both keep the link. Should the second write fail, the case already
 * carries `grumbleId`, and promoting again only repairs the link: never a second case.
 */
export async function promoteGrumble(ctx: ServiceContext, input: { id: string; customerName?: string }): Promise<Case> {
  const grumble = requireGrumble(ctx, input.id)
  if (grumble.caseId) {
    const number = ctx.store.get('cases', grumble.caseId)?.number ?? grumble.caseId
    throw new AppError('conflict', `This grumble is already case ${number}`, {
      reason: 'grumble.already_promoted',
      params: { number },
    })
  }
  const linked = [...ctx.store.all('cases')].find((c) => c.grumbleId === grumble.id)
  if (linked) {
    await ctx.store.commit([{ collection: 'grumbles', value: { ...grumble, caseId: linked.id } }])
    return linked
  }
  const customerName = input.customerName?.trim() ?? ''
  if (!grumble.customerId && !customerName) {
    throw new AppError('invalid_input', 'A case needs a customer: give the customer name', {
      reason: 'grumble.needs_customer',
      details: [{ path: 'customerName', message: 'Required' }],
    })
  }
  const known = grumble.customerId ? undefined : findCustomerByName(ctx, customerName)
  const customerId = grumble.customerId ?? known?.id
  const category =
    grumble.category && ctx.store.settings.categories.some((c) => c.id === grumble.category)
      ? grumble.category
      : 'other'
  const suggestion = grumble.suggestion ? `\n\n${grumble.heardBy}: ${grumble.suggestion}` : ''
  const created = await createCase(ctx, {
    ...NewCase.parse({
      ...(customerId ? { customerId } : { customerName: normalizeName(customerName) }),
      summary: grumble.text.slice(0, 200),
      description: `${grumble.text}${suggestion}`,
      channel: 'grumble',
      source: 'in-person',
      category,
      department: grumble.department ?? '',
      owner: ctx.store.settings.currentUser,
      receivedAt: grumble.heardAt,
    }),
    grumbleId: grumble.id,
  })
  await ctx.store.commit([
    {
      collection: 'grumbles',
      value: { ...grumble, caseId: created.id, ...(grumble.customerId ? {} : { customerId: created.customerId }) },
    },
  ])
  return created
}

function activitiesByCustomer(ctx: ServiceContext): Map<string, Activity[]> {
  const byCustomer = new Map<string, Activity[]>()
  for (const a of ctx.store.all('activities')) {
    const list = byCustomer.get(a.customerId)
    if (list) list.push(a)
    else byCustomer.set(a.customerId, [a])
  }
  return byCustomer
}

function signalsByCustomer(ctx: ServiceContext): Map<string, Signal[]> {
  const byCustomer = new Map<string, Signal[]>()
  for (const s of ctx.store.all('signals')) {
    const list = byCustomer.get(s.customerId)
    if (list) list.push(s)
    else byCustomer.set(s.customerId, [s])
  }
  return byCustomer
}

function assessmentOf(ctx: ServiceContext, customerId: string): ChurnAssessment | undefined {
  const visits = [...ctx.store.all('activities')].filter((a) => a.customerId === customerId)
  return assessChurn(visits, ctx.now(), ctx.store.settings.iceberg)
}

/** Churn detection over every customer with activity; re-running on the same data changes nothing. */
export async function detectSignals(
  ctx: ServiceContext,
): Promise<{ assessed: number; raised: number; updated: number }> {
  const now = ctx.now()
  const settings = ctx.store.settings.iceberg
  const assessments: { customerId: string; assessment: ChurnAssessment }[] = []
  for (const [customerId, visits] of activitiesByCustomer(ctx)) {
    const assessment = assessChurn(visits, now, settings)
    if (assessment) assessments.push({ customerId, assessment })
  }
  const plan = planSignals(assessments, ctx.store.all('signals'), actorOf(ctx), newId)
  const changes: Change[] = [...plan.create, ...plan.update].map((value) => ({ collection: 'signals' as const, value }))
  if (changes.length > 0) await ctx.store.commit(changes)
  return { assessed: assessments.length, raised: plan.create.length, updated: plan.update.length }
}

export async function listSignals(
  ctx: ServiceContext,
  input: { status?: 'open' | 'closed'; customerId?: string },
): Promise<SignalList> {
  const all = [...ctx.store.all('signals')]
  const signals = all
    .filter(
      (s) => (!input.status || s.status === input.status) && (!input.customerId || s.customerId === input.customerId),
    )
    .map((s) => ({ ...s, customerName: ctx.store.get('customers', s.customerId)?.name ?? '' }))
    .sort((a, b) => (b.valueAtRisk?.value ?? 0) - (a.valueAtRisk?.value ?? 0) || b.raisedAt.localeCompare(a.raisedAt))
  const totalValueAtRisk = all.reduce((sum, s) => sum + (s.status === 'open' ? (s.valueAtRisk?.value ?? 0) : 0), 0)
  return { signals, winBack: winBackRate(all), totalValueAtRisk }
}

export async function getSignal(ctx: ServiceContext, input: { id: string }): Promise<SignalDetail> {
  const signal = requireSignal(ctx, input.id)
  const customer = requireCustomer(ctx, signal.customerId)
  const assessment = assessmentOf(ctx, customer.id) ?? null
  const hasNewActivity =
    assessment !== null &&
    signal.lastActivityAt !== undefined &&
    assessment.lastAt.slice(0, 10) > signal.lastActivityAt.slice(0, 10)
  return { signal, customer, assessment, hasNewActivity, suggestion: suggestWinBack(signal, ctx.now()) }
}

/** `Customer went quiet`: raised by hand with what is known; one open signal per customer. */
export async function raiseSignal(ctx: ServiceContext, input: z.output<typeof ManualSignal>): Promise<Signal> {
  const customer = requireCustomer(ctx, input.customerId)
  requireKnown(ctx, 'category', input.category)
  requireKnown(ctx, 'department', input.department)
  const open = [...ctx.store.all('signals')].find((s) => s.customerId === customer.id && s.status === 'open')
  if (open) {
    throw new AppError('conflict', `${customer.name} already has an open signal`, {
      reason: 'signal.already_open',
      params: { name: customer.name },
    })
  }
  const actor = actorOf(ctx)
  const assessment = assessmentOf(ctx, customer.id)
  const horizon = ctx.store.settings.iceberg.horizonYears
  const averageSpend = input.averageSpend ?? assessment?.averageSpend
  const visitsPerYear = input.visitsPerYear ?? assessment?.visitsPerYear
  const signal: Signal = {
    id: newId(),
    customerId: customer.id,
    origin: 'manual',
    level: input.level,
    reasons: ['manual'],
    raisedAt: actor.at,
    detectedAt: actor.at,
    raisedBy: actor.by,
    episode: episodeOf(customer.id, assessment?.lastAt),
    ...(assessment ? { lastActivityAt: assessment.lastAt } : {}),
    ...(averageSpend !== undefined && visitsPerYear !== undefined
      ? { valueAtRisk: valueAtRisk(averageSpend, visitsPerYear, horizon) }
      : {}),
    note: input.note,
    ...(input.category ? { category: input.category } : {}),
    ...(input.department ? { department: input.department } : {}),
    status: 'open',
    timeline: [{ at: actor.at, by: actor.by, type: 'raised', after: input.level, note: input.note }],
  }
  await ctx.store.commit([{ collection: 'signals', value: signal }])
  return signal
}

function requireOpen(signal: Signal): void {
  if (signal.status !== 'open') {
    throw new AppError('rule_violation', 'This signal is closed', { reason: 'signal.closed' })
  }
}

export async function planWinBack(
  ctx: ServiceContext,
  input: { id: string; what: string; dueAt: string },
): Promise<Signal> {
  const signal = requireSignal(ctx, input.id)
  requireOpen(signal)
  const actor = actorOf(ctx)
  // The contact is a promise to the customer, so it falls due in the ledger like any other; a new
  // plan withdraws the open promise of the previous one.
  const changes: Change[] = []
  const previous = signal.winBack?.promiseId ? ctx.store.get('promises', signal.winBack.promiseId) : undefined
  if (previous?.status === 'open') {
    changes.push({ collection: 'promises', value: cancelPromise(previous, actor, 'Replaced by a new win-back plan') })
  }
  const promise = makePromise(
    {
      id: newId(),
      what: input.what,
      customerId: signal.customerId,
      madeBy: actor.by,
      department: ctx.store.settings.staff.find((s) => s.name === actor.by)?.department ?? '',
      dueAt: input.dueAt,
    },
    actor,
  )
  const updated: Signal = {
    ...signal,
    winBack: { what: input.what, dueAt: input.dueAt, by: actor.by, plannedAt: actor.at, promiseId: promise.id },
    timeline: [
      ...signal.timeline,
      { at: actor.at, by: actor.by, type: 'win-back', after: input.dueAt, note: input.what },
    ],
  }
  await ctx.store.commit([
    ...changes,
    { collection: 'promises', value: promise },
    { collection: 'signals', value: updated },
  ])
  return updated
}

export async function closeSignalService(
  ctx: ServiceContext,
  input: { id: string; outcome: Signal['outcome'] & string; note: string },
): Promise<Signal> {
  const signal = requireSignal(ctx, input.id)
  requireOpen(signal)
  const closed = closeSignal(signal, input.outcome, input.note, actorOf(ctx))
  await ctx.store.commit([{ collection: 'signals', value: closed }])
  return closed
}

/**
 * Imports visits or purchases. All or nothing: a file with a bad row writes nothing and the
 * error names every row to fix. Rows already imported (same customer, time, amount and
 * occurrence) are skipped, so importing the same file twice adds nothing.
 */
export async function importActivities(
  ctx: ServiceContext,
  input: { csv: string; map: ActivityMap; detect: boolean },
): Promise<ImportResult> {
  const parsed = parseActivityCsv(input.csv, input.map)
  if (parsed.errors.length > 0) {
    const first = parsed.errors[0]
    throw new AppError(
      'invalid_input',
      `The file has ${parsed.errors.length} problem(s); nothing was imported. ${parsed.errors
        .slice(0, 5)
        .map((e) => `Row ${e.row}: ${e.message}`)
        .join('; ')}`,
      {
        reason: 'import.bad_rows',
        params: { count: parsed.errors.length, row: first?.row ?? 0, problem: first?.message ?? '' },
        details: parsed.errors.slice(0, 100).map((e) => ({
          path: e.row === 1 ? e.path : `rows.${e.row}.${e.path}`,
          message: `Row ${e.row}: ${e.message}`,
        })),
      },
    )
  }
  const byEmail = new Map<string, Customer>()
  const byName = new Map<string, Customer>()
  for (const customer of ctx.store.all('customers')) {
    if (customer.email) byEmail.set(customer.email.toLowerCase(), customer)
    byName.set(nameKey(customer.name), customer)
  }
  const knownKeys = new Set<string>()
  for (const a of ctx.store.all('activities')) if (a.importKey) knownKeys.add(a.importKey)
  const occurrences = new Map<string, number>()
  const newCustomers: Customer[] = []
  const activities: Activity[] = []
  let alreadyThere = 0
  for (const row of parsed.rows) {
    let customer =
      (row.email ? byEmail.get(row.email.toLowerCase()) : undefined) ?? byName.get(nameKey(row.customerName))
    if (!customer) {
      customer = buildCustomer(ctx, { name: row.customerName, notes: '', ...(row.email ? { email: row.email } : {}) })
      newCustomers.push(customer)
      byName.set(nameKey(customer.name), customer)
      if (row.email) byEmail.set(row.email.toLowerCase(), customer)
    }
    const base = `${customer.id}|${row.date}|${row.amount}`
    const occurrence = (occurrences.get(base) ?? 0) + 1
    occurrences.set(base, occurrence)
    const importKey = `${base}|${occurrence}`
    if (knownKeys.has(importKey)) {
      alreadyThere++
      continue
    }
    activities.push({
      id: newId(),
      customerId: customer.id,
      date: row.date,
      amount: row.amount,
      source: 'import',
      importKey,
    })
  }
  const changes: Change[] = [
    ...newCustomers.map((value) => ({ collection: 'customers' as const, value })),
    ...activities.map((value) => ({ collection: 'activities' as const, value })),
  ]
  if (changes.length > 0) await ctx.store.commit(changes)
  const detection = input.detect ? await detectSignals(ctx) : { assessed: 0, raised: 0, updated: 0 }
  return {
    rows: parsed.rows.length,
    imported: activities.length,
    alreadyThere,
    newCustomers: newCustomers.length,
    detection,
  }
}

/** The iceberg of a period of whole months, its 12-month trend and where the hidden part looks largest. */
export async function getIceberg(ctx: ServiceContext, input: z.output<typeof IcebergQuery>): Promise<IcebergView> {
  const data = () => ({
    cases: ctx.store.all('cases'),
    grumbles: ctx.store.all('grumbles'),
    signals: ctx.store.all('signals'),
  })
  const filter = {
    ...(input.category ? { category: input.category } : {}),
    ...(input.department ? { department: input.department } : {}),
  }
  const period = monthPeriod(input.from, input.to)
  const iceberg = icebergFor(period, data(), filter)
  return {
    from: input.from,
    to: input.to,
    counts: iceberg.counts,
    estimates: iceberg.estimates,
    trend: icebergTrend(input.to, data(), 12, filter),
    hiddenByCategory: hiddenByCategory(period, data(), input.department ? { department: input.department } : {}),
  }
}

/** Every customer's loyalty segment, in one pass over activity and signals. */
export function loyaltySegments(ctx: ServiceContext): Map<string, LoyaltySegment | undefined> {
  const now = ctx.now()
  const settings = ctx.store.settings.iceberg
  const activities = activitiesByCustomer(ctx)
  const signals = signalsByCustomer(ctx)
  const result = new Map<string, LoyaltySegment | undefined>()
  for (const customer of ctx.store.all('customers')) {
    const visits = activities.get(customer.id)
    result.set(
      customer.id,
      segmentOf({
        isAdvocate: customer.isAdvocate ?? false,
        assessment: visits ? assessChurn(visits, now, settings) : undefined,
        signals: signals.get(customer.id) ?? [],
        now,
        settings,
      }),
    )
  }
  return result
}

export async function getLoyalty(ctx: ServiceContext, input: { customerId: string }): Promise<LoyaltyDetail> {
  const customer = requireCustomer(ctx, input.customerId)
  const assessment = assessmentOf(ctx, customer.id)
  const signals = [...ctx.store.all('signals')]
    .filter((s) => s.customerId === customer.id)
    .sort((a, b) => b.raisedAt.localeCompare(a.raisedAt))
  const grumbles = [...ctx.store.all('grumbles')]
    .filter((g) => g.customerId === customer.id)
    .sort((a, b) => b.heardAt.localeCompare(a.heardAt))
  const segment = segmentOf({
    isAdvocate: customer.isAdvocate ?? false,
    assessment,
    signals,
    now: ctx.now(),
    settings: ctx.store.settings.iceberg,
  })
  return { segment: segment ?? null, assessment: assessment ?? null, signals, grumbles }
}

export async function setAdvocate(
  ctx: ServiceContext,
  input: { customerId: string; isAdvocate: boolean },
): Promise<Customer> {
  const updated: Customer = { ...requireCustomer(ctx, input.customerId), isAdvocate: input.isAdvocate }
  await ctx.store.commit([{ collection: 'customers', value: updated }])
  return updated
}
