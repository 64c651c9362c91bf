import { z } from 'zod'
import { type Result } from './errors'
import { Report, ReportMonth } from './report'
import { PaperSize, ReportFormat } from './reportSchedule'
import {
  Case,
  CaseStatus,
  Channel,
  Customer,
  Locale,
  Settings,
  Severity,
  Source,
  StepKey,
  WouldComeBack,
  id,
} from './schemas'

/**
 * The one contract between the UI and the services (DESIGN.md): each method is a name with a
 * zod input schema and a zod output schema. Both hosts register every method by walking this
 * map and validate the input there; the renderer's client is typed from it.
 */
const method = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output })

const nothing = z.object({}).strict().default({})

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
    category: z.string().optional(),
    department: z.string().optional(),
    owner: z.string().optional(),
    customerId: id.optional(),
    query: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(200_000).optional(),
  })
  .strict()
export type CaseFilter = z.infer<typeof CaseFilter>

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
    category: z.string().min(1),
    severity: Severity.default('minor'),
    department: z.string().default(''),
    owner: z.string().default(''),
    receivedAt: z.iso.datetime().optional(),
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
    category: z.string().min(1).optional(),
    severity: Severity.optional(),
    department: z.string().optional(),
    owner: z.string().optional(),
    source: Source.optional(),
  })
  .strict()
export type CaseEdit = z.input<typeof CaseEdit>

export const CaseDetail = z.object({ case: Case, customer: Customer, customerCases: z.array(CaseSummary) })
export type CaseDetail = z.infer<typeof CaseDetail>

export const CustomerSummary = Customer.extend({ caseCount: z.number(), openCaseCount: z.number() })
export type CustomerSummary = z.infer<typeof CustomerSummary>

export const NewCustomer = Customer.pick({ name: true, email: true, phone: true, notes: true }).strict()
export const CustomerEdit = Customer.pick({ name: true, email: true, phone: true, notes: true })
  .partial()
  .extend({ id })
  .strict()

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
  /** Open cases whose next recovery step is pending, newest first. */
  cases: z.array(CaseSummary),
})
export type TodayView = z.infer<typeof TodayView>

export const AppInfo = z.object({
  version: z.string(),
  dataDir: z.string(),
  isEmpty: z.boolean(),
  isReadOnly: z.boolean(),
  now: z.iso.datetime(),
})
export type AppInfo = z.infer<typeof AppInfo>

/** Which report: a calendar month (default: the last full month), or `from`–`to` dates inclusive. */
const reportQueryFields = {
  month: ReportMonth.optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  /** The report's language; default: the app's language setting. */
  locale: Locale.optional(),
}
const isRangeValid = (v: { from?: string; to?: string }) =>
  (v.from === undefined) === (v.to === undefined) && (v.from === undefined || v.from <= (v.to as string))
const rangeIssue = { message: 'Give both from and to, from not after to', path: ['to'] }

export const ReportQuery = z.object(reportQueryFields).strict().refine(isRangeValid, rangeIssue)
export const ReportExportInput = z
  .object({ ...reportQueryFields, format: ReportFormat, paper: PaperSize.default('a4') })
  .strict()
  .refine(isRangeValid, rangeIssue)
export const ReportFile = z.object({ fileName: z.string(), mimeType: z.string(), base64: z.string() })
export type ReportFile = z.infer<typeof ReportFile>

export const contract = {
  'app:info': method(nothing, AppInfo),
  'settings:get': method(nothing, Settings),
  'settings:update': method(Settings.partial().strict(), Settings),
  'customers:list': method(
    z
      .object({ query: z.string().max(200).optional() })
      .strict()
      .default({}),
    z.array(CustomerSummary),
  ),
  'customers:get': method(z.object({ id }).strict(), z.object({ customer: Customer, cases: z.array(CaseSummary) })),
  'customers:create': method(NewCustomer, Customer),
  'customers:update': method(CustomerEdit, Customer),
  'cases:list': method(CaseFilter.default({}), z.array(CaseSummary)),
  'cases:get': method(z.object({ id }).strict(), CaseDetail),
  'cases:create': method(NewCase, Case),
  'cases:update': method(CaseEdit, Case),
  'cases:completeStep': method(
    z.object({ id, step: StepKey, note: z.string().max(10_000).default('') }).strict(),
    Case,
  ),
  'cases:skipStep': method(z.object({ id, step: StepKey, reason: z.string().max(10_000) }).strict(), Case),
  'cases:close': method(CloseInput, Case),
  'cases:reopen': method(z.object({ id, reason: z.string().max(10_000).default('') }).strict(), Case),
  'today:get': method(nothing, TodayView),
  'demo:load': method(nothing, z.object({ customers: z.number(), cases: z.number() })),
  'reports:get': method(ReportQuery.default({}), Report),
  'reports:export': method(ReportExportInput, ReportFile),
} as const

export type Contract = typeof contract
export type Method = keyof Contract
export type MethodInput<M extends Method> = z.input<Contract[M]['input']>
export type MethodOutput<M extends Method> = z.output<Contract[M]['output']>
export const methods = Object.keys(contract) as Method[]

/** What the preload exposes on `window.makegood` in the desktop app: one function per method. */
export type DesktopBridge = { [M in Method]: (input: unknown) => Promise<Result<unknown>> }

export function isMethod(name: string): name is Method {
  return Object.hasOwn(contract, name)
}
