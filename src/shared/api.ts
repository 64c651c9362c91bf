import { z } from 'zod'
import { type Result } from './errors'
import { icebergContract } from './icebergApi'
import { LoyaltySegment } from './icebergSchemas'
import { BackupInfo } from './storage'
import { CsvImportReport, CsvMapping } from './csvImport'
import {
  BreakPromiseInput,
  IcsExport,
  IcsInput,
  MetricsInput,
  NewPromise,
  PromiseFilter,
  PromiseMetricsView,
  PromiseSummary,
  RenegotiateInput,
  TodayPromises,
} from './promise-api'
import { CustomerPromise, DueSpec } from './promises'
import { Escalation, EscalationStatus, Evidence } from './escalation'
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
    category: z.string().min(1),
    severity: Severity.default('minor'),
    department: z.string().default(''),
    owner: z.string().default(''),
    receivedAt: z.iso.datetime().optional(),
    /** Set by `grumbles:promote`: the grumble this case comes from. */
    grumbleId: id.optional(),
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

export const CustomerSummary = Customer.extend({
  caseCount: z.number(),
  openCaseCount: z.number(),
  /** Loyalty segment (issue 6); absent when no activity is recorded for the customer. */
  segment: LoyaltySegment.optional(),
})
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

export const AppInfo = z.object({
  version: z.string(),
  dataDir: z.string(),
  isEmpty: z.boolean(),
  isReadOnly: z.boolean(),
  now: z.iso.datetime(),
})
export type AppInfo = z.infer<typeof AppInfo>

export const BackupName = z.object({ name: z.string().min(1).max(200) }).strict()

export const StorageStatus = z.object({
  /** Files found damaged on open: moved to quarantine/, the rest opened. */
  problems: z.array(z.object({ file: z.string(), message: z.string(), quarantinedAs: z.string().optional() })),
  isFullyLoaded: z.boolean(),
  latestBackup: BackupInfo.nullable(),
})
/**
 * A settings change: any subset of the fields. Fields with defaults (feature sub-objects) lose
 * their default here, or a change of one field would reset every feature's settings to defaults.
 */
export const SettingsPatch = z
  .object(
    Object.fromEntries(
      Object.entries(Settings.shape).map(([key, field]) => [
        key,
        (field instanceof z.ZodDefault ? field.removeDefault() : field).optional(),
      ]),
    ) as unknown as { [K in keyof typeof Settings.shape]: z.ZodOptional<(typeof Settings.shape)[K]> },
  )
  .strict()
/** An escalation as the UI and CLI show it: evidence with readable labels, and whether it may resolve now. */
export const EscalationView = Escalation.extend({
  evidence: z.array(Evidence.extend({ label: z.string(), customerName: z.string().optional() })),
  customerName: z.string().optional(),
  caseNumber: z.string().optional(),
  /** Why Resolve would be refused right now (a translated reason key), absent when it would not. */
  resolveBlock: z
    .object({ reason: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])) })
    .optional(),
})
export type EscalationView = z.infer<typeof EscalationView>

export const EscalationCounts = z.object({ unacknowledged: z.number(), open: z.number() })

export const SweepResult = z.array(
  z.object({
    change: z.enum(['raised', 'evidence', 'reopened', 're-raised']),
    added: z.number(),
    escalation: Escalation,
  }),
)
export type SweepResult = z.infer<typeof SweepResult>

export const DepartmentFailures = z.object({
  months: z.array(z.string()),
  departments: z.array(
    z.object({
      department: z.string(),
      rows: z.array(z.object({ category: z.string(), counts: z.array(z.number()), target: z.number().optional() })),
    }),
  ),
})
export type DepartmentFailures = z.infer<typeof DepartmentFailures>

export const escalationMethods = {
  'escalations:list': method(
    z
      .object({
        status: EscalationStatus.optional(),
        /** The first N in list order (open ones first); `total` says how many there are. */
        limit: z.number().int().min(1).max(1_000_000).optional(),
      })
      .strict()
      .default({}),
    z.object({ escalations: z.array(EscalationView), total: z.number().int() }).extend(EscalationCounts.shape),
  ),
  'escalations:counts': method(nothing, EscalationCounts),
  /** Runs the seven rules now and commits what changed; returns the new and updated escalations. */
  'escalations:sweep': method(nothing, SweepResult),
  'escalations:acknowledge': method(
    z.object({ id, manager: z.string().max(200), note: z.string().max(10_000) }).strict(),
    Escalation,
  ),
  'escalations:planAction': method(
    z.object({ id, what: z.string().max(10_000), owner: z.string().max(200), dueAt: z.string().max(40) }).strict(),
    Escalation,
  ),
  'escalations:resolve': method(z.object({ id, note: z.string().max(10_000).default('') }).strict(), Escalation),
  'escalations:dismiss': method(z.object({ id, reason: z.string().max(10_000) }).strict(), Escalation),
  'escalations:departments': method(
    z
      .object({ months: z.number().int().min(1).max(36).optional() })
      .strict()
      .default({}),
    DepartmentFailures,
  ),
} as const
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
  'settings:update': method(SettingsPatch, Settings),
  'customers:list': method(
    z
      .object({ query: z.string().max(200).optional(), segment: LoyaltySegment.optional() })
      .strict()
      .default({}),
    z.array(CustomerSummary),
  ),
  'customers:get': method(z.object({ id }).strict(), z.object({ customer: Customer, cases: z.array(CaseSummary) })),
  'customers:create': method(NewCustomer, Customer),
  'customers:update': method(CustomerEdit, Customer),
  'cases:list': method(CaseFilter.default({}), z.array(CaseSummary)),
  'cases:page': method(CasePageInput.default({ offset: 0, limit: 100 }), CasePage),
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
  ...icebergContract,
  'storage:status': method(nothing, StorageStatus),
  'backups:list': method(nothing, z.array(BackupInfo)),
  'backups:create': method(nothing, BackupInfo),
  'backups:preview': method(
    BackupName,
    z.object({
      backup: BackupInfo,
      counts: z.array(z.object({ kind: z.string(), current: z.number(), inBackup: z.number() })),
    }),
  ),
  'backups:restore': method(BackupName, z.object({ keptAs: z.string() })),
  // Complaints from another system's CSV (issue 4); a dry run only checks.
  'imports:complaints': method(
    z
      .object({
        csv: z.string().min(1).max(20_000_000),
        mapping: CsvMapping,
        isDryRun: z.boolean().default(false),
        isSkipInvalid: z.boolean().default(false),
      })
      .strict(),
    CsvImportReport,
  ),
  // The promise ledger (issue 5).
  'promises:list': method(PromiseFilter.default({}), z.array(PromiseSummary)),
  'promises:create': method(NewPromise, CustomerPromise),
  'promises:keep': method(z.object({ id, note: z.string().max(10_000).default('') }).strict(), CustomerPromise),
  'promises:break': method(BreakPromiseInput, CustomerPromise),
  'promises:renegotiate': method(RenegotiateInput, z.object({ closed: CustomerPromise, successor: CustomerPromise })),
  'promises:cancel': method(z.object({ id, reason: z.string().max(10_000) }).strict(), CustomerPromise),
  'promises:metrics': method(MetricsInput, PromiseMetricsView),
  'promises:today': method(nothing, TodayPromises),
  'promises:ics': method(IcsInput, IcsExport),
  // `isPast`: the pick's time has gone by (e.g. "today at close" after closing), so it cannot be used now.
  'calendar:resolveDue': method(
    z.object({ due: DueSpec }).strict(),
    z.object({ dueAt: z.iso.datetime(), isPast: z.boolean() }),
  ),
  'calendar:countries': method(
    z
      .object({ lang: z.string().max(20).default('en') })
      .strict()
      .default({ lang: 'en' }),
    z.array(z.object({ code: z.string(), name: z.string() })),
  ),
  ...escalationMethods,
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
