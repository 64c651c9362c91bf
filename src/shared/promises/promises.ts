import { GuaranteeCompensation } from '../costs/schemas'
import { z } from 'zod'
import { AppError } from '../core/errors'
import { type Actor } from '../cases/recovery'
import { type WorkingCalendarSettings, type Guarantee } from './settings'
import { id, isoDateTime } from '../schemas'
import { storedTime } from '../core/storedTime'
import {
  type Calendar,
  addBusinessDays,
  addBusinessMinutes,
  buildCalendar,
  endOfBusinessDay,
  parseDay,
  spanOf,
  wallOf,
} from './workingCalendar'

export * from './settings'

/**
 * The promise ledger (docs/domain.md): every promise made to a customer, its due time and whether it
 * was kept. Pure rules: time is always a parameter.
 */

export const promiseStatuses = ['open', 'kept', 'broken', 'renegotiated', 'cancelled'] as const
export const PromiseStatus = z.enum(promiseStatuses)
export type PromiseStatus = z.infer<typeof PromiseStatus>

/**
 * What a promise amounts to at a moment: its status, with `kept` split into on time and late, and
 * an open promise past its due time shown as `overdue` (which every metric counts as broken).
 */
export const promiseStates = [
  'open',
  'overdue',
  'kept-on-time',
  'kept-late',
  'broken',
  'renegotiated',
  'cancelled',
] as const
export const PromiseState = z.enum(promiseStates)
export type PromiseState = z.infer<typeof PromiseState>

/** Who made a guarantee promise: the guarantee itself, not a person. */
export const serviceGuaranteeMaker = 'Service guarantee'

const dayText = z
  .string()
  .max(10)
  .regex(/^\d{4}-\d{2}-\d{2}$/)

export const CustomerPromise = z.object({
  id,
  /** What was promised; empty only for a built-in guarantee, whose text comes from the i18n layer. */
  what: z.string().trim().max(500),
  /** The customer it was made to; absent for a promise to management (an escalation's planned action). */
  customerId: id.optional(),
  /** A promise can stand alone, without a case. */
  caseId: id.optional(),
  /** A staff member, or `Service guarantee` for a guarantee promise. */
  madeBy: z.string().trim().min(1).max(200),
  /** The maker's department when made (the case's for a guarantee): metrics by department. */
  department: z.string().max(200).default(''),
  /** The guarantee this promise enforces, and what the customer gets when it fails. */
  guaranteeId: z.string().max(64).optional(),
  compensation: z.string().max(500).optional(),
  /** For a broken guarantee: whether the compensation was actually given, and how much. */
  compensationGiven: GuaranteeCompensation.optional(),
  madeAt: isoDateTime,
  dueAt: isoDateTime,
  status: PromiseStatus,
  /** When it was kept, broken, renegotiated or cancelled, and by whom. */
  closedAt: isoDateTime.optional(),
  closedBy: z.string().max(200).optional(),
  /** What happened (broken), why (cancelled), or a remark (kept, renegotiated). */
  note: z.string().max(10_000).optional(),
  /** The renegotiation chain: the promise this one replaces, and the one that replaced it. */
  predecessorId: id.optional(),
  successorId: id.optional(),
  updatedAt: isoDateTime,
})
export type CustomerPromise = z.infer<typeof CustomerPromise>

/**
 * The calendar the rules compute with: the settings, the holiday dates of the chosen country
 * (looked up by the caller, which owns the holiday library) and the zone to use when the settings
 * say "the computer's own".
 */
export function calendarFromSettings(
  settings: WorkingCalendarSettings,
  countryHolidays: readonly string[],
  systemTimeZone: string,
): Calendar {
  const span = spanOf(settings.opensAt, settings.closesAt)
  const week: Record<number, (typeof span)[]> = {}
  for (const day of settings.workingDays) week[day] = [span]
  return buildCalendar({
    timeZone: settings.timeZone || systemTimeZone,
    week,
    holidays: [...countryHolidays, ...settings.holidays],
    extraWorkingDays: settings.extraWorkingDays,
    extraDayHours: [span],
  })
}

// ---------------------------------------------------------------------------------------------
// Due times.

/** How a due time is entered: the dialog's quick picks, or an exact time. */
export const DueSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('today') }).strict(),
  z.object({ kind: z.literal('tomorrow') }).strict(),
  z.object({ kind: z.literal('business-days'), n: z.number().int().min(0).max(1000) }).strict(),
  z.object({ kind: z.literal('business-hours'), n: z.number().min(0.25).max(10_000) }).strict(),
  z.object({ kind: z.literal('date'), date: dayText }).strict(),
  z.object({ kind: z.literal('at'), at: z.iso.datetime({ offset: true }).max(40) }).strict(),
])
export type DueSpec = z.infer<typeof DueSpec>

/**
 * The due instant of a quick pick. "End of day" is the calendar's closing time; a day the business
 * is closed moves to the next business day's closing. "In N business days" counts the excel way
 * (today is never counted) and ends at that day's closing; "in N business hours" counts open time.
 */
export function resolveDue(cal: Calendar, now: Date, spec: DueSpec): Date {
  const today = wallOf(cal, now.getTime()).day
  switch (spec.kind) {
    case 'today':
      return new Date(endOfBusinessDay(cal, today))
    case 'tomorrow':
      return new Date(endOfBusinessDay(cal, today + 1))
    case 'business-days':
      return new Date(endOfBusinessDay(cal, addBusinessDays(cal, today, spec.n)))
    case 'business-hours':
      return new Date(addBusinessMinutes(cal, now.getTime(), spec.n * 60))
    case 'date':
      return new Date(endOfBusinessDay(cal, parseDay(spec.date)))
    case 'at':
      return new Date(spec.at)
  }
}

/** When a guarantee promise falls due for a case received at `receivedAt`. */
export function guaranteeDue(cal: Calendar, receivedAt: Date, guarantee: Pick<Guarantee, 'amount' | 'unit'>): Date {
  if (guarantee.unit === 'business-hours') {
    return new Date(addBusinessMinutes(cal, receivedAt.getTime(), guarantee.amount * 60))
  }
  const received = wallOf(cal, receivedAt.getTime()).day
  return new Date(endOfBusinessDay(cal, addBusinessDays(cal, received, guarantee.amount)))
}

// ---------------------------------------------------------------------------------------------
// Rules.

export type NewPromiseFields = {
  id: string
  what: string
  /** Absent for a promise made to management: an escalation's planned action. */
  customerId?: string
  caseId?: string
  madeBy: string
  department: string
  dueAt: string
  guaranteeId?: string
  compensation?: string
  predecessorId?: string
}

function requireFutureDue(dueAt: string, at: string): void {
  if (Date.parse(dueAt) <= Date.parse(at)) {
    throw new AppError('invalid_input', 'The due time has already passed', {
      reason: 'promise.due_in_past',
      details: [{ path: 'due', message: 'In the past' }],
    })
  }
}

/** A new open promise, made now by `fields.madeBy`; its due time must lie ahead. */
export function makePromise(fields: NewPromiseFields, actor: Actor): CustomerPromise {
  if (!fields.what.trim() && !fields.guaranteeId) {
    throw new AppError('invalid_input', 'Say what was promised', {
      reason: 'promise.what_required',
      details: [{ path: 'what', message: 'Required' }],
    })
  }
  requireFutureDue(fields.dueAt, actor.at)
  return {
    id: fields.id,
    what: fields.what.trim(),
    ...(fields.customerId ? { customerId: fields.customerId } : {}),
    ...(fields.caseId ? { caseId: fields.caseId } : {}),
    madeBy: fields.madeBy,
    department: fields.department,
    ...(fields.guaranteeId ? { guaranteeId: fields.guaranteeId } : {}),
    ...(fields.compensation ? { compensation: fields.compensation } : {}),
    ...(fields.predecessorId ? { predecessorId: fields.predecessorId } : {}),
    madeAt: actor.at,
    dueAt: new Date(fields.dueAt).toISOString(),
    status: 'open',
    updatedAt: actor.at,
  }
}

function requireOpen(p: CustomerPromise): void {
  if (p.status !== 'open') {
    throw new AppError('rule_violation', `This promise is already ${p.status}`, {
      reason: 'promise.not_open',
      params: { status: p.status },
    })
  }
}

function closed(p: CustomerPromise, status: PromiseStatus, actor: Actor, note: string): CustomerPromise {
  const trimmed = note.trim()
  return {
    ...p,
    status,
    closedAt: actor.at,
    closedBy: actor.by,
    ...(trimmed ? { note: trimmed } : {}),
    updatedAt: actor.at,
  }
}

/**
 * Takes back a Kept or Broken given by mistake (the Undo notice): the promise is open again and
 * its closing note goes. The timeline keeps the mistaken line and says it was undone.
 */
export function undoPromiseClose(p: CustomerPromise, actor: Actor): CustomerPromise {
  if (p.status !== 'kept' && p.status !== 'broken') {
    throw new AppError('rule_violation', `Promise ${p.id} is ${p.status}; only Kept or Broken can be undone`, {
      reason: 'undo.too_late',
      params: { number: p.what },
    })
  }
  const { closedAt: _closedAt, closedBy: _closedBy, note: _note, ...rest } = p
  return { ...rest, status: 'open', updatedAt: actor.at }
}

/** Kept now: on time when now ≤ due, else late (an overdue promise kept stops counting as broken). */
export function keepPromise(p: CustomerPromise, actor: Actor, note = ''): CustomerPromise {
  requireOpen(p)
  return closed(p, 'kept', actor, note)
}

/** Broken, with what happened: a broken promise is itself a failure (docs/domain.md). */
export function breakPromise(p: CustomerPromise, actor: Actor, whatHappened: string): CustomerPromise {
  requireOpen(p)
  if (!whatHappened.trim()) {
    throw new AppError('invalid_input', 'Write what happened', {
      reason: 'promise.break_needs_what_happened',
      details: [{ path: 'whatHappened', message: 'Required' }],
    })
  }
  return closed(p, 'broken', actor, whatHappened)
}

export function cancelPromise(p: CustomerPromise, actor: Actor, reason: string): CustomerPromise {
  requireOpen(p)
  if (!reason.trim()) {
    throw new AppError('invalid_input', 'Write why the promise is cancelled', {
      reason: 'promise.cancel_needs_reason',
      details: [{ path: 'reason', message: 'Required' }],
    })
  }
  return closed(p, 'cancelled', actor, reason)
}

/**
 * The customer agreed a new date before the due time: this promise closes as renegotiated and a
 * successor carries the chain. After the due time a promise can only be kept (late) or broken.
 */
export function renegotiatePromise(
  p: CustomerPromise,
  actor: Actor,
  change: { successorId: string; dueAt: string; what?: string; note?: string },
): { closed: CustomerPromise; successor: CustomerPromise } {
  requireOpen(p)
  if (Date.parse(actor.at) >= Date.parse(p.dueAt)) {
    throw new AppError('rule_violation', 'The due time has passed: this promise can only be kept late or broken', {
      reason: 'promise.renegotiate_after_due',
    })
  }
  const successor = makePromise(
    {
      id: change.successorId,
      what: change.what?.trim() || p.what,
      ...(p.customerId ? { customerId: p.customerId } : {}),
      ...(p.caseId ? { caseId: p.caseId } : {}),
      madeBy: p.madeBy,
      department: p.department,
      dueAt: change.dueAt,
      ...(p.guaranteeId ? { guaranteeId: p.guaranteeId } : {}),
      ...(p.compensation ? { compensation: p.compensation } : {}),
      predecessorId: p.id,
    },
    actor,
  )
  return { closed: { ...closed(p, 'renegotiated', actor, change.note ?? ''), successorId: successor.id }, successor }
}

/** The whole renegotiation chain a promise belongs to, oldest first. */
export function promiseChain(byId: (id: string) => CustomerPromise | undefined, p: CustomerPromise): CustomerPromise[] {
  let first = p
  const seen = new Set([p.id])
  while (first.predecessorId) {
    const previous = byId(first.predecessorId)
    if (!previous || seen.has(previous.id)) break
    seen.add(previous.id)
    first = previous
  }
  const chain = [first]
  let last = first
  while (last.successorId) {
    const next = byId(last.successorId)
    if (!next || chain.includes(next)) break
    chain.push(next)
    last = next
  }
  return chain
}

// ---------------------------------------------------------------------------------------------
// States and metrics.

export function isOverdue(p: Pick<CustomerPromise, 'status' | 'dueAt'>, now: Date): boolean {
  return p.status === 'open' && now.getTime() > storedTime(p.dueAt)
}

/**
 * What the promise amounts to as of `asOf`. A close recorded after `asOf` has not happened yet, so
 * history can be replayed: an open promise past due is overdue, which metrics count as broken
 * from the moment it went overdue until it is kept (then late) or explicitly broken.
 */
export function stateAt(p: Pick<CustomerPromise, 'status' | 'dueAt' | 'closedAt'>, asOf: Date): PromiseState {
  const at = asOf.getTime()
  const due = storedTime(p.dueAt)
  const closedAt = p.closedAt ? storedTime(p.closedAt) : undefined
  if (p.status !== 'open' && closedAt !== undefined && closedAt <= at) {
    if (p.status === 'kept') return closedAt <= due ? 'kept-on-time' : 'kept-late'
    return p.status
  }
  return at > due ? 'overdue' : 'open'
}

export const PromiseMetrics = z.object({
  made: z.number(),
  due: z.number(),
  keptOnTime: z.number(),
  keptLate: z.number(),
  /** Explicitly broken plus overdue (still open past due). */
  broken: z.number(),
  overdue: z.number(),
  renegotiated: z.number(),
  cancelled: z.number(),
  open: z.number(),
  /** keptOnTime / (keptOnTime + keptLate + broken) over the promises due in the period; null when none. */
  keptRate: z.number().nullable(),
})
export type PromiseMetrics = z.infer<typeof PromiseMetrics>

export type Period = { from?: Date; to?: Date }

function inPeriod(iso: string, period: Period): boolean {
  if (period.from === undefined && period.to === undefined) return true
  const t = storedTime(iso)
  return (
    (period.from === undefined || t >= period.from.getTime()) && (period.to === undefined || t < period.to.getTime())
  )
}

const emptyMetrics = (): PromiseMetrics => ({
  made: 0,
  due: 0,
  keptOnTime: 0,
  keptLate: 0,
  broken: 0,
  overdue: 0,
  renegotiated: 0,
  cancelled: 0,
  open: 0,
  keptRate: null,
})

/** Counts one promise into metrics: `isMade` if made in the period, `state` (as of now) if due in it. */
function tally(m: PromiseMetrics, isMade: boolean, state: PromiseState | undefined): void {
  if (isMade) m.made++
  if (state === undefined) return
  m.due++
  if (state === 'kept-on-time') m.keptOnTime++
  else if (state === 'kept-late') m.keptLate++
  else if (state === 'broken') m.broken++
  else if (state === 'overdue') {
    m.broken++
    m.overdue++
  } else if (state === 'renegotiated') m.renegotiated++
  else if (state === 'cancelled') m.cancelled++
  else m.open++
}

function withKeptRate(m: PromiseMetrics): PromiseMetrics {
  const measured = m.keptOnTime + m.keptLate + m.broken
  return { ...m, keptRate: measured === 0 ? null : m.keptOnTime / measured }
}

/** What the metrics read of a promise. */
type MeasuredPromise = Pick<CustomerPromise, 'madeAt' | 'dueAt' | 'status' | 'closedAt'>

/**
 * Metrics for a period [from, to) over all the promises and per group of each grouping (a staff
 * member, a department; groups sorted by name, a group with nothing in the period included):
 * `made` counts promises made in it; every other figure is over the promises due in it, each in
 * its state as of `now`. One pass: each promise's dates are read once, however many groupings.
 */
export function promiseMetricsGrouped<G extends string, P extends MeasuredPromise>(
  promises: Iterable<P>,
  groupings: Record<G, (p: P) => string>,
  period: Period,
  now: Date,
): { total: PromiseMetrics; by: Record<G, { name: string; metrics: PromiseMetrics }[]> } {
  const names = Object.keys(groupings) as G[]
  const total = emptyMetrics()
  const groups = names.map(() => new Map<string, PromiseMetrics>())
  for (const p of promises) {
    const isMade = inPeriod(p.madeAt, period)
    const state = inPeriod(p.dueAt, period) ? stateAt(p, now) : undefined
    tally(total, isMade, state)
    names.forEach((name, i) => {
      const key = groupings[name](p)
      let m = groups[i]!.get(key)
      if (!m) groups[i]!.set(key, (m = emptyMetrics()))
      tally(m, isMade, state)
    })
  }
  const by = Object.fromEntries(
    names.map((name, i) => [
      name,
      [...groups[i]!.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, metrics]) => ({ name: key, metrics: withKeptRate(metrics) })),
    ]),
  ) as Record<G, { name: string; metrics: PromiseMetrics }[]>
  return { total: withKeptRate(total), by }
}

/** Metrics for a period over all the promises (see promiseMetricsGrouped). */
export function promiseMetrics(promises: Iterable<CustomerPromise>, period: Period, now: Date): PromiseMetrics {
  return promiseMetricsGrouped(promises, {}, period, now).total
}

/** Metrics per group (a staff member, a department), groups sorted by name. */
export function promiseMetricsBy(
  promises: Iterable<CustomerPromise>,
  keyOf: (p: CustomerPromise) => string,
  period: Period,
  now: Date,
): { name: string; metrics: PromiseMetrics }[] {
  return promiseMetricsGrouped(promises, { group: keyOf }, period, now).by.group
}

// ---------------------------------------------------------------------------------------------
// Today and notifications.

export type TodayBuckets<T> = { overdue: T[]; dueToday: T[]; dueThisWeek: T[] }

/**
 * Open promises for the Today screen, by the calendar's own days: overdue (past due), due later
 * today, and due in the seven days after today. Each list soonest first.
 */
export function todayBuckets(
  cal: Calendar,
  promises: Iterable<CustomerPromise>,
  now: Date,
): TodayBuckets<CustomerPromise> {
  const buckets: TodayBuckets<CustomerPromise> = { overdue: [], dueToday: [], dueThisWeek: [] }
  const today = wallOf(cal, now.getTime()).day
  for (const p of promises) {
    if (p.status !== 'open') continue
    if (isOverdue(p, now)) {
      buckets.overdue.push(p)
      continue
    }
    const dueDay = wallOf(cal, Date.parse(p.dueAt)).day
    if (dueDay === today) buckets.dueToday.push(p)
    else if (dueDay > today && dueDay <= today + 7) buckets.dueThisWeek.push(p)
  }
  const byDue = (a: CustomerPromise, b: CustomerPromise) => a.dueAt.localeCompare(b.dueAt)
  buckets.overdue.sort(byDue)
  buckets.dueToday.sort(byDue)
  buckets.dueThisWeek.sort(byDue)
  return buckets
}

export type PromiseNotice = { key: string; promiseId: string; kind: 'due-soon' | 'overdue' }

/**
 * Which promises to raise a desktop notification for now: those due within the next hour, and at
 * start-up those already overdue. Each notice has a key; keys in `alreadyNotified` are not
 * repeated, so a promise is announced once per kind.
 */
export function promisesToNotify(
  promises: Iterable<CustomerPromise>,
  now: Date,
  options: { isEnabled: boolean; isStartup: boolean; alreadyNotified: ReadonlySet<string> },
): PromiseNotice[] {
  if (!options.isEnabled) return []
  const notices: PromiseNotice[] = []
  const nowMs = now.getTime()
  const hour = 3_600_000
  for (const p of promises) {
    if (p.status !== 'open') continue
    const due = Date.parse(p.dueAt)
    const kind =
      due <= nowMs ? (options.isStartup ? 'overdue' : undefined) : due - nowMs <= hour ? 'due-soon' : undefined
    if (!kind) continue
    const key = `${p.id}:${kind}`
    if (!options.alreadyNotified.has(key)) notices.push({ key, promiseId: p.id, kind })
  }
  return notices.sort((a, b) => a.key.localeCompare(b.key))
}
