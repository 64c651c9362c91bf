import { describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/services'
import { type ServiceContext } from '../../src/main/services/context'
import { type Grumble } from '../../src/shared/iceberg/schemas'
import { type Case, type Customer } from '../../src/shared/schemas'
import { type TrashItem } from '../../src/shared/trash/schemas'
import { openContext, tempDir } from '../helpers/temp'

async function call<T>(ctx: ServiceContext, method: Parameters<typeof dispatch>[1], input: unknown = {}): Promise<T> {
  const result = await dispatch(ctx, method, input)
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`)
  return result.value as T
}

const day = 86_400_000
const at = (iso: string, days: number) => new Date(Date.parse(iso) + days * day).toISOString()
const start = '2026-11-02T10:00:00.000Z'

async function complaint(ctx: ServiceContext, customerName: string, summary: string): Promise<Case> {
  return call<Case>(ctx, 'cases:create', {
    customerName,
    summary,
    category: 'long-wait',
    severity: 'minor',
  })
}

describe('Trash: delete, restore within thirty days, purge after', () => {
  it('a deleted case leaves every list, count and report with its promises, and comes back intact', async () => {
    const dir = await tempDir()
    const ctx = await openContext(dir, { now: start, user: 'Anna' })
    await call(ctx, 'settings:update', { currentUser: 'Anna' })
    const kept = await complaint(ctx, 'Margaret Smith', 'Cold soup')
    const gone = await complaint(ctx, 'Margaret Smith', 'Waited an hour')
    await call(ctx, 'cases:completeStep', { id: gone.id, step: 'empathise', note: 'Listened' })
    const promise = await call<{ id: string }>(ctx, 'promises:create', {
      caseId: gone.id,
      what: 'Call back tomorrow',
      due: { kind: 'business-days', n: 1 },
    })
    const before = { case: ctx.store.get('cases', gone.id), promise: ctx.store.get('promises', promise.id) }
    const report = await call<{ totals?: unknown }>(ctx, 'reports:get', { month: '2026-11', locale: 'en' })

    ctx.setNow(at(start, 1))
    const trashed = await call<TrashItem>(ctx, 'cases:delete', { id: gone.id })
    expect(trashed).toMatchObject({ kind: 'case', deletedBy: 'Anna', deletedAt: at(start, 1), purgeAt: at(start, 31) })
    expect(trashed.label).toContain(gone.number)
    const list = await call<{ id: string }[]>(ctx, 'cases:list', {})
    expect(list.map((c) => c.id)).toEqual([kept.id])
    const promises = await call<{ id: string }[]>(ctx, 'promises:list', {})
    expect(promises.map((p) => p.id)).not.toContain(promise.id)
    const customers = await call<{ caseCount: number }[]>(ctx, 'customers:list', {})
    expect(customers[0]?.caseCount).toBe(1)
    const reportAfter = await call(ctx, 'reports:get', { month: '2026-11', locale: 'en' })
    expect(JSON.stringify(reportAfter)).not.toBe(JSON.stringify(report))
    expect(JSON.stringify(reportAfter)).not.toContain('Waited an hour')
    // The next case does not take the number of the one in Trash.
    const next = await complaint(ctx, 'Béla Nagy', 'Wrong bill')
    expect(next.number).not.toBe(gone.number)

    // Day 29, from a new store on the same data: still in Trash, and Restore brings it all back.
    const again = await ctx.reopen()
    let now = new Date(at(start, 29))
    const ctx2: ServiceContext = { store: again, now: () => now }
    expect((await call<TrashItem[]>(ctx2, 'trash:list')).map((t) => t.id)).toEqual([trashed.id])
    expect(await call(ctx2, 'trash:restore', { id: trashed.id })).toMatchObject({ id: trashed.id })
    expect(again.get('cases', gone.id)).toEqual(before.case)
    expect(again.get('promises', promise.id)).toEqual(before.promise)
    expect(await call<TrashItem[]>(ctx2, 'trash:list')).toEqual([])

    // Deleted again; a purge on day 30 of the new entry still keeps it, on day 31 it is gone for good.
    const second = await call<TrashItem>(ctx2, 'cases:delete', { id: gone.id })
    now = new Date(at(start, 29 + 29))
    expect(await call(ctx2, 'trash:list')).toHaveLength(1)
    const { purgeTrash } = await import('../../src/main/services/trash/trash')
    expect(await purgeTrash(ctx2)).toEqual({ purged: 0 })
    now = new Date(at(start, 29 + 30))
    expect(await purgeTrash(ctx2)).toEqual({ purged: 1 })
    expect(await call(ctx2, 'trash:list')).toEqual([])
    expect(await dispatch(ctx2, 'trash:restore', { id: second.id })).toMatchObject({
      ok: false,
      error: { code: 'not_found', reason: 'trash.not_found' },
    })
    expect(again.get('cases', gone.id)).toBeUndefined()
    expect(again.get('promises', promise.id)).toBeUndefined()
    await again.close()
    const reread = await ctx.reopen({ isReadOnly: true })
    expect(reread.count('trash')).toBe(0)
    expect(reread.get('cases', gone.id)).toBeUndefined()
    await reread.close()
  })

  it('deletes and restores a grumble and a promise; a guarantee leaves only with its case', async () => {
    const ctx = await openContext(await tempDir(), { now: start })
    const grumble = await call<Grumble>(ctx, 'grumbles:log', { text: 'Music too loud', customerName: 'Ági' })
    const p = await call<{ id: string }>(ctx, 'promises:create', {
      customerName: 'Ági',
      what: 'Send the recipe',
      due: { kind: 'business-days', n: 2 },
    })
    const g = await call<TrashItem>(ctx, 'grumbles:delete', { id: grumble.id })
    const pr = await call<TrashItem>(ctx, 'promises:delete', { id: p.id })
    expect(await call(ctx, 'grumbles:list', {})).toEqual([])
    expect(await call(ctx, 'promises:list', {})).toEqual([])
    expect((await call<TrashItem[]>(ctx, 'trash:list')).map((t) => [t.kind, t.label]).sort()).toEqual([
      ['grumble', 'Music too loud'],
      ['promise', 'Send the recipe'],
    ])
    await call(ctx, 'trash:restore', { id: g.id })
    await call(ctx, 'trash:restore', { id: pr.id })
    const c = await complaint(ctx, 'Ági', 'Cold soup')
    const guarantee = [...ctx.store.all('promises')].find((x) => x.caseId === c.id && x.guaranteeId)
    expect(guarantee).toBeDefined()
    expect(await dispatch(ctx, 'promises:delete', { id: guarantee!.id })).toMatchObject({
      ok: false,
      error: { code: 'rule_violation', reason: 'trash.guarantee_with_case' },
    })
    expect(ctx.store.get('grumbles', grumble.id)).toEqual(grumble)
    expect(ctx.store.get('promises', p.id)?.what).toBe('Send the recipe')
  })
})

describe('Merge customers', () => {
  it('moves cases, promises, grumbles, signals and activity to the kept customer; each case timeline says so', async () => {
    const ctx = await openContext(await tempDir(), { now: start, user: 'Anna' })
    await call(ctx, 'settings:update', { currentUser: 'Anna' })
    const a = await call<Customer>(ctx, 'customers:create', { name: 'Kovács Anna', phone: '+36 30 123 4567' })
    const b = await call<Customer>(ctx, 'customers:create', {
      name: 'Anna Kovacs',
      email: 'anna@example.com',
      notes: 'Allergic to nuts',
    })
    const c1 = await call<Case>(ctx, 'cases:create', {
      customerId: b.id,
      summary: 'Cold soup',
      category: 'poor-quality',
      severity: 'minor',
    })
    const c2 = await call<Case>(ctx, 'cases:create', {
      customerId: a.id,
      summary: 'Long wait',
      category: 'long-wait',
      severity: 'minor',
    })
    const promise = await call<{ id: string }>(ctx, 'promises:create', {
      customerId: b.id,
      what: 'Call back',
      due: { kind: 'business-days', n: 1 },
    })
    const grumble = await call<Grumble>(ctx, 'grumbles:log', { text: 'Too salty', customerId: b.id })
    await ctx.store.commit(
      ['2026-10-01', '2026-10-08'].map((date, i) => ({
        collection: 'activities' as const,
        value: {
          id: `visit-${i}`,
          customerId: b.id,
          date: `${date}T12:00:00.000Z`,
          amount: 12,
          source: 'import' as const,
        },
      })),
    )
    const signal = await call<{ id: string }>(ctx, 'signals:raise', { customerId: b.id, note: 'Has not been back' })
    const activityIds = [...ctx.store.all('activities')].filter((x) => x.customerId === b.id).map((x) => x.id)
    // The case's service guarantees are promises to the customer too.
    const promiseIds = [...ctx.store.all('promises')].filter((x) => x.customerId === b.id).map((x) => x.id)
    expect(promiseIds).toContain(promise.id)

    const merged = await call<{ customer: Customer; moved: Record<string, number> }>(ctx, 'customers:merge', {
      keepId: a.id,
      mergeId: b.id,
    })
    expect(merged.moved).toMatchObject({ cases: 1, promises: promiseIds.length, grumbles: 1, signals: 1 })
    expect(activityIds).toHaveLength(2)
    expect(merged.moved.activities).toBe(2)
    expect(merged.customer).toMatchObject({
      id: a.id,
      name: 'Kovács Anna',
      phone: '+36 30 123 4567',
      email: 'anna@example.com',
      notes: 'Allergic to nuts',
    })
    expect(ctx.store.get('customers', b.id)).toBeUndefined()
    expect(ctx.store.get('cases', c1.id)?.customerId).toBe(a.id)
    expect(ctx.store.get('cases', c1.id)?.timeline.at(-1)).toMatchObject({
      type: 'customer-merged',
      before: 'Anna Kovacs',
      after: 'Kovács Anna',
      by: 'Anna',
    })
    expect(ctx.store.get('cases', c2.id)?.timeline.some((e) => e.type === 'customer-merged')).toBe(false)
    for (const id of promiseIds) expect(ctx.store.get('promises', id)?.customerId).toBe(a.id)
    expect(ctx.store.get('grumbles', grumble.id)?.customerId).toBe(a.id)
    expect(ctx.store.get('signals', signal.id)?.customerId).toBe(a.id)
    for (const id of activityIds) expect(ctx.store.get('activities', id)?.customerId).toBe(a.id)
    const view = await call<{ cases: { id: string }[] }>(ctx, 'customers:get', { id: a.id })
    expect(view.cases.map((c) => c.id).sort()).toEqual([c1.id, c2.id].sort())
    const trash = await call<TrashItem[]>(ctx, 'trash:list')
    expect(trash).toMatchObject([{ kind: 'customer', mergedInto: a.id, label: 'Anna Kovacs → Kovács Anna' }])

    // A case of the merged-away customer that was in Trash comes back to the kept one.
    const c3 = await call<Case>(ctx, 'cases:create', {
      customerId: a.id,
      summary: 'Third',
      category: 'other',
      severity: 'minor',
    })
    const t3 = await call<TrashItem>(ctx, 'cases:delete', { id: c3.id })
    await call(ctx, 'trash:restore', { id: t3.id })
    expect(ctx.store.get('cases', c3.id)?.customerId).toBe(a.id)
  })

  it('a repeat-complainer escalation follows to the kept customer, and the next sweep raises no second one', async () => {
    const ctx = await openContext(await tempDir(), { now: '2026-11-23T10:00:00.000Z' })
    await call(ctx, 'demo:load')
    const raised = [...ctx.store.all('escalations')].find((e) => e.rule === 'repeat-complainer')
    expect(raised?.subject.customerId).toBeDefined()
    const kept = await call<Customer>(ctx, 'customers:create', { name: 'The same person, on file again' })
    await call(ctx, 'customers:merge', { keepId: kept.id, mergeId: raised!.subject.customerId })
    expect(ctx.store.get('escalations', raised!.id)).toMatchObject({
      subject: { customerId: kept.id },
      patternKey: `repeat-complainer/${kept.id}`,
    })
    await call(ctx, 'escalations:sweep', {})
    const about = [...ctx.store.all('escalations')].filter(
      (e) => e.rule === 'repeat-complainer' && e.subject.customerId === kept.id,
    )
    expect(about.map((e) => e.id)).toEqual([raised!.id])
  })

  it('refuses the same customer twice and an unknown one, writing nothing', async () => {
    const ctx = await openContext(await tempDir(), { now: start })
    const a = await call<Customer>(ctx, 'customers:create', { name: 'Anna' })
    const before = JSON.stringify(ctx.store.dataSet())
    expect(await dispatch(ctx, 'customers:merge', { keepId: a.id, mergeId: a.id })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', reason: 'merge.same_customer' },
    })
    expect(await dispatch(ctx, 'customers:merge', { keepId: a.id, mergeId: 'nobody' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    })
    expect(JSON.stringify(ctx.store.dataSet())).toBe(before)
  })
})

describe('Grumbles: edit, and Undo of a log', () => {
  it('edits the words and clears a category; Undo removes the grumble and the customer only it created', async () => {
    const ctx = await openContext(await tempDir(), { now: start })
    const g = await call<Grumble>(ctx, 'grumbles:log', {
      text: 'Soup cold',
      customerName: 'Zoltán Új',
      category: 'poor-quality',
    })
    const edited = await call<Grumble>(ctx, 'grumbles:update', { id: g.id, text: 'Soup stone cold', category: '' })
    expect(edited).toMatchObject({ id: g.id, text: 'Soup stone cold', customerId: g.customerId })
    expect(edited.category).toBeUndefined()
    expect(ctx.store.get('grumbles', g.id)).toEqual(edited)
    await call(ctx, 'grumbles:undoLog', { id: g.id })
    expect(ctx.store.get('grumbles', g.id)).toBeUndefined()
    expect(ctx.store.count('customers')).toBe(0)

    const known = await call<Customer>(ctx, 'customers:create', { name: 'Regular' })
    // A customer created at another instant was not made by the log that Undo takes back.
    ctx.setNow(at(start, 0.001))
    const h = await call<Grumble>(ctx, 'grumbles:log', { text: 'Loud', customerId: known.id })
    await call(ctx, 'grumbles:undoLog', { id: h.id })
    expect(ctx.store.get('customers', known.id)).toEqual(known)
  })
})
