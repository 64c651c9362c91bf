import { readFile, readdir, stat, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { dispatch, handlers } from '../../src/main/services'
import { Store } from '../../src/main/store/store'
import { makeCase, makeCustomer, makeGrumble, makePromise, makeSignal, monthIso } from '../helpers/records'
import { crashCopy, tempDir } from '../helpers/temp'

const months = 6
const quiet = { checkpointEntries: 1_000_000, checkpointIdleMs: 1_000_000 }

/** 24 cases over 6 months, each with a promise, two grumbles and a churn signal, checkpointed to shards. */
async function seeded(dir: string): Promise<void> {
  const store = await Store.open(dir)
  const customer = makeCustomer(1)
  const collections = {
    customers: [customer],
    cases: Array.from({ length: 24 }, (_, i) => makeCase(i, monthIso(i, months), 1, customer.id)),
    promises: Array.from({ length: 24 }, (_, i) => makePromise(i, monthIso(i, months), `case-${i}`, customer.id)),
    grumbles: Array.from({ length: 48 }, (_, i) => makeGrumble(i, monthIso(i >> 1, months), customer.id)),
    signals: Array.from({ length: 24 }, (_, i) => makeSignal(i, monthIso(i, months), customer.id)),
  }
  await store.replaceAll({ schemaVersion: 2, settings: store.settings, collections })
  await store.close()
}

/** Every record in the month shards, by kind: each must appear once, in the month it belongs to. */
async function shardContents(dir: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>()
  const monthsDir = join(dir, 'data', 'months')
  for (const name of (await readdir(monthsDir)).filter((n) => n.endsWith('.json'))) {
    const shard = JSON.parse(await readFile(join(monthsDir, name), 'utf8')) as Record<string, unknown>
    for (const kind of ['cases', 'promises', 'grumbles', 'signals']) {
      for (const record of (shard[kind] ?? []) as { id: string }[]) {
        out.set(kind, [...(out.get(kind) ?? []), `${record.id}@${name.slice(0, 7)}`])
      }
    }
  }
  return out
}

/** What a full (not lazy) open holds, and the order `store.all` gives the grumbles in. */
async function fullRead(dir: string, options: Parameters<typeof Store.open>[1]) {
  const full = await Store.open(dir, options)
  const expected = full.snapshot()
  const order = [...full.all('grumbles')].map((g) => g.id)
  await full.close()
  return { expected, order }
}

/**
 * Cuts the line of one record of a month short, and makes the manifest describe the edited file,
 * so the month is still trusted. Answers the month's path.
 */
async function cutShortTrusted(dir: string, month: string, id: string): Promise<string> {
  const path = join(dir, 'data', 'months', `${month}.json`)
  const text = await readFile(path, 'utf8')
  const line = text.indexOf(`    {"id":${JSON.stringify(id)}`)
  await writeFile(path, `${text.slice(0, line + 12)}${text.slice(text.indexOf('\n', line))}`)
  const manifestPath = join(dir, 'data', 'manifest.json')
  const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as {
    shards: Record<string, { bytes: number; mtimeMs: number }>
  }
  const info = await stat(path)
  Object.assign(manifest.shards[month]!, { bytes: info.size, mtimeMs: info.mtimeMs })
  await writeFile(manifestPath, JSON.stringify(manifest))
  return path
}

describe('loading month shards', () => {
  it('a lazy, trusted load gives the same records, and a later write to an old month keeps that month whole', async () => {
    const dir = await tempDir()
    await seeded(dir)
    const eager = await Store.open(dir, { isReadOnly: true })
    const expected = eager.snapshot()
    await eager.close()

    const store = await Store.open(dir, { isLazy: true, ...quiet })
    await store.whenFullyLoaded()
    expect(store.snapshot()).toEqual(expected)
    // case-5 lives in the oldest month; case-0 moves from the newest month to the oldest.
    const oldest = monthIso(5, months)
    await store.commit([{ collection: 'cases', value: makeCase(5, oldest, 2, 'cust-1') }])
    await store.commit([{ collection: 'cases', value: makeCase(0, oldest, 3, 'cust-1') }])
    await store.checkpoint()
    const written = store.snapshot()
    await store.close()

    const shards = await shardContents(dir)
    expect(shards.get('cases')).toHaveLength(24)
    expect(shards.get('cases')).toContain(`case-0@${oldest.slice(0, 7)}`)
    expect(shards.get('grumbles')).toHaveLength(48)
    expect(shards.get('signals')).toHaveLength(24)
    expect(shards.get('promises')).toHaveLength(24)
    const reopened = await Store.open(dir, { isReadOnly: true })
    expect(reopened.snapshot()).toEqual(written)
    expect(reopened.get('cases', 'case-0')?.summary).toMatch(/^v3 /)
    await reopened.close()
  })

  it('the case search answers from the months loaded so far, and from every month once loaded, also after a save', async () => {
    const dir = await tempDir()
    await seeded(dir)
    const store = await Store.open(dir, { isLazy: true, ...quiet })
    const ctx = { store, now: () => new Date('2026-11-20T10:00:00Z') }
    const found = () =>
      (handlers['cases:list'] as (c: typeof ctx, i: unknown) => Promise<{ id: string }[]>)(ctx, { query: 'v1' }).then(
        (list) => list.map((c) => c.id).sort(),
      )
    // Open has read the newest two months only: those cases are found, the others not yet.
    expect(store.isFullyLoaded).toBe(false)
    const loadedSoFar = [...store.allInMemory('cases')].map((c) => c.id).sort()
    const early = await found()
    expect(early.length).toBeGreaterThan(0)
    expect(early.length).toBeLessThan(24)
    expect(early).toEqual(loadedSoFar)
    await store.whenFullyLoaded()
    const all = Array.from({ length: 24 }, (_, i) => `case-${i}`).sort()
    expect(await found()).toEqual(all)
    // A case saved after loading: its new words are found and its old ones no longer.
    await store.commit([{ collection: 'cases', value: makeCase(3, monthIso(3, months), 2, 'cust-1') }])
    expect(await found()).toEqual(all.filter((id) => id !== 'case-3'))
    await store.close()
  })

  it('a record the journal moved out of a month not yet loaded comes back once, from the journal', async () => {
    const dir = await tempDir()
    await seeded(dir)
    const store = await Store.open(dir, quiet)
    // case-5 is in the oldest month, which a lazy open loads after replaying the journal.
    const newest = monthIso(0, months)
    await store.commit([{ collection: 'cases', value: makeCase(5, newest, 7, 'cust-1') }])
    const crashed = await crashCopy(dir)
    await store.close()

    const reopened = await Store.open(crashed, { isLazy: true, ...quiet })
    await reopened.whenFullyLoaded()
    expect(reopened.get('cases', 'case-5')?.receivedAt).toBe(newest)
    expect(reopened.count('cases')).toBe(24)
    await reopened.checkpoint()
    await reopened.close()
    const cases = (await shardContents(crashed)).get('cases') ?? []
    expect(cases.filter((c) => c.startsWith('case-5@'))).toEqual([`case-5@${newest.slice(0, 7)}`])
  })

  it('a record the journal removed from a month not yet loaded stays removed, also from a month left on disk', async () => {
    const dir = await tempDir()
    await seeded(dir)
    const store = await Store.open(dir, quiet)
    // case-5 is in the oldest month, read after the journal is replayed; grumble-11 is in it too,
    // and with two months kept in memory that month's grumbles stay on disk.
    await store.commit([
      { collection: 'cases', removed: 'case-5' },
      { collection: 'grumbles', removed: 'grumble-11' },
    ])
    const crashed = await crashCopy(dir)
    await store.close()

    for (const options of [{}, { isLazy: true }, { isLazy: true, warmMonths: 2 }]) {
      const copy = await crashCopy(crashed)
      const reopened = await Store.open(copy, { ...options, ...quiet })
      await reopened.whenFullyLoaded()
      expect(reopened.get('cases', 'case-5')).toBeUndefined()
      expect(reopened.count('cases')).toBe(23)
      expect([...reopened.all('grumbles')].some((g) => g.id === 'grumble-11')).toBe(false)
      expect(reopened.count('grumbles')).toBe(47)
      await reopened.checkpoint()
      await reopened.close()
      const shards = await shardContents(copy)
      expect(shards.get('cases')?.some((c) => c.startsWith('case-5@'))).toBe(false)
      expect(shards.get('grumbles')?.some((g) => g.startsWith('grumble-11@'))).toBe(false)
      expect(shards.get('cases')).toHaveLength(23)
    }
  })

  it('a shard touched outside MakeGood is validated record by record and opens the same, left as it was', async () => {
    const dir = await tempDir()
    await seeded(dir)
    const trusted = await Store.open(dir, { isReadOnly: true })
    const expected = trusted.snapshot()
    await trusted.close()
    const oldest = join(dir, 'data', 'months', `${monthIso(5, months).slice(0, 7)}.json`)
    const before = await readFile(oldest, 'utf8')
    await utimes(oldest, new Date('2026-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z'))

    const store = await Store.open(dir, { isLazy: true })
    await store.whenFullyLoaded()
    expect(store.snapshot()).toEqual(expected)
    expect(store.problems).toEqual([])
    await store.close()
    expect(await readFile(oldest, 'utf8')).toBe(before)
  })

  it('reads the newest months’ grumbles and signals once the open has answered, in the order a full read gives', async () => {
    const dir = await tempDir()
    await seeded(dir)
    const { expected, order } = await fullRead(dir, { isReadOnly: true })

    const store = await Store.open(dir, { isLazy: true, ...quiet })
    // Opened: the newest months' cases are in, their grumbles not yet.
    const newest = monthIso(0, months).slice(0, 7)
    expect(store.get('cases', 'case-0')?.receivedAt.slice(0, 7)).toBe(newest)
    expect(store.get('grumbles', 'grumble-0')).toBeUndefined()
    await store.whenFullyLoaded()
    expect(store.snapshot()).toEqual(expected)
    expect([...store.all('grumbles')].map((g) => g.id)).toEqual(order)
    expect(store.problems).toEqual([])
    await store.close()
  })

  it('after a crash, reads the newest months whole before the journal: its copies win, records keep a full read’s order', async () => {
    const dir = await tempDir()
    await seeded(dir)
    const store = await Store.open(dir, quiet)
    const newest = monthIso(0, months)
    await store.commit([
      { collection: 'grumbles', value: { ...makeGrumble(0, newest, 'cust-1'), text: 'Only in the journal' } },
      { collection: 'grumbles', value: makeGrumble(100, newest, 'cust-1') },
      { collection: 'signals', removed: 'signal-0' },
    ])
    const crashed = await crashCopy(dir)
    const again = await crashCopy(dir)
    await store.close()
    // A full read of the same crash: journal replayed after the newest months.
    const { expected, order } = await fullRead(again, quiet)

    const reopened = await Store.open(crashed, { isLazy: true, ...quiet })
    await reopened.whenFullyLoaded()
    expect(reopened.snapshot()).toEqual(expected)
    expect([...reopened.all('grumbles')].map((g) => g.id)).toEqual(order)
    expect(reopened.get('grumbles', 'grumble-0')?.text).toBe('Only in the journal')
    expect(reopened.get('signals', 'signal-0')).toBeUndefined()
    await reopened.close()
  })

  it('a newest month whose grumbles do not read as written is read again whole: the broken one reported, the rest kept', async () => {
    const dir = await tempDir()
    await seeded(dir)
    const newest = await cutShortTrusted(dir, monthIso(0, months).slice(0, 7), 'grumble-1')

    const store = await Store.open(dir, { isLazy: true, ...quiet })
    await store.whenFullyLoaded()
    expect(store.problems.map((p) => p.file)).toEqual([newest])
    expect(store.get('grumbles', 'grumble-1')).toBeUndefined()
    expect(store.get('grumbles', 'grumble-0')).toBeDefined()
    expect(store.count('grumbles')).toBe(47)
    expect(store.count('signals')).toBe(24)
    expect(store.count('cases')).toBe(24)
    await store.close()
  })

  it('a trusted month whose list is not as the manifest counted is read as one text: the same records, nothing reported', async () => {
    const dir = await tempDir()
    await seeded(dir)
    const { expected } = await fullRead(dir, { isReadOnly: true })
    const manifestPath = join(dir, 'data', 'manifest.json')
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as {
      shards: Record<string, { counts: Record<string, number> }>
    }
    // The oldest month (its cases read with the shard) and the newest (read before the open answers).
    for (const month of [monthIso(5, months), monthIso(0, months)].map((iso) => iso.slice(0, 7))) {
      manifest.shards[month]!.counts.cases! += 1
    }
    await writeFile(manifestPath, JSON.stringify(manifest))
    for (const options of [{}, { isLazy: true }]) {
      const store = await Store.open(dir, { ...options, ...quiet })
      await store.whenFullyLoaded()
      expect(store.problems).toEqual([])
      expect(store.snapshot()).toEqual(expected)
      await store.close()
    }
  })

  it('a trusted month with a case line cut short is read as far as it can be: the broken one reported, the rest kept', async () => {
    const dir = await tempDir()
    await seeded(dir)
    // Still trusted: its lists are read each on its own.
    const oldest = await cutShortTrusted(dir, monthIso(5, months).slice(0, 7), 'case-5')

    const store = await Store.open(dir, quiet)
    expect(store.problems.map((p) => p.file)).toEqual([oldest])
    expect(store.get('cases', 'case-5')).toBeUndefined()
    expect(store.count('cases')).toBe(23)
    expect(store.count('promises')).toBe(24)
    await store.close()
  })

  it('answers Today and the first case page while older months load, says so, then gives all of it', async () => {
    const dir = await tempDir()
    await seeded(dir)
    const store = await Store.open(dir, { isLazy: true, ...quiet })
    try {
      const ctx = { store, now: () => new Date('2026-11-23T10:00:00.000Z') }
      const early = await handlers['today:get'](ctx, {})
      expect(early.isComplete).toBe(false)
      // The Cases screen's first page too: the newest months are in, and it says more will come.
      const firstPage = await dispatch(ctx, 'cases:page', {})
      expect(firstPage).toMatchObject({ ok: true, value: { isComplete: false } })
      await store.whenFullyLoaded()
      expect(await dispatch(ctx, 'cases:page', {})).toMatchObject({ ok: true, value: { isComplete: true, total: 24 } })
      const full = await handlers['today:get'](ctx, {})
      expect(full.isComplete).toBe(true)
      // 24 cases, a third of them closed: 16 wait for their next step, from every month.
      expect([full.total, full.cases.length]).toEqual([16, 16])
      expect(early.total).toBeLessThan(full.total)
      const times = full.cases.map((c) => c.receivedAt)
      expect(times).toEqual([...times].sort().reverse())
    } finally {
      await store.close()
    }
  })

  it('lists the newest hundred waiting cases on Today and counts all of them', async () => {
    const store = await Store.open(await tempDir())
    try {
      const cases = Array.from({ length: 300 }, (_, i) => makeCase(i, monthIso(i, 12)))
      await store.commit(cases.map((value) => ({ collection: 'cases' as const, value })))
      const today = await handlers['today:get']({ store, now: () => new Date('2026-11-23T10:00:00.000Z') }, {})
      expect(today.total).toBe(200)
      expect(today.cases).toHaveLength(100)
      const waiting = cases.filter((c) => c.status !== 'closed').map((c) => c.receivedAt)
      expect(today.cases.map((c) => c.receivedAt)).toEqual(waiting.sort().reverse().slice(0, 100))
    } finally {
      await store.close()
    }
  })

  it('keeps the case list newest first across writes (the sorted order is cached until a case changes)', async () => {
    const store = await Store.open(await tempDir())
    try {
      const ctx = { store, now: () => new Date('2026-11-23T10:00:00.000Z') }
      await store.commit(
        Array.from({ length: 30 }, (_, i) => ({ collection: 'cases' as const, value: makeCase(i, monthIso(i, 6)) })),
      )
      const before = await handlers['cases:page'](ctx, { offset: 0, limit: 5 })
      const newest = makeCase(99, '2027-01-01T09:00:00.000Z')
      await store.commit([{ collection: 'cases', value: newest }])
      const after = await handlers['cases:page'](ctx, { offset: 0, limit: 5 })
      expect(after.total).toBe(before.total + 1)
      expect(after.items.map((c) => c.id)).toEqual([newest.id, ...before.items.slice(0, 4).map((c) => c.id)])
      // Moving a case back in time moves it in the list too.
      await store.commit([{ collection: 'cases', value: { ...newest, receivedAt: '2020-01-01T09:00:00.000Z' } }])
      const moved = await handlers['cases:page'](ctx, { offset: 30, limit: 5 })
      expect(moved.items.map((c) => c.id)).toEqual([newest.id])
    } finally {
      await store.close()
    }
  })
})
