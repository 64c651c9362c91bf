import { z } from 'zod'
import { IcebergSettings, defaultIcebergSettings } from './iceberg/settings'
import { StorageSettings, defaultStorageSettings } from './storage/storage'
import { PromiseSettings, defaultPromiseSettings } from './promises/settings'
import { EscalationSettings, defaultEscalationSettings } from './escalations/settings'
import { ReportSettings, defaultReportSettings } from './reports/settings'
import { ImportSettings, defaultImportSettings } from './imports/settings'
import { ConversationSettings, defaultConversationSettings } from './contacts/settings'
import { Contact, Reply } from './contacts/schemas'
import { Currency } from './money/currency'

/** Times are stored as ISO-8601 UTC strings. */
/** Fixed: `.max` because the fraction of a second may otherwise have any number of digits. */
export const isoDateTime = z.iso.datetime().max(40)
export const id = z.string().min(1).max(64)
const shortText = z.string().trim().max(200)
const longText = z.string().max(10_000)

export const channels = ['formal', 'grumble', 'silent'] as const
export const Channel = z.enum(channels)
export type Channel = z.infer<typeof Channel>

export const sources = ['phone', 'email', 'in-person', 'letter', 'web', 'social', 'other'] as const
export const Source = z.enum(sources)
export type Source = z.infer<typeof Source>

export const severities = ['near-miss', 'minor', 'major'] as const
export const Severity = z.enum(severities)
export type Severity = z.infer<typeof Severity>

export const caseStatuses = ['open', 'in-recovery', 'resolved', 'closed', 'reopened'] as const
export const CaseStatus = z.enum(caseStatuses)
export type CaseStatus = z.infer<typeof CaseStatus>

/** The six steps of perfect service recovery, in order (docs/domain.md). */
export const stepKeys = ['empathise', 'apologise', 'resolve', 'investigate', 'add-plus', 'prevent'] as const
export const StepKey = z.enum(stepKeys)
export type StepKey = z.infer<typeof StepKey>

export const StepStatus = z.enum(['pending', 'done', 'skipped'])
export type StepStatus = z.infer<typeof StepStatus>

export const RecoveryStep = z.object({
  key: StepKey,
  status: StepStatus,
  by: z.string().max(200).optional(),
  at: isoDateTime.optional(),
  note: longText.optional(),
})
export type RecoveryStep = z.infer<typeof RecoveryStep>

export const WouldComeBack = z.enum(['yes', 'no', 'unsure'])
export type WouldComeBack = z.infer<typeof WouldComeBack>

export const Closure = z.discriminatedUnion('reached', [
  z.object({
    reached: z.literal(true),
    satisfaction: z.number().int().min(1).max(5),
    wouldComeBack: WouldComeBack,
    closedAt: isoDateTime,
    closedBy: z.string().max(200),
  }),
  z.object({ reached: z.literal(false), closedAt: isoDateTime, closedBy: z.string().max(200) }),
])
export type Closure = z.infer<typeof Closure>

/** One immutable line of a case's history: who, when, what, before → after. */
export const TimelineEvent = z.object({
  at: isoDateTime,
  by: z.string().max(200),
  type: z.string().max(100),
  field: z.string().max(100).optional(),
  before: longText.nullable().optional(),
  after: longText.nullable().optional(),
  note: longText.optional(),
})
export type TimelineEvent = z.infer<typeof TimelineEvent>

export const Customer = z.object({
  id,
  name: shortText.min(1),
  email: shortText.optional(),
  phone: shortText.optional(),
  /** Preferences and history that anyone serving them next should know (docs/domain.md). */
  notes: longText.default(''),
  createdAt: isoDateTime,
  /** Loyalty segment `advocate` is set by hand: no figure can tell who speaks well of you. */
  isAdvocate: z.boolean().optional(),
})
export type Customer = z.infer<typeof Customer>

export const caseCostKinds = ['refund', 'compensation', 'staff-time'] as const
export const CaseCostKind = z.enum(caseCostKinds)
export type CaseCostKind = z.infer<typeof CaseCostKind>

/** What putting a case right cost: a refund, a compensation, staff time (as money), in the business's currency. */
export const CaseCost = z.object({
  id,
  kind: CaseCostKind,
  amount: z.number().finite().min(0).max(1e9),
  note: z.string().trim().max(500).default(''),
  at: isoDateTime,
  by: z.string().max(200),
})
export type CaseCost = z.infer<typeof CaseCost>

export const Case = z.object({
  id,
  number: z
    .string()
    .max(40)
    .regex(/^C-\d{4}-\d{4,}$/),
  customerId: id,
  summary: shortText.min(1),
  description: longText.default(''),
  remedySought: longText.default(''),
  channel: Channel,
  source: Source,
  category: z.string().min(1).max(200),
  severity: Severity,
  department: z.string().max(200),
  owner: z.string().max(200),
  status: CaseStatus,
  receivedAt: isoDateTime,
  steps: z.array(RecoveryStep).length(stepKeys.length),
  closure: Closure.optional(),
  timeline: z.array(TimelineEvent),
  updatedAt: isoDateTime,
  /** The grumble this case was promoted from; the grumble carries `caseId` back. */
  grumbleId: id.optional(),
  /** Where an imported case came from: the other system's id, or `content:<hash>` of the row. */
  externalId: z.string().max(240).optional(),
  /** Contacts with the customer (calls, e-mails, letters, visits, messages), oldest first. */
  contacts: z.array(Contact).max(10_000).optional(),
  /** Replies sent to the customer, as sent. */
  replies: z.array(Reply).max(1000).optional(),
  /** What the case cost (optional): the report ranks categories by it. */
  costs: z.array(CaseCost).max(100).optional(),
})
export type Case = z.infer<typeof Case>

/** Built-in categories (docs/domain.md) carry no label: their name comes from the i18n layer. */
export const Category = z.object({
  id: z.string().min(1).max(64),
  label: z.string().trim().max(100).optional(),
  isArchived: z.boolean().default(false),
})
export type Category = z.infer<typeof Category>

export const builtInCategoryIds = [
  'rude-service',
  'long-wait',
  'poor-quality',
  'out-of-stock',
  'hygiene',
  'on-hold',
  'lacking-knowledge',
  'pressure-selling',
  'condescension',
  'other',
] as const

export const locales = ['en', 'zh-CN', 'zh-TW', 'hu'] as const
export const Locale = z.enum(locales)
export type Locale = z.infer<typeof Locale>

export const StaffMember = z.object({ name: shortText.min(1), department: z.string().max(200) })
export type StaffMember = z.infer<typeof StaffMember>

export const Settings = z.object({
  businessName: shortText,
  departments: z.array(shortText.min(1)).max(1000),
  staff: z.array(StaffMember).max(1000),
  categories: z.array(Category).max(1000),
  /** No login on a single-user desktop: the user says who they are. */
  currentUser: z.string().max(200),
  /** 'auto' follows the operating system. */
  language: z.union([z.literal('auto'), Locale]),
  /** ISO 4217 code of every amount; unset = the default of the language (src/shared/money/currency.ts). */
  currency: Currency.optional(),
  /** Churn-detection thresholds and the value-at-risk horizon. */
  iceberg: IcebergSettings.default(defaultIcebergSettings()),
  /** Backups. */
  storage: StorageSettings.default(defaultStorageSettings()),
  /** The promise ledger: working calendar, service guarantees, notifications. */
  promises: PromiseSettings.default(() => defaultPromiseSettings()),
  /** Thresholds of the escalation rules and departments' failure targets. */
  escalation: EscalationSettings.default(defaultEscalationSettings()),
  /** The monthly report's automatic export. */
  reports: ReportSettings.default(defaultReportSettings()),
  /** The complaint CSV import remembers its last mapping. */
  imports: ImportSettings.default(defaultImportSettings()),
  /** Contacts, "waiting for news", the form-letter check and the response coach. */
  conversation: ConversationSettings.default(() => defaultConversationSettings()),
})
export type Settings = z.infer<typeof Settings>

export function defaultSettings(): Settings {
  return {
    businessName: '',
    departments: [],
    staff: [],
    categories: builtInCategoryIds.map((categoryId) => ({ id: categoryId, isArchived: false })),
    currentUser: '',
    language: 'auto',
    iceberg: defaultIcebergSettings(),
    storage: defaultStorageSettings(),
    promises: defaultPromiseSettings(),
    escalation: defaultEscalationSettings(),
    reports: defaultReportSettings(),
    imports: defaultImportSettings(),
    conversation: defaultConversationSettings(),
  }
}
