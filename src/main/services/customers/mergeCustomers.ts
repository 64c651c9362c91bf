import { AppError } from '../../../shared/core/errors'
import { type Customer, type TimelineEvent } from '../../../shared/schemas'
import { type Change } from '../../store/store'
import { type ServiceContext, actorOf } from '../context'
import { moveToTrash } from '../trash/trash'
import { requireMayDelete } from '../trash/permissions'
import { requireCustomer } from './customerRecords'
import { grumblesOfCustomer } from '../iceberg/oldGrumbles'
import { promisesOfCustomer } from '../promises/oldPromises'

export type MergeResult = {
  customer: Customer
  moved: { cases: number; promises: number; grumbles: number; signals: number; activities: number; escalations: number }
}

/** `repeat-complainer/<id>` or `broken-promises/customer/<id>` with the other customer's id. */
function customerPatternKey(key: string, fromId: string, toId: string): string | undefined {
  const suffix = `/${encodeURIComponent(fromId)}`
  return key.endsWith(suffix) ? `${key.slice(0, -suffix.length)}/${encodeURIComponent(toId)}` : undefined
}

/** Keeps what the kept record lacks: an e-mail, a phone, notes (both kept), the advocate mark. */
function combined(keep: Customer, gone: Customer): Customer {
  const notes = [keep.notes.trim(), gone.notes.trim()].filter((n) => n !== '')
  return {
    ...keep,
    ...(keep.email ? {} : gone.email ? { email: gone.email } : {}),
    ...(keep.phone ? {} : gone.phone ? { phone: gone.phone } : {}),
    notes: [...new Set(notes)].join('\n\n').slice(0, 10_000),
    ...(keep.isAdvocate || gone.isAdvocate ? { isAdvocate: true } : {}),
    createdAt: keep.createdAt < gone.createdAt ? keep.createdAt : gone.createdAt,
  }
}

/**
 * Two records of one person become one: every case, promise, grumble, churn signal, visit and
 * escalation of `mergeId` moves to `keepId`, each moved case's timeline says so, and the merged
 * record goes to Trash (marked with the customer it went into). One commit: all or nothing.
 */
export async function mergeCustomers(
  ctx: ServiceContext,
  input: { keepId: string; mergeId: string },
): Promise<MergeResult> {
  requireMayDelete(ctx)
  if (input.keepId === input.mergeId) {
    throw new AppError('invalid_input', 'Pick two different customers to merge', {
      reason: 'merge.same_customer',
      details: [{ path: 'mergeId', message: 'Same as keepId' }],
    })
  }
  const keep = requireCustomer(ctx, input.keepId)
  const gone = requireCustomer(ctx, input.mergeId)
  const actor = actorOf(ctx)
  const changes: Change[] = []
  const moved = { cases: 0, promises: 0, grumbles: 0, signals: 0, activities: 0, escalations: 0 }
  for (const c of ctx.store.all('cases')) {
    if (c.customerId !== gone.id) continue
    const event: TimelineEvent = {
      at: actor.at,
      by: actor.by,
      type: 'customer-merged',
      field: 'customer',
      before: gone.name,
      after: keep.name,
    }
    changes.push({
      collection: 'cases',
      value: { ...c, customerId: keep.id, updatedAt: actor.at, timeline: [...c.timeline, event] },
    })
    moved.cases++
  }
  for (const p of promisesOfCustomer(ctx.store, gone.id)) {
    changes.push({ collection: 'promises', value: { ...p, customerId: keep.id } })
    moved.promises++
  }
  for (const g of grumblesOfCustomer(ctx.store, gone.id)) {
    changes.push({ collection: 'grumbles', value: { ...g, customerId: keep.id } })
    moved.grumbles++
  }
  for (const s of ctx.store.all('signals')) {
    if (s.customerId !== gone.id) continue
    changes.push({ collection: 'signals', value: { ...s, customerId: keep.id } })
    moved.signals++
  }
  for (const a of ctx.store.all('activities')) {
    if (a.customerId !== gone.id) continue
    changes.push({ collection: 'activities', value: { ...a, customerId: keep.id } })
    moved.activities++
  }
  // A pattern about the merged customer becomes the kept one's, under the key the sweep will
  // compute for it, unless the kept customer already has that pattern (then it stays as it was
  // raised, now naming the kept customer).
  const keys = new Set(Array.from(ctx.store.all('escalations'), (e) => e.patternKey))
  for (const e of ctx.store.all('escalations')) {
    if (e.subject.customerId !== gone.id) continue
    const rekeyed = customerPatternKey(e.patternKey, gone.id, keep.id)
    const patternKey = rekeyed && !keys.has(rekeyed) ? rekeyed : e.patternKey
    keys.add(patternKey)
    changes.push({
      collection: 'escalations',
      value: { ...e, patternKey, subject: { ...e.subject, customerId: keep.id } },
    })
    moved.escalations++
  }
  const customer = combined(keep, gone)
  changes.push({ collection: 'customers', value: customer })
  const trashed = moveToTrash(
    ctx,
    'customer',
    `${gone.name} → ${keep.name}`,
    { customers: [gone] },
    {
      mergedInto: keep.id,
    },
  )
  await ctx.store.commit([...changes, ...trashed.changes])
  return { customer, moved }
}
