import { cp } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/services'
import { type ServiceContext } from '../../src/main/services/context'
import { warmOldSignals } from '../../src/main/services/iceberg/oldSignals'
import { readColdList } from '../../src/main/store/coldMonths'
import { Store } from '../../src/main/store/store'
import { makeCustomer, makeSignal } from '../helpers/records'
import { tempDir } from '../helpers/temp'

const now = () => new Date('2026-11-20T10:00:00.000Z')

async function ok<T>(promise: Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }>): Promise<T> {
  const result = await promise
  if (!result.ok) throw new Error(JSON.stringify(result.error))
  return result.value as T
}

type Grumble = { id: string; text: string; heardAt: string; customerId?: string }

/** What the screens and commands that list grumbles answer, asked in the order given. */
async function answers(ctx: ServiceContext, old: Grumble) {
  const month = old.heardAt.slice(0, 7)
  const query = { category: undefined, department: undefined }
  return {
    icebergNow: await ok(dispatch(ctx, 'iceberg:get', { from: '2026-10', to: '2026-11', ...query })),
    icebergOld: await ok(dispatch(ctx, 'iceberg:get', { from: month, to: month, ...query })),
    listOld: await ok(dispatch(ctx, 'grumbles:list', { from: `${month}-01T00:00:00.000Z`, to: old.heardAt })),
    loyalty: await ok(dispatch(ctx, 'loyalty:get', { customerId: old.customerId })),
    search: await ok(dispatch(ctx, 'search:everywhere', { query: old.text, limit: 50 })),
    report: await ok(dispatch(ctx, 'reports:get', { month })),
    export: JSON.stringify(ctx.store.dataSet()),
    listAll: await ok(dispatch(ctx, 'grumbles:list', {})),
    pages: await everyPage(ctx),
  }
}

/** The Grumbles screen's rows, every page of 25 in turn. */
async function everyPage(ctx: ServiceContext) {
  const rows: unknown[] = []
  for (let offset = 0; ; offset += 25) {
    const page = await ok<{ total: number; items: unknown[] }>(dispatch(ctx, 'grumbles:page', { offset, limit: 25 }))
    rows.push(...page.items)
    if (offset + 25 >= page.total) return { total: page.total, rows }
  }
}

describe('with older grumbles on disk, every reader answers as with all of them in memory, and brings none back', () => {
  it('iceberg, grumble list, loyalty card, search, a month’s report and the export of the demo data', async () => {
    const dir = await tempDir()
    const seeding = await Store.open(dir)
    await ok(dispatch({ store: seeding, now }, 'demo:load', {}))
    await seeding.close()

    const full = await Store.open(dir, { isReadOnly: true })
    const grumbles = [...full.all('grumbles')] as Grumble[]
    const months = [...new Set(grumbles.map((g) => g.heardAt.slice(0, 7)))].sort()
    // The oldest month's grumble with a customer: the cold store has that month on disk.
    const old = grumbles.find((g) => g.customerId && g.heardAt.startsWith(months[0] ?? ''))
    if (!old) throw new Error('the demo has no grumble with a customer in its first month')
    const expected = await answers({ store: full, now }, old)
    await full.close()
    // The screen's pages are the whole list, newest first, in the list's order.
    expect(expected.pages).toEqual({ total: grumbles.length, rows: expected.listAll })

    const store = await Store.open(dir, { warmMonths: 2 })
    const onDisk = store.monthsOnDisk('grumbles')
    expect(onDisk).toContain(old.heardAt.slice(0, 7))
    const found = await answers({ store, now }, old)
    expect(found).toEqual(expected)
    // Each reader read the months it needed from disk and kept none of them.
    expect(store.monthsOnDisk('grumbles')).toEqual(onDisk)
    await store.close()
  })
})

describe('search everywhere over grumbles left on disk', () => {
  it('finds them by their words, their customer’s name or both, as a full read does, also after a rename', async () => {
    const dir = await tempDir()
    const seeding = await Store.open(dir)
    await ok(dispatch({ store: seeding, now }, 'demo:load', {}))
    await seeding.close()
    const search = (store: Store, query: string) =>
      ok<{ groups: { kind: string; total: number }[] }>(
        dispatch({ store, now }, 'search:everywhere', { query, limit: 5 }),
      )
    /** Each query's answer from an ordinary (every record read) open of the folder. */
    const fullAnswers = async (queries: string[]) => {
      const full = await Store.open(dir, { isReadOnly: true })
      const answers = await Promise.all(queries.map((query) => search(full, query)))
      await full.close()
      return answers
    }
    const grumblesFound = (answer: { groups: { kind: string; total: number }[] }) =>
      answer.groups.find((g) => g.kind === 'grumble')!.total

    let store = await Store.open(dir, { warmMonths: 2 })
    const onDisk = store.monthsOnDisk('grumbles')
    const old = (store.listsOnDisk('grumbles').flatMap((list) => readColdList(list)) as Grumble[]).filter(
      (g) => g.customerId,
    )
    expect(old.length).toBeGreaterThan(3)
    const customer = store.get('customers', old[0]!.customerId!)!
    const words = old.flatMap((g) =>
      g.text
        .split(/\s+/)
        .filter((w) => w.length > 3)
        .slice(0, 2),
    )
    const queries = [
      ...words.slice(0, 8),
      old[0]!.text,
      customer.name,
      `${customer.name.split(' ')[0]} ${words[0]}`,
      '等了',
      'no such words anywhere',
    ]
    await store.close()
    const expected = await fullAnswers(queries)
    store = await Store.open(dir, { warmMonths: 2 })
    for (const [i, query] of queries.entries()) expect(await search(store, query), query).toEqual(expected[i])
    expect(grumblesFound(await search(store, customer.name))).toBeGreaterThan(0)

    await store.commit([{ collection: 'customers', value: { ...customer, name: 'Zsófia Ünneprontó' } }])
    await store.close()
    const afterRename = [customer.name, 'zsofia unneprontó', `unnepronto ${words[0]}`]
    const expectedAfter = await fullAnswers(afterRename)
    store = await Store.open(dir, { warmMonths: 2 })
    for (const [i, query] of afterRename.entries()) expect(await search(store, query), query).toEqual(expectedAfter[i])
    expect(grumblesFound(expectedAfter[1]!)).toBeGreaterThan(0)
    expect(store.monthsOnDisk('grumbles')).toEqual(onDisk)
    await store.close()
  })
})

type Signal = { id: string; customerId: string; raisedAt: string; status: string }

/** What the screens and commands that read churn signals answer, asked in the order given. */
async function signalAnswers(ctx: ServiceContext, old: Signal, category: string) {
  const month = old.raisedAt.slice(0, 7)
  const pages: unknown[] = []
  for (let offset = 0; ; offset += 7) {
    const page = await ok<{ total: number; items: unknown[] }>(dispatch(ctx, 'signals:page', { offset, limit: 7 }))
    pages.push(page)
    if (offset + 7 >= page.total) break
  }
  return {
    listAll: await ok(dispatch(ctx, 'signals:list', {})),
    listOpen: await ok(dispatch(ctx, 'signals:list', { status: 'open' })),
    listCustomer: await ok(dispatch(ctx, 'signals:list', { customerId: old.customerId })),
    pageClosed: await ok(dispatch(ctx, 'signals:page', { status: 'closed', offset: 1, limit: 3 })),
    pages,
    detail: await ok(dispatch(ctx, 'signals:get', { id: old.id })),
    loyalty: await ok(dispatch(ctx, 'loyalty:get', { customerId: old.customerId })),
    customers: await ok(dispatch(ctx, 'customers:page', { offset: 0, limit: 500 })),
    atRisk: await ok(dispatch(ctx, 'customers:page', { offset: 0, limit: 500, segment: 'at-risk' })),
    icebergOld: await ok(dispatch(ctx, 'iceberg:get', { from: month, to: month })),
    icebergCategory: await ok(dispatch(ctx, 'iceberg:get', { from: '2026-01', to: '2026-11', category })),
    icebergNow: await ok(dispatch(ctx, 'iceberg:get', { from: '2026-10', to: '2026-11' })),
    report: await ok(dispatch(ctx, 'reports:get', { month })),
    reportWithoutValue: await ok(dispatch(ctx, 'reports:get', { month: '2026-03' })),
    export: JSON.stringify(ctx.store.dataSet()),
  }
}

/** A sweep, and the escalations it leaves (signals cited as evidence are named by their customer). */
async function sweptEscalations(ctx: ServiceContext) {
  const sweep = await ok(dispatch(ctx, 'escalations:sweep', {}))
  return { sweep, escalations: await ok(dispatch(ctx, 'escalations:list', {})) }
}

/** A detection, and a second signal for a customer with an open one. */
async function detectAndRaise(ctx: ServiceContext, old: Signal) {
  const detection = await ok(dispatch(ctx, 'signals:detect', {}))
  const raised = await dispatch(ctx, 'signals:raise', { customerId: old.customerId, level: 'at-risk', note: 'again' })
  return { detection, raised: raised.ok ? 'raised' : raised.error.reason }
}

/**
 * Old signals the sample data lacks: a category and a department, no value at risk, a value of
 * 0, two of the same value raised at the same moment (ids in the reverse of their order in the
 * file), every outcome, and more lines of one month than are read one by one. Their customer
 * complained twice this month, so an escalation cites their signals.
 */
async function addOldSignals(store: Store, category: string, department: string): Promise<Signal> {
  const customer = { ...makeCustomer(9001), name: 'Rita Repeat' }
  const loner = { ...makeCustomer(9002), name: 'Lone Quiet' }
  await store.commit([
    { collection: 'customers', value: customer },
    { collection: 'customers', value: loner },
  ])
  for (const summary of ['Cold soup', 'Cold soup again'])
    await ok(dispatch({ store, now }, 'cases:create', { customerId: customer.id, summary, category }))
  const at = (day: number) => `2026-04-${String(day).padStart(2, '0')}T09:00:00.000Z`
  const base = makeSignal(1, at(3), customer.id)
  const { valueAtRisk: _valueAtRisk, ...withoutValue } = base
  const closed = (outcome: 'won-back' | 'lost' | 'false-alarm' | undefined) => ({
    status: 'closed' as const,
    ...(outcome ? { outcome } : {}),
    closedAt: '2026-04-20T09:00:00.000Z',
  })
  const open = { ...base, id: 'old-open', status: 'open' as const, category, department }
  const signals = [
    open,
    // Alone in its month, for a customer with no other signal: the report lists it without a value.
    {
      ...withoutValue,
      id: 'old-no-value',
      customerId: loner.id,
      raisedAt: '2026-03-10T09:00:00.000Z',
      status: 'open' as const,
    },
    { ...base, id: 'old-zero', status: 'open' as const, valueAtRisk: { ...base.valueAtRisk!, value: 0 } },
    { ...base, id: 'old-tie-b', raisedAt: at(5), status: 'open' as const },
    { ...base, id: 'old-tie-a', raisedAt: at(5), status: 'open' as const },
    ...(['won-back', 'lost', 'false-alarm', undefined] as const).map((outcome, i) => ({
      ...base,
      id: `old-closed-${i}`,
      ...closed(outcome),
    })),
    ...Array.from({ length: 70 }, (_, i) => ({
      ...makeSignal(100 + i, at(1 + (i % 27)), `cust-${i}`),
      id: `old-many-${String(i).padStart(2, '0')}`,
    })),
  ]
  await store.commit(signals.map((value) => ({ collection: 'signals' as const, value })))
  return open
}

describe('with older churn signals on disk, every reader answers as with all of them in memory', () => {
  it('signal list, pages and detail, loyalty, segments, iceberg, report, export, escalations, sweep and detection', async () => {
    const dir = await tempDir()
    const seeding = await Store.open(dir)
    await ok(dispatch({ store: seeding, now }, 'demo:load', {}))
    const category = seeding.settings.categories[0]!.id
    const department = seeding.settings.departments[0]!
    const old = await addOldSignals(seeding, category, department)
    await seeding.close()
    // A copy to change as well, with every month read in.
    const copy = await tempDir()
    await cp(dir, copy, { recursive: true })

    const full = await Store.open(copy, { warmMonths: 1000 })
    expect(full.monthsOnDisk('signals')).toEqual([])
    const expected = await signalAnswers({ store: full, now }, old, category)
    const expectedSwept = await sweptEscalations({ store: full, now })
    const expectedChanges = await detectAndRaise({ store: full, now }, old)
    await full.close()
    // The escalation of the customer who complained twice cites their old signals by name.
    const cited = JSON.stringify(expectedSwept.escalations)
    expect(cited).toContain('"old-open"')
    expect(cited).toContain('Rita Repeat')
    // A customer with an open signal is refused a second one (below, with that signal on disk).
    expect(expectedChanges.raised).toBe('signal.already_open')

    const store = await Store.open(dir, { warmMonths: 2 })
    const onDisk = store.monthsOnDisk('signals')
    expect(onDisk).toContain(old.raisedAt.slice(0, 7))
    // As the desktop app does once history has loaded.
    await warmOldSignals(store)
    expect(await signalAnswers({ store, now }, old, category)).toEqual(expected)
    expect(await sweptEscalations({ store, now })).toEqual(expectedSwept)
    // Reading and showing (a signal opened, the escalations citing old ones) brought no month back.
    expect(store.monthsOnDisk('signals')).toEqual(onDisk)
    expect(await detectAndRaise({ store, now }, old)).toEqual(expectedChanges)
    await store.close()
  })
})
