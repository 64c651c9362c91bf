import { describe, expect, it } from 'vitest'
import { Store } from '../../src/main/store/store'
import { makeCase, makeCustomer } from '../helpers/records'
import { tempDir } from '../helpers/temp'

describe('removing a record from the data folder', () => {
  it('is gone after a journal replay and after a checkpoint, and nothing else moves', async () => {
    const dir = await tempDir()
    const store = await Store.open(dir)
    await store.commit([
      { collection: 'customers', value: makeCustomer(1) },
      { collection: 'cases', value: makeCase(1, '2026-10-03T09:00:00.000Z') },
      { collection: 'cases', value: makeCase(2, '2026-10-04T09:00:00.000Z') },
    ])
    await store.checkpoint()
    await store.commit([{ collection: 'cases', removed: 'case-1' }])
    expect(store.get('cases', 'case-1')).toBeUndefined()
    expect(store.count('cases')).toBe(1)
    // Not closed: the removal is only in the journal, as after a crash.
    const replayed = await Store.open(`${dir}`, { isReadOnly: true })
    expect(replayed.get('cases', 'case-1')).toBeUndefined()
    expect(replayed.get('cases', 'case-2')?.id).toBe('case-2')
    expect(replayed.problems).toEqual([])
    await replayed.close()
    await store.close()
    const reopened = await Store.open(dir)
    expect([...reopened.all('cases')].map((c) => c.id)).toEqual(['case-2'])
    expect(reopened.get('customers', 'cust-1')?.id).toBe('cust-1')
    await reopened.close()
  })

  it('refuses an unknown kind and leaves the data as it was', async () => {
    const dir = await tempDir()
    const store = await Store.open(dir)
    await store.commit([{ collection: 'customers', value: makeCustomer(1) }])
    const before = JSON.stringify(store.snapshot())
    await expect(
      store.commit([
        { collection: 'customers', removed: 'cust-1' },
        { collection: 'nonsense' as 'customers', removed: 'x' },
      ]),
    ).rejects.toMatchObject({ code: 'invalid_input' })
    expect(JSON.stringify(store.snapshot())).toBe(before)
    await store.close()
  })
})
