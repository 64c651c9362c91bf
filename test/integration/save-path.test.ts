import { describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/services'
import { type ServiceContext } from '../../src/main/services/context'
import { type Case } from '../../src/shared/schemas'
import { makeCase } from '../helpers/records'
import { openContext, tempDir } from '../helpers/temp'

async function call<T>(ctx: ServiceContext, method: Parameters<typeof dispatch>[1], input: unknown): Promise<T> {
  const result = await dispatch(ctx, method, input)
  if (!result.ok) throw new Error(result.error.message)
  return result.value as T
}

const create = (ctx: ServiceContext, receivedAt: string) =>
  call<Case>(ctx, 'cases:create', { customerName: 'Ana', summary: 'Cold soup', category: 'poor-quality', receivedAt })

describe('the way of a save', () => {
  it('numbers new cases per year from the highest number kept, including cases written by other paths', async () => {
    const ctx = await openContext(await tempDir())
    expect((await create(ctx, '2026-11-20T10:00:00.000Z')).number).toBe('C-2026-0001')
    expect((await create(ctx, '2025-12-31T10:00:00.000Z')).number).toBe('C-2025-0001')
    // Written straight to the store, as an import or a restore would.
    const imported = { ...makeCase(7, '2026-10-01T09:00:00.000Z'), number: 'C-2026-0041' }
    await ctx.store.commit([{ collection: 'cases', value: imported }])
    expect((await create(ctx, '2026-11-21T10:00:00.000Z')).number).toBe('C-2026-0042')
    expect((await create(ctx, '2025-06-01T10:00:00.000Z')).number).toBe('C-2025-0002')
  })

  it('numbers on from the highest number after cases are deleted, renumbered and put back', async () => {
    const ctx = await openContext(await tempDir())
    const made: Case[] = []
    for (const day of [20, 21, 22]) made.push(await create(ctx, `2026-11-${day}T10:00:00.000Z`))
    expect(made.map((c) => c.number)).toEqual(['C-2026-0001', 'C-2026-0002', 'C-2026-0003'])
    // Not the highest: nothing to count again.
    await call(ctx, 'cases:delete', { id: made[1]!.id })
    const fourth = await create(ctx, '2026-11-23T10:00:00.000Z')
    expect(fourth.number).toBe('C-2026-0004')
    // The highest goes to Trash, which keeps its number for a restore.
    await call(ctx, 'cases:delete', { id: fourth.id })
    expect((await create(ctx, '2026-11-24T10:00:00.000Z')).number).toBe('C-2026-0005')
    // Renumbered by another path (an import, a restore) above every number, then back again:
    // the number given up was the highest, so the next one follows the highest left.
    await ctx.store.commit([{ collection: 'cases', value: { ...made[0]!, number: 'C-2026-0100' } }])
    expect((await create(ctx, '2026-11-25T10:00:00.000Z')).number).toBe('C-2026-0101')
    await ctx.store.commit([{ collection: 'cases', value: { ...made[0]!, number: 'C-2026-0001' } }])
    await ctx.store.commit([{ collection: 'cases', removed: (await create(ctx, '2026-11-26T10:00:00.000Z')).id }])
    // C-2026-0102 was removed outright (a failed write put back): its number is free again.
    expect((await create(ctx, '2026-11-26T11:00:00.000Z')).number).toBe('C-2026-0102')
  })

  it('gives the new-complaint dialog the customers’ names by name, without counting their cases', async () => {
    const ctx = await openContext(await tempDir())
    await create(ctx, '2026-11-20T10:00:00.000Z')
    await call(ctx, 'customers:create', { name: 'Zoë', notes: '' })
    await call(ctx, 'customers:create', { name: 'Bo', notes: '' })
    const names = await call<{ id: string; name: string }[]>(ctx, 'customers:names', {})
    expect(names.map((c) => c.name)).toEqual(['Ana', 'Bo', 'Zoë'])
    expect(Object.keys(names[0] ?? {}).sort()).toEqual(['id', 'name'])
  })

  it('gives a dialog only the names holding what was typed, the first few by name', async () => {
    const ctx = await openContext(await tempDir())
    for (const name of ['Zoë Kovács', 'Zoltán Nagy', 'Anna Zsolnai', 'Bo Li', 'zoe Park'])
      await call(ctx, 'customers:create', { name, notes: '' })
    const names = async (input: object) =>
      (await call<{ id: string; name: string }[]>(ctx, 'customers:names', input)).map((c) => c.name)
    // Case and accents ignored, every word must be there, in name order.
    expect(await names({ query: 'ZOE' })).toEqual(['Zoë Kovács', 'zoe Park'])
    expect(await names({ query: 'zo' })).toEqual(['Zoë Kovács', 'zoe Park', 'Zoltán Nagy'])
    expect(await names({ query: 'kovacs zoe' })).toEqual(['Zoë Kovács'])
    expect(await names({ query: 'zo', limit: 2 })).toEqual(['Zoë Kovács', 'zoe Park'])
    expect(await names({ query: '', limit: 2 })).toEqual(['Anna Zsolnai', 'Bo Li'])
    expect(await names({ query: 'nobody' })).toEqual([])
    const refused = await dispatch(ctx, 'customers:names', { limit: 0 })
    expect(refused.ok).toBe(false)
  })
})
