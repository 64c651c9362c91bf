import { readFile, rename, stat, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { handlers } from '../../src/main/services'
import { sweepEscalations } from '../../src/main/services/escalations/escalations'
import { keptOnDisk, readColdList } from '../../src/main/store/coldMonths'
import { Store } from '../../src/main/store/store'
import { makeCase, makeCustomer, makeGrumble, makePromise, makeSignal, monthIso } from '../helpers/records'
import { crashCopy, tempDir } from '../helpers/temp'

const months = 8
const quiet = { checkpointEntries: 1_000_000, checkpointIdleMs: 1_000_000 }
/** The newest two months are read at start-up; the six older ones leave their grumbles on disk. */
const cold = { warmMonths: 2, ...quiet }
const icebergQuery = { from: '2026-10', to: '2026-11', category: undefined, department: undefined }
const now = () => new Date('2026-11-20T10:00:00.000Z')

/** 32 cases over 8 months (or `span`, to November 2026), each with a promise, three grumbles and a churn signal. */
async function seeded(dir: string, span = months): Promise<void> {
  const store = await Store.open(dir)
  const customer = makeCustomer(1)
  const collections = {
    customers: [customer],
    cases: Array.from({ length: 32 }, (_, i) => makeCase(i, monthIso(i, span), 1, customer.id)),
    promises: Array.from({ length: 32 }, (_, i) => makePromise(i, monthIso(i, span), `case-${i}`, customer.id)),
    grumbles: Array.from({ length: 96 }, (_, i) => makeGrumble(i, monthIso(Math.floor(i / 3), span), customer.id)),
    signals: Array.from({ length: 32 }, (_, i) => makeSignal(i, monthIso(i, span), customer.id)),
  }
  await store.replaceAll({ schemaVersion: 2, settings: store.settings, collections })
  await store.close()
}

/** What an ordinary open of the folder (every record read) answers. */
async function fullRead(dir: string): Promise<string> {
  const store = await Store.open(dir, { isReadOnly: true })
  const data = JSON.stringify(store.dataSet())
  await store.close()
  return data
}

const monthOf = (index: number) => monthIso(index, months).slice(0, 7)
const oldMonths = Array.from({ length: 6 }, (_, i) => monthOf(i + 2))

describe('grumbles of older months stay on disk until asked for', () => {
  it('opens with the old months on disk and answers every read as a full read does', async () => {
    const dir = await tempDir()
    await seeded(dir)
    const expected = await fullRead(dir)

    const store = await Store.open(dir, { isLazy: true, ...cold })
    await store.whenFullyLoaded()
    expect(store.monthsOnDisk('grumbles')).toEqual(oldMonths)
    // Only the grumbles of the two newest months are in memory; other kinds are whole.
    expect([...store.allFrom('grumbles', monthOf(1))]).toHaveLength(24)
    expect(store.monthsOnDisk('grumbles')).toEqual(oldMonths)
    expect([...store.allFrom('cases', '')]).toHaveLength(32)
    // One old grumble by id reads in its month only.
    expect(store.get('grumbles', 'grumble-20')?.heardAt.slice(0, 7)).toBe(monthOf(6))
    expect(store.monthsOnDisk('grumbles')).toEqual(oldMonths.filter((m) => m !== monthOf(6)))
    // The whole list and the export read the rest from disk without keeping it: the export is
    // byte for byte the full read's.
    const stillOnDisk = oldMonths.filter((m) => m !== monthOf(6))
    expect(store.count('grumbles')).toBe(96)
    expect([...store.all('grumbles')]).toHaveLength(96)
    expect(JSON.stringify(store.dataSet())).toBe(expected)
    expect(store.monthsOnDisk('grumbles')).toEqual(stillOnDisk)
    await store.close()
  })

  it('by default the newest seven months keep their grumbles and signals in memory', async () => {
    const dir = await tempDir()
    await seeded(dir)
    const store = await Store.open(dir, { isLazy: true, ...quiet })
    await store.whenFullyLoaded()
    expect(store.monthsOnDisk('grumbles')).toEqual([monthOf(7)])
    expect(store.monthsOnDisk('signals')).toEqual([monthOf(7)])
    await store.close()
  })

  it('a record only shown is read from its line: every old grumble and signal, and no month comes back', async () => {
    const dir = await tempDir()
    await seeded(dir)
    const full = await Store.open(dir, { isReadOnly: true })
    const everyRecord = { grumbles: [...full.all('grumbles')], signals: [...full.all('signals')] }
    await full.close()

    const store = await Store.open(dir, cold)
    for (const kind of ['grumbles', 'signals'] as const) {
      const onDisk = store.monthsOnDisk(kind)
      expect(onDisk).toEqual(oldMonths)
      for (const record of everyRecord[kind]) expect(store.peek(kind, record.id)).toEqual(record)
      expect(store.peek(kind, `${kind}-none`)).toBeUndefined()
      expect(store.monthsOnDisk(kind)).toEqual(onDisk)
    }
    await store.close()
  })

  it('a change, a removal and a new grumble in old months keep those months whole on disk', async () => {
    const dir = await tempDir()
    await seeded(dir)
    const store = await Store.open(dir, cold)
    const changed = { ...makeGrumble(23, monthIso(7, months), 'cust-1'), text: 'Changed while on disk' }
    await store.commit([{ collection: 'grumbles', value: changed }])
    await store.commit([{ collection: 'grumbles', removed: 'grumble-17' }])
    await store.commit([{ collection: 'grumbles', value: makeGrumble(500, monthIso(4, months), 'cust-1') }])
    // A case of another old month: that month's grumbles and churn signals stay on disk, and its
    // shard is rewritten with their lines copied from the file it replaces.
    await store.commit([{ collection: 'cases', value: makeCase(3, monthIso(3, months), 2, 'cust-1') }])
    const stillOnDisk = oldMonths.filter((m) => ![monthOf(7), monthOf(5), monthOf(4)].includes(m))
    expect(store.monthsOnDisk('grumbles')).toEqual(stillOnDisk)
    expect(store.monthsOnDisk('signals')).toEqual(oldMonths)
    const shard = join(dir, 'data', 'months', `${monthOf(3)}.json`)
    const before = await readFile(shard, 'utf8')
    await store.checkpoint()
    const after = await readFile(shard, 'utf8')
    // The case's line changed; the grumbles' and signals' lines are the same text, at other places.
    expect(after).not.toBe(before)
    const linesOf = (text: string, kind: string) => text.split('\n').filter((l) => l.startsWith(`    {"id":"${kind}-`))
    expect(linesOf(after, 'grumble')).toEqual(linesOf(before, 'grumble'))
    expect(linesOf(after, 'signal')).toEqual(linesOf(before, 'signal'))
    // Still on disk, read from the new file: each record, the lists and the export as a full read has them.
    expect(store.monthsOnDisk('grumbles')).toEqual(stillOnDisk)
    expect(store.monthsOnDisk('signals')).toEqual(oldMonths)
    expect(store.peek('grumbles', 'grumble-9')?.heardAt.slice(0, 7)).toBe(monthOf(3))
    expect(store.peek('signals', 'signal-3')?.raisedAt.slice(0, 7)).toBe(monthOf(3))
    expect(JSON.stringify(store.dataSet())).toBe(await fullRead(dir))
    expect(store.monthsOnDisk('grumbles')).toEqual(stillOnDisk)
    await store.close()

    const reopened = await Store.open(dir, { isReadOnly: true })
    expect(reopened.count('grumbles')).toBe(96)
    expect(reopened.get('grumbles', 'grumble-23')?.text).toBe('Changed while on disk')
    expect(reopened.get('grumbles', 'grumble-17')).toBeUndefined()
    expect(reopened.get('grumbles', 'grumble-500')?.heardAt).toBe(monthIso(4, months))
    expect([...reopened.all('grumbles')].filter((g) => g.heardAt.startsWith(monthOf(3)))).toHaveLength(12)
    await reopened.close()
  })

  it('while a checkpoint puts an old month’s new file in place, its lists on disk read from either file', async () => {
    const dir = await tempDir()
    await seeded(dir)
    const store = await Store.open(dir, cold)
    const list = store.listsOnDisk('grumbles').find((l) => l.month === monthOf(3))!
    const expected = [...readColdList(list)]
    const shard = join(dir, 'data', 'months', `${monthOf(3)}.json`)
    const old = await readFile(shard)
    // The new file as a checkpoint writes it: here, the same lines 11 bytes further on.
    const copy = keptOnDisk(list)
    copy.placedAt(list.starts[0]! + 11)
    const tmp = `${shard}.new`
    await writeFile(tmp, Buffer.concat([Buffer.from(' '.repeat(11)), old]))
    const written = await stat(tmp)
    copy.moving({ bytes: written.size, mtimeMs: written.mtimeMs })
    expect(readColdList(list)).toEqual(expected)
    await rename(tmp, shard)
    // Renamed, not yet taken as the list's file: read where the lines moved to.
    expect(readColdList(list)).toEqual(expected)
    expect(store.peek('grumbles', 'grumble-9')).toEqual(expected.find((g) => g.id === 'grumble-9'))
    copy.moved()
    expect(readColdList(list)).toEqual(expected)
    expect(list.moving).toBeUndefined()
    // Any other file is refused, as before.
    await utimes(shard, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'))
    expect(() => readColdList(list)).toThrow(/changed on disk/)
    await store.close()
  })

  it('readers of months on disk answer throughout a checkpoint that rewrites them', async () => {
    const dir = await tempDir()
    await seeded(dir)
    const expected = await fullRead(dir)
    const store = await Store.open(dir, cold)
    // A case in each old month: every old shard is rewritten, its grumbles and signals copied.
    for (const i of [2, 3, 4, 5, 6, 7])
      await store.commit([{ collection: 'cases', value: makeCase(i, monthIso(i, months), 1, 'cust-1') }])
    const checkpoint = store.checkpoint()
    let isDone = false
    void checkpoint.finally(() => (isDone = true))
    let reads = 0
    while (!isDone) {
      expect(store.peek('grumbles', 'grumble-20')?.id).toBe('grumble-20')
      expect([...store.all('signals')]).toHaveLength(32)
      reads++
      await new Promise((resolve) => setImmediate(resolve))
    }
    await checkpoint
    expect(reads).toBeGreaterThan(1)
    expect(store.monthsOnDisk('grumbles')).toEqual(oldMonths)
    expect(JSON.stringify(store.dataSet())).toBe(expected)
    await store.close()
    expect(await fullRead(dir)).toBe(expected)
  })

  it('a grumble found in a newer month’s file brings the month it belongs to in whole, and is written there', async () => {
    const dir = await tempDir()
    await seeded(dir)
    // A grumble of an old month written into the newest month's file (edited by hand: the file
    // is no longer as the manifest knows it, so every record of it is checked).
    const newest = join(dir, 'data', 'months', `${monthOf(0)}.json`)
    const text = await readFile(newest, 'utf8')
    const stray = makeGrumble(700, monthIso(5, months), 'cust-1')
    const at = text.indexOf('\n    {"id":"grumble-') + 1
    await writeFile(newest, `${text.slice(0, at)}    ${JSON.stringify(stray)},\n${text.slice(at)}`)

    const store = await Store.open(dir, { isLazy: true, ...cold })
    await store.whenFullyLoaded()
    expect(store.monthsOnDisk('grumbles')).not.toContain(monthOf(5))
    expect([...store.all('grumbles')].filter((g) => g.id === stray.id)).toHaveLength(1)
    // A case of that month changes: the month is written with the stray grumble in it.
    await store.commit([{ collection: 'cases', value: makeCase(5, monthIso(5, months), 2, 'cust-1') }])
    await store.checkpoint()
    await store.close()
    const written = await readFile(join(dir, 'data', 'months', `${monthOf(5)}.json`), 'utf8')
    expect(written).toContain(`{"id":"${stray.id}"`)
    expect(await readFile(newest, 'utf8')).not.toContain(`{"id":"${stray.id}"`)
    const reopened = await Store.open(dir, { isReadOnly: true })
    expect(reopened.count('grumbles')).toBe(97)
    await reopened.close()
  })

  it('after a crash, the journal’s copy of an old grumble wins over the one on disk', async () => {
    const dir = await tempDir()
    await seeded(dir)
    const store = await Store.open(dir, cold)
    const changed = { ...makeGrumble(22, monthIso(7, months), 'cust-1'), text: 'Only in the journal' }
    await store.commit([{ collection: 'grumbles', value: changed }])
    const crashed = await crashCopy(dir)
    await store.close()

    const reopened = await Store.open(crashed, { isLazy: true, ...cold })
    await reopened.whenFullyLoaded()
    // That month is read in whole at start-up: it must be written again before the journal goes.
    expect(reopened.monthsOnDisk('grumbles')).not.toContain(monthOf(7))
    expect(reopened.get('grumbles', 'grumble-22')?.text).toBe('Only in the journal')
    expect(reopened.count('grumbles')).toBe(96)
    await reopened.close()
  })

  it('the pattern sweep and this year’s iceberg leave older months on disk and answer as a full read does', async () => {
    const dir = await tempDir()
    await seeded(dir)
    const full = await Store.open(dir, quiet)
    const fullCtx = { store: full, now }
    const expectedSweep = await sweepEscalations(fullCtx)
    const expectedIceberg = await handlers['iceberg:get'](fullCtx, icebergQuery)
    await full.close()

    const seededAgain = await tempDir()
    await seeded(seededAgain)
    const store = await Store.open(seededAgain, cold)
    const ctx = { store, now }
    expect(await sweepEscalations(ctx)).toEqual(expectedSweep)
    // The default pattern windows reach back about three months, the trend twelve: the months
    // they count are read from disk, and none is kept.
    expect(store.monthsOnDisk('grumbles')).toEqual(oldMonths)
    expect(await handlers['iceberg:get'](ctx, icebergQuery)).toEqual(expectedIceberg)
    await store.close()
  })

  it('the iceberg counts older months from their summaries, as far back as its trend reaches, as a full read does', async () => {
    const dir = await tempDir()
    // Over 16 months (to November 2026): the trend of the first query starts in December 2025,
    // so the months before stay out of it.
    await seeded(dir, 16)
    const queries = [
      icebergQuery,
      { ...icebergQuery, from: '2025-12', to: '2025-12' },
      { ...icebergQuery, from: '2025-08', to: '2025-11', category: makeGrumble(5, '', '').category },
    ]
    const full = await Store.open(dir, { isReadOnly: true })
    const expected = await Promise.all(queries.map((q) => handlers['iceberg:get']({ store: full, now }, q)))
    await full.close()

    const store = await Store.open(dir, cold)
    expect(store.monthsOnDisk('grumbles')).toHaveLength(14)
    for (const [i, query] of queries.entries())
      expect(await handlers['iceberg:get']({ store, now }, query)).toEqual(expected[i])
    expect(store.monthsOnDisk('grumbles')).toHaveLength(14)
    await store.close()
  })

  it('an old month changed on disk while open is reported, not read', async () => {
    const dir = await tempDir()
    await seeded(dir)
    const store = await Store.open(dir, cold)
    const shard = join(dir, 'data', 'months', `${monthOf(7)}.json`)
    await utimes(shard, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'))
    expect(() => [...store.all('grumbles')]).toThrow(/changed on disk/)
    expect(() => store.get('grumbles', 'grumble-23')).toThrow(/changed on disk/)
    await store.close()
  })

  it('an old list not as the manifest counted is read into memory at start-up, and answers as a full read does', async () => {
    const dir = await tempDir()
    await seeded(dir)
    const manifestPath = join(dir, 'data', 'manifest.json')
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as {
      shards: Record<string, { bytes: number; mtimeMs: number; counts: Record<string, number> }>
    }
    // One month counted with a grumble more than it holds; in another, two grumbles written on
    // one line (the manifest then describes the edited file, so the shard is still trusted).
    manifest.shards[monthOf(3)]!.counts.grumbles! += 1
    const edited = join(dir, 'data', 'months', `${monthOf(5)}.json`)
    const text = await readFile(edited, 'utf8')
    const second = text.indexOf('\n    {"id":"grumble-', text.indexOf('{"id":"grumble-'))
    await writeFile(edited, `${text.slice(0, second)} ${text.slice(second + 5)}`)
    const info = await stat(edited)
    Object.assign(manifest.shards[monthOf(5)]!, { bytes: info.size, mtimeMs: info.mtimeMs })
    await writeFile(manifestPath, JSON.stringify(manifest))
    const expected = await fullRead(dir)

    const store = await Store.open(dir, { isLazy: true, ...cold })
    await store.whenFullyLoaded()
    expect(store.count('grumbles')).toBe(96)
    // A case saved in the miscounted month: its shard is written again whole, with its grumbles.
    await store.commit([{ collection: 'cases', value: makeCase(3, monthIso(3, months), 2, 'cust-1') }])
    const expectedOnDisk = oldMonths.filter((m) => m !== monthOf(3) && m !== monthOf(5))
    expect(store.monthsOnDisk('grumbles')).toEqual(expectedOnDisk)
    expect(store.getInMemory('grumbles', 'grumble-15')?.id).toBe('grumble-15')
    expect(store.getInMemory('grumbles', 'grumble-9')?.id).toBe('grumble-9')
    // Every record as a full read has it, but the case saved since (its id is the same).
    const { cases = [], ...rest } = store.dataSet().collections
    const { cases: expectedCases = [], ...expectedRest } = (JSON.parse(expected) as ReturnType<Store['dataSet']>)
      .collections
    expect(JSON.parse(JSON.stringify(rest))).toEqual(expectedRest)
    expect(cases.map((c) => c.id).sort()).toEqual(expectedCases.map((c) => c.id).sort())
    expect(store.problems).toEqual([])
    await store.close()
    const reopened = await Store.open(dir, { isReadOnly: true })
    expect(reopened.count('grumbles')).toBe(96)
    await reopened.close()
  })
})
