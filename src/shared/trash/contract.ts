import { z } from 'zod'
import { method, nothing } from '../core/contract'
import { Grumble } from '../iceberg/schemas'
import { Customer, id } from '../schemas'
import { TrashItem } from './schemas'

/**
 * The contract part of Trash and of the corrections around it: Delete (case, grumble,
 * promise), Restore, merging two customers, likely matches for a typed customer, and editing
 * or taking back a grumble.
 */

const byId = z.object({ id }).strict()
/** Delete and restore change whatever the item held; the pattern sweep then forgets or sees it again. */
const trashChanges = { changes: ['cases', 'promises', 'grumbles', 'customers', 'trash'] as const, isSweepAfter: true }

export const GrumbleEdit = z
  .object({
    id,
    text: z.string().trim().min(1).max(500).optional(),
    suggestion: z.string().trim().max(2000).optional(),
    /** Empty clears it. */
    category: z.string().max(200).optional(),
    department: z.string().max(200).optional(),
    /** A known customer's name (or a new one); empty unlinks the customer. */
    customerName: z.string().trim().max(200).optional(),
  })
  .strict()

export const CustomerMatchOut = z.object({
  customer: Customer.pick({ id: true, name: true, email: true, phone: true }),
  reason: z.enum(['same-name', 'name-starts', 'name-contains', 'phone', 'email']),
})
export type CustomerMatchOut = z.infer<typeof CustomerMatchOut>

export const MergeOut = z.object({
  customer: Customer,
  moved: z.object({
    cases: z.number(),
    promises: z.number(),
    grumbles: z.number(),
    signals: z.number(),
    activities: z.number(),
    escalations: z.number(),
  }),
})

export const trashContract = {
  'trash:list': method(nothing, z.array(TrashItem), { reads: ['trash'] }),
  'trash:restore': method(byId, TrashItem, trashChanges),
  'cases:delete': method(byId, TrashItem, trashChanges),
  'grumbles:delete': method(byId, TrashItem, trashChanges),
  'promises:delete': method(byId, TrashItem, trashChanges),
  'grumbles:update': method(GrumbleEdit, Grumble, { changes: ['grumbles', 'customers'], isSweepAfter: true }),
  /** The Undo of "Grumble logged": removes it (and a customer only it created). */
  'grumbles:undoLog': method(byId, z.object({ id }), { changes: ['grumbles', 'customers'], isSweepAfter: true }),
  /** Likely existing customers for what is being typed (name, phone, e-mail), best first. */
  'customers:match': method(
    z
      .object({
        name: z.string().max(200).default(''),
        phone: z.string().max(200).optional(),
        email: z.string().max(200).optional(),
      })
      .strict(),
    z.array(CustomerMatchOut),
    { reads: ['customers'], isUsableWhileLoading: true },
  ),
  'customers:merge': method(z.object({ keepId: id, mergeId: id }).strict(), MergeOut, {
    changes: ['customers', 'cases', 'promises', 'grumbles', 'signals', 'activities', 'escalations', 'trash'],
    isSweepAfter: true,
  }),
}
