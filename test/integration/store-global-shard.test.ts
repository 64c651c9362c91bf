import { describe, expect, it } from 'vitest'
import { Store } from '../../src/main/store/store'
import { makeCase, makeCustomer } from '../helpers/records'
import { crashCopy, tempDir } from '../helpers/temp'

const quiet = { checkpointEntries: 1_000_000, checkpointIdleMs: 1_000_000 }

describe('the global shard read as one list per kind', () => {
  it('gives way to the journal’s customers after a crash, from the lazy open’s first answer to after the checkpoint', async () => {
    const dir = await tempDir()
    const store = await Store.open(dir, quiet)
    await store.commit([1, 2, 3].map((i) => ({ collection: 'customers', value: makeCustomer(i) })))
    await store.commit([{ collection: 'cases', value: makeCase(1, '2026-11-03T09:00:00.000Z', 1, 'cust-1') }])
    await store.checkpoint()
    // Only in the journal, as after a crash: an edit and a removal of customers the shard holds.
    await store.commit([
      { collection: 'customers', value: { ...makeCustomer(2), name: 'Renamed after the checkpoint' } },
      { collection: 'customers', removed: 'cust-3' },
    ])
    const crashed = await crashCopy(dir)
    await store.close()

    const lazy = await Store.open(crashed, { ...quiet, isLazy: true })
    // Answered before the older work (sharing strings, months) is done: the journal already won.
    expect(lazy.get('customers', 'cust-2')?.name).toBe('Renamed after the checkpoint')
    expect(lazy.get('customers', 'cust-3')).toBeUndefined()
    expect(lazy.get('customers', 'cust-1')).toEqual(makeCustomer(1))
    await lazy.whenFullyLoaded()
    expect(lazy.get('customers', 'cust-1')).toEqual(makeCustomer(1))
    expect(lazy.problems).toEqual([])
    // The checkpoint empties the journal: the shard must now hold the journal's word.
    await lazy.checkpoint()
    await lazy.close()

    const reopened = await Store.open(crashed, quiet)
    expect([...reopened.all('customers')].map((c) => [c.id, c.name])).toEqual([
      ['cust-1', makeCustomer(1).name],
      ['cust-2', 'Renamed after the checkpoint'],
    ])
    expect(reopened.get('cases', 'case-1')?.customerId).toBe('cust-1')
    await reopened.close()
  })
})
