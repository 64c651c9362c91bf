import { type z } from 'zod'
import { Activity, Grumble, Signal } from '../../shared/iceberg/schemas'
import { CustomerPromise } from '../../shared/promises/promises'
import { Escalation, noteCheckedEscalations, parseEscalation } from '../../shared/escalations/escalation'
import { Case, Customer } from '../../shared/schemas'
import { Rubric } from '../../shared/rubrics/rubrics'
import { Attachment } from '../../shared/attachments/attachments'
import { TrashEntry } from '../../shared/trash/schemas'
import { LoggedFailure } from '../../shared/costs/schemas'

/**
 * What a kind is to the store: its schema, `monthOf` (see below) and, for a kind that needs it, a
 * cheaper `parse` with the schema's own answers, and `growingLists`: lists that changes only add
 * to, journalled as what was added (growth.ts).
 */
export type KindSpec = {
  schema: z.ZodType<{ id: string }>
  monthOf?: (record: never) => string
  parse?: (value: unknown) => { id: string }
  growingLists?: readonly string[]
  /**
   * Records of the kind read from storage and known valid (a trusted shard's list, a stamped or
   * checked row), once placed: what `parse` would know of them had it checked them.
   */
  takeTrusted?: (records: never[]) => void
}

/**
 * Every record kind the store keeps, each addressed by its `id`. Adding a kind is one entry
 * here. `monthOf` says which month a record belongs to (a case: the month it was received),
 * so storage can shard by month; kinds without it (customers) live with the global data.
 */
export const collections = {
  customers: { schema: Customer },
  cases: { schema: Case, monthOf: (record: Case) => record.receivedAt.slice(0, 7) },
  grumbles: { schema: Grumble, monthOf: (record: Grumble) => record.heardAt.slice(0, 7) },
  activities: { schema: Activity, monthOf: (record: Activity) => record.date.slice(0, 7) },
  signals: { schema: Signal, monthOf: (record: Signal) => record.raisedAt.slice(0, 7) },
  // A promise belongs to the month it was made: madeAt never changes, and a standalone promise
  // (no case) has a month too. Guarantee promises are made with their case, so they sit together.
  promises: { schema: CustomerPromise, monthOf: (record: CustomerPromise) => record.madeAt.slice(0, 7) },
  escalations: {
    schema: Escalation,
    monthOf: (record: Escalation) => record.firstRaisedAt.slice(0, 7),
    parse: parseEscalation,
    takeTrusted: noteCheckedEscalations,
    // A busy pattern gathers thousands of pieces of evidence, a piece or two per save.
    growingLists: ['evidence', 'history'],
  },
  rubrics: { schema: Rubric, monthOf: (record: Rubric) => record.firstScoredAt.slice(0, 7) },
  // The record only: the bytes are files under attachments/ (or a table in team mode).
  attachments: { schema: Attachment, monthOf: (record: Attachment) => record.addedAt.slice(0, 7) },
  // Deleted items wait in the month they were deleted: a purge then touches a month or two.
  trash: { schema: TrashEntry, monthOf: (record: TrashEntry) => record.deletedAt.slice(0, 7) },
  // Failures logged with no customer (a late truck): the month they happened.
  failures: { schema: LoggedFailure, monthOf: (record: LoggedFailure) => record.at.slice(0, 7) },
} satisfies Record<string, KindSpec>

export type CollectionName = keyof typeof collections
export type Collections = { [K in CollectionName]: z.infer<(typeof collections)[K]['schema']> }
export const collectionNames = Object.keys(collections) as CollectionName[]
