import { AppError } from '../../../shared/core/errors'
import { type CustomerPromise } from '../../../shared/promises/promises'
import { type Case } from '../../../shared/schemas'
import {
  type TrashEntry,
  type TrashItem,
  type TrashKind,
  type TrashedRecords,
  isExpired,
  purgeAt,
} from '../../../shared/trash/schemas'
import { type Change } from '../../store/store'
import { requireCase } from '../cases/cases'
import { type ServiceContext, actorOf, newId, sessionOf } from '../context'
import { requirePromise } from '../promises/promises'
import { promisesOfCase } from '../promises/promisesByCase'
import { requireMayDelete } from './permissions'

/**
 * Trash: Delete moves a case (with its promises and timeline), a grumble or a promise out of
 * every list, count, report and sweep (the records leave their kind, so no reader has to skip
 * them) into one Trash entry that holds them as they were. Restore puts them back; after thirty
 * days a purge removes the entry for good.
 */

const empty = (): TrashedRecords => ({ cases: [], promises: [], grumbles: [], customers: [] })

/** The changes that move records into a new Trash entry, in one commit. */
export function moveToTrash(
  ctx: ServiceContext,
  kind: TrashKind,
  label: string,
  records: Partial<TrashedRecords>,
  extra: Pick<TrashEntry, 'mergedInto'> = {},
): { entry: TrashEntry; changes: Change[] } {
  const actor = actorOf(ctx)
  const entry: TrashEntry = {
    id: newId(),
    kind,
    label: label.slice(0, 600),
    deletedAt: actor.at,
    deletedBy: actor.by,
    records: { ...empty(), ...records },
    ...extra,
  }
  const changes: Change[] = [
    ...entry.records.cases.map((r) => ({ collection: 'cases' as const, removed: r.id })),
    ...entry.records.promises.map((r) => ({ collection: 'promises' as const, removed: r.id })),
    ...entry.records.grumbles.map((r) => ({ collection: 'grumbles' as const, removed: r.id })),
    ...entry.records.customers.map((r) => ({ collection: 'customers' as const, removed: r.id })),
    { collection: 'trash', value: entry },
  ]
  return { entry, changes }
}

function item(entry: TrashEntry): TrashItem {
  const { records: _records, ...rest } = entry
  return { ...rest, purgeAt: purgeAt(entry.deletedAt) }
}

/** A case goes with its promises; its timeline is part of it. */
export async function deleteCase(ctx: ServiceContext, input: { id: string }): Promise<TrashItem> {
  requireMayDelete(ctx)
  const c = requireCase(ctx, input.id)
  const { entry, changes } = moveToTrash(ctx, 'case', `${c.number} ${c.summary}`, {
    cases: [c],
    promises: promisesOfCase(ctx.store, c.id),
  })
  await ctx.store.commit(changes)
  return item(entry)
}

export async function deleteGrumble(ctx: ServiceContext, input: { id: string }): Promise<TrashItem> {
  requireMayDelete(ctx)
  const grumble = ctx.store.get('grumbles', input.id)
  if (!grumble) throw new AppError('not_found', `No grumble ${input.id}`, { reason: 'grumble.not_found' })
  const { entry, changes } = moveToTrash(ctx, 'grumble', grumble.text, { grumbles: [grumble] })
  await ctx.store.commit(changes)
  return item(entry)
}

export async function deletePromise(ctx: ServiceContext, input: { id: string }): Promise<TrashItem> {
  requireMayDelete(ctx)
  const p: CustomerPromise = requirePromise(ctx, input.id)
  if (p.guaranteeId && p.caseId) {
    // The service guarantee follows the case's recovery steps: it leaves only with its case.
    const number = ctx.store.get('cases', p.caseId)?.number ?? p.caseId
    throw new AppError('rule_violation', `This guarantee belongs to case ${number}: delete the case instead`, {
      reason: 'trash.guarantee_with_case',
      params: { number },
    })
  }
  const { entry, changes } = moveToTrash(ctx, 'promise', p.what || p.guaranteeId || p.id, { promises: [p] })
  await ctx.store.commit(changes)
  return item(entry)
}

/** Newest first. */
export async function listTrash(ctx: ServiceContext): Promise<TrashItem[]> {
  return [...ctx.store.all('trash')].map(item).sort((a, b) => b.deletedAt.localeCompare(a.deletedAt))
}

/**
 * The customer a record names now: itself, or (followed through Trash) the one it was merged
 * into while the record was in Trash; undefined when the customer is gone for good.
 */
function customerNow(ctx: ServiceContext, customerId: string): string | undefined {
  let id: string | undefined = customerId
  for (let hops = 0; id !== undefined && hops < 20; hops++) {
    if (ctx.store.get('customers', id)) return id
    const from: string = id
    id = [...ctx.store.all('trash')].find(
      (e) => e.mergedInto !== undefined && e.records.customers.some((c) => c.id === from),
    )?.mergedInto
  }
  return undefined
}

/**
 * Puts the records back as they were and removes the entry, in one commit. A customer merged
 * away meanwhile is followed to the one that kept the cases; a record whose id is back in use
 * (or a case whose number was taken) is refused, and nothing is written.
 */
export async function restoreFromTrash(ctx: ServiceContext, input: { id: string }): Promise<TrashItem> {
  requireMayDelete(ctx)
  const entry = ctx.store.get('trash', input.id)
  if (!entry) throw new AppError('not_found', `Nothing in Trash has id ${input.id}`, { reason: 'trash.not_found' })
  const retarget = <T extends { customerId?: string }>(record: T): T => {
    if (!record.customerId) return record
    const now = customerNow(ctx, record.customerId)
    if (now === undefined) {
      throw new AppError('conflict', 'Its customer is no longer on file: restore the customer first', {
        reason: 'trash.customer_gone',
      })
    }
    return now === record.customerId ? record : { ...record, customerId: now }
  }
  const taken = (collection: 'cases' | 'promises' | 'grumbles' | 'customers', id: string) => {
    if (ctx.store.get(collection, id)) {
      throw new AppError('conflict', `A record with id ${id} is back in use; this item cannot be restored`, {
        reason: 'trash.id_in_use',
        params: { id },
      })
    }
  }
  const numbers = new Set(Array.from(ctx.store.all('cases'), (c) => c.number))
  const changes: Change[] = []
  for (const c of entry.records.customers) {
    taken('customers', c.id)
    changes.push({ collection: 'customers', value: c })
  }
  for (const c of entry.records.cases) {
    taken('cases', c.id)
    if (numbers.has(c.number)) {
      throw new AppError('conflict', `Case number ${c.number} is in use by another case`, {
        reason: 'trash.number_in_use',
        params: { number: c.number },
      })
    }
    changes.push({ collection: 'cases', value: retarget<Case>(c) })
  }
  for (const p of entry.records.promises) {
    taken('promises', p.id)
    changes.push({ collection: 'promises', value: retarget(p) })
  }
  for (const g of entry.records.grumbles) {
    taken('grumbles', g.id)
    changes.push({ collection: 'grumbles', value: retarget(g) })
  }
  changes.push({ collection: 'trash', removed: entry.id })
  await ctx.store.commit(changes)
  return item(entry)
}

/** Removes every entry past its thirty days (at start-up and hourly); answers how many went. */
export async function purgeTrash(ctx: ServiceContext): Promise<{ purged: number }> {
  // An agent's desk leaves it to a supervisor's or an owner's: the database would refuse its deletes.
  if (ctx.store.isReadOnly || !sessionOf(ctx).permissions.mayTrash) return { purged: 0 }
  const now = ctx.now()
  const expired = [...ctx.store.all('trash')].filter((entry) => isExpired(entry, now))
  if (expired.length === 0) return { purged: 0 }
  await ctx.store.commit(expired.map((entry) => ({ collection: 'trash' as const, removed: entry.id })))
  return { purged: expired.length }
}
