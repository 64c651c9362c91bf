import { z } from 'zod'
import { Grumble } from '../iceberg/schemas'
import { CustomerPromise } from '../promises/promises'
import { Case, Customer, id, isoDateTime } from '../schemas'

/** How long a deleted item can be restored; after that a purge removes it for good. */
export const trashKeepDays = 30

export const trashKinds = ['case', 'grumble', 'promise', 'customer'] as const
export const TrashKind = z.enum(trashKinds)
export type TrashKind = z.infer<typeof TrashKind>

/**
 * The records that left their lists together, exactly as they were: a case with its promises,
 * a grumble, a promise, or a customer merged into another. Restore puts them back as they are.
 */
export const TrashedRecords = z.object({
  cases: z.array(Case).default([]),
  promises: z.array(CustomerPromise).default([]),
  grumbles: z.array(Grumble).default([]),
  customers: z.array(Customer).default([]),
})
export type TrashedRecords = z.infer<typeof TrashedRecords>

/** One item in Trash: what it was, who deleted it and when, and the records themselves. */
export const TrashEntry = z.object({
  id,
  kind: TrashKind,
  /** What the Trash list shows: a case's number and summary, a grumble's or promise's text, a name. */
  label: z.string().max(600),
  deletedAt: isoDateTime,
  deletedBy: z.string().max(200),
  records: TrashedRecords,
  /** A customer merged away: the one that kept their cases (Restore does not undo a merge). */
  mergedInto: id.optional(),
})
export type TrashEntry = z.infer<typeof TrashEntry>

/** The Trash list row: the entry without its records, and when it will be purged. */
export const TrashItem = TrashEntry.omit({ records: true }).extend({ purgeAt: isoDateTime })
export type TrashItem = z.infer<typeof TrashItem>

/** When an entry deleted at `deletedAt` is purged. */
export function purgeAt(deletedAt: string): string {
  return new Date(Date.parse(deletedAt) + trashKeepDays * 86_400_000).toISOString()
}

/** Whether an entry is past its thirty days at `now`. */
export function isExpired(entry: Pick<TrashEntry, 'deletedAt'>, now: Date): boolean {
  return purgeAt(entry.deletedAt) <= now.toISOString()
}
