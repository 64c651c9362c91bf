import { readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { backUpIfDue, createBackup, listBackups, restoreBackup } from '../../src/main/services/storage/backups'
import { Store } from '../../src/main/store/store'
import { makeCase, makeCustomer, monthIso } from '../helpers/records'
import { tempDir } from '../helpers/temp'

describe('backups after a damaged file was set aside', () => {
  it('pauses automatic backups until the latest good backup is restored, which clears the problem', async () => {
    const dir = await tempDir()
    let now = new Date('2026-11-20T09:00:00.000Z')
    const first = await Store.open(dir)
    const ctx = { store: first, now: () => now }
    await first.commit([{ collection: 'customers', value: makeCustomer(1) }])
    for (let i = 0; i < 12; i++) {
      await first.commit([{ collection: 'cases', value: makeCase(i, monthIso(i, 3), 1, 'cust-1') }])
    }
    const good = await createBackup(ctx, 'manual')
    await first.close()

    const months = await readdir(join(dir, 'data', 'months'))
    await writeFile(join(dir, 'data', 'months', months[0]!), '{ "cases": [')
    const store = await Store.open(dir)
    const damaged = { store, now: () => now }
    try {
      expect(store.problems).toHaveLength(1)
      // What the cut file lost came back from the backup; the problem stays open all the same.
      expect(store.problems[0]).toMatchObject({ missing: 0 })
      expect(store.count('cases')).toBe(12)
      // A day later the daily backup is due, but a copy of what is left must not rotate the good one out.
      now = new Date('2026-11-21T09:00:00.000Z')
      expect(await backUpIfDue(damaged)).toBeUndefined()
      expect((await listBackups(damaged)).map((b) => b.name)).toEqual([good.name])

      await restoreBackup(damaged, { name: good.name })
      expect(store.problems).toEqual([])
      expect(store.count('cases')).toBe(12)
      expect(await backUpIfDue(damaged)).toMatchObject({ isAutomatic: true })
    } finally {
      await store.close()
    }
  })
})
