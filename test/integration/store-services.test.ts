import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/services'
import { exportText } from '../../src/main/store/exchange'
import { Store, dataFileName } from '../../src/main/store/store'
import { type Case } from '../../src/shared/schemas'
import { engine, openContext, tempDir } from '../helpers/temp'
import { ok } from '../helpers/results'

describe('services on a real data folder', () => {
  it('walks a complaint through the six steps and reads it back from a new store', async () => {
    const dir = await tempDir()
    const ctx = await openContext(dir, { user: 'Anna' })
    await ok(dispatch(ctx, 'settings:update', { currentUser: 'Anna', departments: ['Kitchen'] }))
    const created = await ok<Case>(
      dispatch(ctx, 'cases:create', {
        customerName: 'Margaret Smith',
        summary: 'Cold soup',
        remedySought: 'A hot soup',
        category: 'poor-quality',
        department: 'Kitchen',
      }),
    )
    expect(created.number).toBe('C-2026-0001')
    for (const step of ['empathise', 'apologise', 'resolve', 'investigate', 'add-plus'] as const) {
      await ok(dispatch(ctx, 'cases:completeStep', { id: created.id, step, note: `did ${step}` }))
    }
    const early = await dispatch(ctx, 'cases:close', {
      id: created.id,
      reached: true,
      satisfaction: 4,
      wouldComeBack: 'yes',
    })
    expect(early.ok).toBe(false)
    if (!early.ok) expect(early.error).toMatchObject({ code: 'rule_violation', reason: 'close.steps_pending' })
    await ok(dispatch(ctx, 'cases:skipStep', { id: created.id, step: 'prevent', reason: 'Heater replaced already' }))
    const closed = await ok<Case>(
      dispatch(ctx, 'cases:close', { id: created.id, reached: true, satisfaction: 4, wouldComeBack: 'yes' }),
    )
    expect(closed.status).toBe('closed')
    const written = ctx.store.dataSet()

    const reopened = await ctx.reopen()
    expect(reopened.dataSet()).toEqual(written)
    expect(reopened.get('cases', created.id)?.timeline.map((e) => e.type)).toContain('close')
    await reopened.close()
  })

  it('leaves the stored data exactly as it was when an operation fails', async () => {
    const dir = await tempDir()
    const ctx = await openContext(dir)
    await ok(dispatch(ctx, 'demo:load', {}))
    // As the export writes it (keys sorted): a record read back from the team database has its
    // keys in the database's order, the same data.
    const before = exportText(ctx.store.dataSet())
    const [first] = await ok<{ id: string }[]>(dispatch(ctx, 'cases:list', { status: 'open' }))
    const attempts = [
      dispatch(ctx, 'cases:close', { id: first?.id, reached: false }),
      dispatch(ctx, 'cases:skipStep', { id: first?.id, step: 'resolve', reason: '' }),
      dispatch(ctx, 'cases:create', { customerName: '', summary: '', category: 'nope' }),
      dispatch(ctx, 'cases:create', { customerName: 'X', summary: 'Y', category: 'not-a-category' }),
      dispatch(ctx, 'cases:get', { id: 'missing' }),
      dispatch(ctx, 'settings:update', { categories: [] }),
      dispatch(ctx, 'demo:load', {}),
    ]
    for (const result of await Promise.all(attempts)) expect(result.ok).toBe(false)
    expect(exportText(ctx.store.dataSet())).toBe(before)
    const reopened = await ctx.reopen({ isReadOnly: true })
    expect(exportText(reopened.dataSet())).toBe(before)
  })

  it('lists with filters and finds Chinese text inside unspaced sentences', async () => {
    const ctx = await openContext(await tempDir())
    await ok(dispatch(ctx, 'demo:load', {}))
    const all = await ok<Case[]>(dispatch(ctx, 'cases:list', {}))
    expect(all.length).toBe(150)
    const hygiene = await ok<Case[]>(dispatch(ctx, 'cases:list', { category: 'hygiene', status: 'closed' }))
    expect(hygiene.length).toBeGreaterThan(0)
    expect(hygiene.every((c) => c.category === 'hygiene' && c.status === 'closed')).toBe(true)
    // "饭菜" sits inside the unspaced "外卖迟到一个多小时，饭菜都凉了" of the sample's late deliveries.
    const chinese = await ok<Case[]>(dispatch(ctx, 'cases:list', { query: '饭菜' }))
    expect(chinese.length).toBeGreaterThan(0)
    expect(chinese.every((c) => `${c.summary} ${c.description}`.includes('饭菜'))).toBe(true)
  })

  it("finds a case by its customer's new name once the customer is renamed, and no longer by the old one", async () => {
    const ctx = await openContext(await tempDir())
    await ok(dispatch(ctx, 'demo:load', {}))
    const [first] = await ok<Case[]>(dispatch(ctx, 'cases:list', { limit: 1 }))
    const { customerId, id } = first!
    const oldName = ctx.store.get('customers', customerId)!.name
    const byName = async (name: string) =>
      (await ok<Case[]>(dispatch(ctx, 'cases:list', { query: name })))
        .filter((c) => c.customerId === customerId)
        .map((c) => c.id)
    // Searched before the rename, so every case's text is cached with the old name.
    expect(await byName(oldName)).toContain(id)
    await ok(dispatch(ctx, 'customers:update', { id: customerId, name: 'Zephyrine Quillfeather' }))
    expect(await byName('Quillfeather')).toContain(id)
    expect(await byName(oldName)).toEqual([])
  })

  it('pages the same list: the pages, in order, are the whole list, each with the total', async () => {
    const ctx = await openContext(await tempDir())
    await ok(dispatch(ctx, 'demo:load', {}))
    const all = await ok<Case[]>(dispatch(ctx, 'cases:list', {}))
    const pages = []
    for (let offset = 0; offset < 150; offset += 64) {
      pages.push(await ok<{ total: number; items: Case[] }>(dispatch(ctx, 'cases:page', { offset, limit: 64 })))
    }
    expect(pages.map((p) => [p.total, p.items.length])).toEqual([
      [150, 64],
      [150, 64],
      [150, 22],
    ])
    expect(pages.flatMap((p) => p.items.map((c) => c.id))).toEqual(all.map((c) => c.id))
    const closed = await ok<{ total: number; items: Case[] }>(dispatch(ctx, 'cases:page', { status: 'closed' }))
    expect(closed.total).toBe(all.filter((c) => c.status === 'closed').length)
    expect(closed.items.length).toBeGreaterThan(0)
    expect(closed.items.every((c) => c.status === 'closed')).toBe(true)
    const refused = await dispatch(ctx, 'cases:page', { limit: 100_000 })
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
  })

  it('puts the demo in the six months before the day it is loaded', async () => {
    const ctx = await openContext(await tempDir(), { now: '2026-11-23T10:00:00.000Z' })
    const loaded = await ok<{ customers: number; cases: number }>(dispatch(ctx, 'demo:load', {}))
    // The 40 named regulars of sample.json and 93 one-off complainants (test/unit/demo-coherence.test.ts).
    expect(loaded).toEqual({ customers: 133, cases: 150 })
    const times = [...ctx.store.all('cases')].map((c) => Date.parse(c.receivedAt))
    expect(Math.max(...times)).toBeLessThanOrEqual(Date.parse('2026-11-23T10:00:00.000Z'))
    expect(Math.min(...times)).toBeGreaterThanOrEqual(Date.parse('2026-05-24T00:00:00.000Z'))
    const statuses = new Set([...ctx.store.all('cases')].map((c) => c.status))
    expect(statuses).toContain('closed')
    expect(statuses).toContain('in-recovery')
  })
})

// The folder's lock and data files: the team database's own refusals (read-only, not set up) are
// in team-store.test.ts.
describe.runIf(engine === 'folder')('the store', () => {
  it('refuses a second writer on the same folder but lets a reader in', async () => {
    const dir = await tempDir()
    const writer = await openContext(dir)
    await expect(Store.open(dir)).rejects.toMatchObject({ code: 'locked' })
    const reader = await Store.open(dir, { isReadOnly: true })
    await expect(reader.commit([{ collection: 'settings', value: writer.store.settings }])).rejects.toMatchObject({
      code: 'read_only',
    })
    await reader.close()
  })

  it('takes over a lock left by a process that is gone', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'makegood.lock'), '999999999')
    const store = await Store.open(dir)
    // It really writes: a commit lands, and a second writer is now refused.
    await store.commit([{ collection: 'settings', value: store.settings }])
    await expect(Store.open(dir)).rejects.toMatchObject({ code: 'locked', params: { pid: process.pid } })
    await store.close()
  })

  it('never overwrites a data file that fails validation, and says what is wrong', async () => {
    const dir = await tempDir()
    const broken = JSON.stringify({ schemaVersion: 1, settings: {}, customers: [], cases: [{ id: 'x' }] })
    await writeFile(join(dir, dataFileName), broken)
    await expect(Store.open(dir)).rejects.toMatchObject({ code: 'storage', reason: 'store.invalid_file' })
    expect(await readFile(join(dir, dataFileName), 'utf8')).toBe(broken)
    await writeFile(join(dir, dataFileName), '{ not json')
    await expect(Store.open(dir)).rejects.toMatchObject({ reason: 'store.invalid_file' })
  })

  it('refuses data from a newer MakeGood', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, dataFileName), JSON.stringify({ schemaVersion: 99 }))
    await expect(Store.open(dir)).rejects.toMatchObject({ reason: 'store.newer_version' })
  })
})
