import { z } from 'zod'
import { method } from '../core/contract'
import {
  Case,
  CaseStatus,
  Channel,
  Customer,
  Severity,
  Source,
  StepKey,
  WouldComeBack,
  id,
  isoDateTime,
} from '../schemas'
import { Escalation } from '../escalations/schemas'
import { PromiseSummary } from '../promises/contract'

/** The contract part of cases: the case list and detail, the six recovery steps, closing, Today. */

export const CaseSummary = Case.pick({
  id: true,
  number: true,
  customerId: true,
  summary: true,
  channel: true,
  category: true,
  severity: true,
  department: true,
  owner: true,
  status: true,
  receivedAt: true,
  updatedAt: true,
}).extend({ customerName: z.string(), nextStep: StepKey.nullable() })
export type CaseSummary = z.infer<typeof CaseSummary>

export const CaseFilter = z
  .object({
    status: CaseStatus.optional(),
    category: z.string().max(200).optional(),
    department: z.string().max(200).optional(),
    owner: z.string().max(200).optional(),
    customerId: id.optional(),
    query: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(200_000).optional(),
  })
  .strict()
export type CaseFilter = z.infer<typeof CaseFilter>

/** One page of the filtered case list, newest first, with the number of all matches. */
export const CasePageInput = CaseFilter.omit({ limit: true }).extend({
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(100),
})
export type CasePageInput = z.input<typeof CasePageInput>
export const CasePage = z.object({
  total: z.number().int(),
  items: z.array(CaseSummary),
  /** False while older months still load: the newest cases are already there, the rest follow. */
  isComplete: z.boolean(),
})
export type CasePage = z.infer<typeof CasePage>

export const NewCase = z
  .object({
    /** An existing customer, or a new one created from `customerName`. */
    customerId: id.optional(),
    customerName: z.string().trim().max(200).optional(),
    summary: z.string().trim().min(1).max(200),
    description: z.string().max(10_000).default(''),
    remedySought: z.string().max(10_000).default(''),
    channel: Channel.default('formal'),
    source: Source.default('in-person'),
    category: z.string().min(1).max(200),
    severity: Severity.default('minor'),
    department: z.string().max(200).default(''),
    owner: z.string().max(200).default(''),
    receivedAt: isoDateTime.optional(),
  })
  .strict()
  .refine((v) => v.customerId !== undefined || (v.customerName ?? '').length > 0, {
    message: 'Required',
    path: ['customerName'],
  })
export type NewCase = z.input<typeof NewCase>

export const CaseEdit = z
  .object({
    id,
    summary: z.string().trim().min(1).max(200).optional(),
    description: z.string().max(10_000).optional(),
    remedySought: z.string().max(10_000).optional(),
    category: z.string().min(1).max(200).optional(),
    severity: Severity.optional(),
    department: z.string().max(200).optional(),
    owner: z.string().max(200).optional(),
    source: Source.optional(),
    channel: Channel.optional(),
    /** Moves the case to another existing customer. */
    customerId: id.optional(),
    /** Moves the case to the customer of this exact name, created when there is none. */
    customerName: z.string().trim().min(1).max(200).optional(),
  })
  .strict()
  .refine((v) => v.customerId === undefined || v.customerName === undefined, {
    message: 'Give either customerId or customerName, not both',
    path: ['customerName'],
  })
export type CaseEdit = z.input<typeof CaseEdit>

/** Hands a case to another person: they become its owner; the note says why (timeline). */
export const CaseAssign = z
  .object({
    id,
    owner: z.string().trim().min(1).max(200),
    note: z.string().trim().max(10_000).default(''),
  })
  .strict()
export type CaseAssign = z.input<typeof CaseAssign>

export const CaseDetail = z.object({ case: Case, customer: Customer, customerCases: z.array(CaseSummary) })
export type CaseDetail = z.infer<typeof CaseDetail>

export const CloseInput = z.discriminatedUnion('reached', [
  z
    .object({
      id,
      reached: z.literal(true),
      satisfaction: z.number().int().min(1).max(5),
      wouldComeBack: WouldComeBack,
    })
    .strict(),
  z.object({ id, reached: z.literal(false) }).strict(),
])

export const TodayView = z.object({
  /** Open cases whose next recovery step is pending, newest first: the first `todayLimit` of them. */
  cases: z.array(CaseSummary),
  /** How many there are in all. */
  total: z.number().int(),
  /** False while older months still load (the answer may grow): ask again shortly. */
  isComplete: z.boolean(),
})
/** Today shows the newest waiting cases; the rest are a click away on the Cases screen. */
export const todayLimit = 100
export type TodayView = z.infer<typeof TodayView>

/** One person's work (Today → Mine): what they own or promised and have not finished. */
export const MyWork = z.object({
  /** settings.currentUser; empty when nobody said who they are (then nothing is theirs). */
  person: z.string(),
  /** Their open cases, the one untouched longest first. */
  cases: z.array(CaseSummary),
  /** Open or overdue promises they made, or that sit on cases they own; soonest due first. */
  promises: z.array(PromiseSummary),
  /** Open escalations whose planned action they own, with the names their titles show. */
  escalations: z.array(Escalation.extend({ customerName: z.string().optional(), caseNumber: z.string().optional() })),
  /** False while older months still load (the answer may grow): ask again shortly. */
  isComplete: z.boolean(),
})
export type MyWork = z.infer<typeof MyWork>

/** One person's line on Today → Team. */
export const TeamMember = z.object({
  person: z.string(),
  openCases: z.number().int(),
  overduePromises: z.number().int(),
  /** Their open case with the oldest last change: the one most likely forgotten. */
  oldestUntouched: CaseSummary.nullable(),
})
export type TeamMember = z.infer<typeof TeamMember>
export const TeamWork = z.object({
  members: z.array(TeamMember),
  /** Open cases nobody owns. */
  unowned: z.number().int(),
  unacknowledgedEscalations: z.number().int(),
  isComplete: z.boolean(),
})
export type TeamWork = z.infer<typeof TeamWork>

/** A case with all six steps finished but not closed: only the satisfaction call is left. */
export const ReadyCase = CaseSummary.extend({
  steps: Case.shape.steps,
  /** When its last step was finished. */
  readySince: isoDateTime,
})
export type ReadyCase = z.infer<typeof ReadyCase>
export const ReadyToClose = z.object({ cases: z.array(ReadyCase), isComplete: z.boolean() })
export type ReadyToClose = z.infer<typeof ReadyToClose>

const todayInput = z.object({}).strict().default({})

export const casesContract = {
  'cases:list': method(CaseFilter.default({}), z.array(CaseSummary), { reads: ['cases', 'customers'] }),
  'cases:page': method(CasePageInput.default({ offset: 0, limit: 100 }), CasePage, {
    reads: ['cases', 'customers'],
    // Says `isComplete: false` while loading: months load newest first, so the top of the
    // list is already right and the screen asks again until the answer is complete.
    isUsableWhileLoading: true,
  }),
  'cases:get': method(z.object({ id }).strict(), CaseDetail, { reads: ['cases', 'customers'] }),
  /** Guarantee promises are made with the case, and a new customer may be created with it. */
  'cases:create': method(NewCase, Case, { changes: ['cases', 'customers', 'promises'], isSweepAfter: true }),
  /** Every changed field is a timeline entry with before → after; a new customer may be created. */
  'cases:update': method(CaseEdit, Case, { changes: ['cases', 'customers'], isSweepAfter: true }),
  'cases:assign': method(CaseAssign, Case, { changes: ['cases'], isSweepAfter: true }),
  'cases:completeStep': method(
    z.object({ id, step: StepKey, note: z.string().max(10_000).default('') }).strict(),
    Case,
    { changes: ['cases', 'promises'], isSweepAfter: true },
  ),
  'cases:skipStep': method(z.object({ id, step: StepKey, reason: z.string().max(10_000) }).strict(), Case, {
    changes: ['cases', 'promises'],
    isSweepAfter: true,
  }),
  /** A finished step back to pending, with a reason (the timeline keeps both). */
  'cases:reopenStep': method(z.object({ id, step: StepKey, reason: z.string().max(10_000) }).strict(), Case, {
    changes: ['cases', 'promises'],
    isSweepAfter: true,
  }),
  /** Takes back a close while nothing else has happened to the case since (the Undo notice). */
  'cases:undoClose': method(z.object({ id }).strict(), Case, { changes: ['cases', 'promises'], isSweepAfter: true }),
  'cases:close': method(CloseInput, Case, { changes: ['cases', 'promises'], isSweepAfter: true }),
  'cases:reopen': method(z.object({ id, reason: z.string().max(10_000).default('') }).strict(), Case, {
    changes: ['cases', 'promises'],
    isSweepAfter: true,
  }),
  'today:get': method(todayInput, TodayView, {
    reads: ['cases', 'customers'],
    isUsableWhileLoading: true,
  }),
  // These wait for the whole history: counts and "oldest" from half of it would mislead.
  'today:mine': method(todayInput, MyWork, { reads: ['settings', 'cases', 'customers', 'promises', 'escalations'] }),
  'today:team': method(todayInput, TeamWork, { reads: ['settings', 'cases', 'customers', 'promises', 'escalations'] }),
  /** Oldest first: the longest wait for the closing call at the top. */
  'today:readyToClose': method(todayInput, ReadyToClose, { reads: ['cases', 'customers'] }),
}
