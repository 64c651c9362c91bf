import { cp } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { promiseReminders } from '../../src/main/backend/notices'
import { dispatch } from '../../src/main/services'
import { type ServiceContext } from '../../src/main/services/context'
import { recountAllGuarantees } from '../../src/main/services/promises/guaranteeFollow'
import { warmOldPromises } from '../../src/main/services/promises/oldPromises'
import { type StoreEngine } from '../../src/main/store/postgres/engine'
import { PgStore } from '../../src/main/store/postgres/pgStore'
import { teamInit } from '../../src/main/store/postgres/team'
import { Store } from '../../src/main/store/store'
import { type CustomerPromise } from '../../src/shared/promises/promises'
import { type Case } from '../../src/shared/schemas'
import { freshTeamDatabase } from '../helpers/pg'
import { makeCase, makeCustomer, makePromise } from '../helpers/records'
import { tempDir } from '../helpers/temp'

const now = () => new Date('2026-11-20T10:00:00.000Z')

async function ok<T>(promise: Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }>): Promise<T> {
  const result = await promise
  if (!result.ok) throw new Error(JSON.stringify(result.error))
  return result.value as T
}

const march = (day: number, hour = 9) =>
  `2026-03-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`

/**
 * Promises made in March 2026 (an old month once the store keeps two in memory), of every kind
 * the readers tell apart: open and overdue, open and due this week, two broken last week (a
 * pattern counts them), kept, cancelled, a renegotiation whose successor was made this month,
 * guarantees (one broken with its compensation given, one whose words were written, one the recovery steps
 * say was kept while it is stored open, one a step done on the old case keeps), several of one due time, and many more lines.
 */
async function addOldPromises(store: StoreEngine): Promise<{ customerId: string; oldCase: Case }> {
  const customer = { ...makeCustomer(9101), name: 'Olga Oldpromise' }
  const oldCase: Case = { ...makeCase(9101, march(2), 1, customer.id), department: 'Kitchen', owner: 'Anna' }
  const resolvedCase: Case = {
    ...makeCase(9102, march(3), 1, customer.id),
    steps: makeCase(9102, march(3)).steps.map((s) =>
      s.key === 'resolve' ? { ...s, status: 'done' as const, at: march(6), by: 'Bence' } : s,
    ),
  }
  // Each made at an hour of its own: the ledger lists by due time, then by when made, and two
  // promises alike in both as the engine read them (a team desk reads its old months by id).
  let made = 0
  const base = (id: string, what: string, extra: Partial<CustomerPromise>): CustomerPromise => ({
    ...makePromise(0, march(4, 8 + made++), oldCase.id, customer.id),
    id,
    what,
    madeBy: 'Anna',
    department: 'Kitchen',
    status: 'open',
    dueAt: march(8),
    ...extra,
  })
  const closed = (status: CustomerPromise['status'], at: string) => ({
    status,
    closedAt: at,
    closedBy: 'Bence',
    updatedAt: at,
  })
  const promises: CustomerPromise[] = [
    base('old-overdue', 'Ring Olga about the refund', {}),
    base('old-due-soon', 'Send Olga the voucher', { dueAt: '2026-11-21T10:00:00.000Z', madeBy: 'Bence' }),
    base('old-broken-lately', 'Replace the broken kettle', {
      dueAt: '2026-11-14T10:00:00.000Z',
      ...closed('broken', '2026-11-15T10:00:00.000Z'),
      note: 'The kettle never came.',
    }),
    base('old-broken-lately-too', 'Bring the spare kettle', {
      dueAt: '2026-11-16T10:00:00.000Z',
      ...closed('broken', '2026-11-17T10:00:00.000Z'),
    }),
    base('old-kept', 'Write a letter of apology', { ...closed('kept', march(7)), note: 'Posted.' }),
    base('old-cancelled', 'Call back on Monday', { ...closed('cancelled', march(5)), note: 'She asked us not to.' }),
    base('old-renegotiated', 'Refund by Friday', { ...closed('renegotiated', march(6)), successorId: 'new-successor' }),
    base('old-guarantee-broken', '', {
      guaranteeId: 'resolution',
      madeBy: 'Service guarantee',
      compensation: 'A free dinner',
      compensationGiven: { isGiven: true, amount: 40, at: march(10), by: 'Bence' },
      ...closed('broken', march(9)),
    }),
    base('old-guarantee-words', 'Fixed within three days, or the meal is on us', {
      guaranteeId: 'custom-three-days',
      madeBy: 'Service guarantee',
    }),
    base('old-guarantee-followed', '', {
      guaranteeId: 'resolution',
      madeBy: 'Service guarantee',
      caseId: resolvedCase.id,
      dueAt: march(10),
      // A month of its own: recounted while its month is still on disk.
      madeAt: '2026-04-02T09:00:00.000Z',
      updatedAt: '2026-04-02T09:00:00.000Z',
    }),
    base('old-first-response', '', {
      guaranteeId: 'first-response',
      madeBy: 'Service guarantee',
      dueAt: march(5),
    }),
    ...['old-tie-b', 'old-tie-a'].map((id) => base(id, 'Same due time', { dueAt: march(12) })),
    ...Array.from({ length: 60 }, (_, i) => ({
      ...makePromise(200 + i, march(1 + (i % 27), 8 + (i % 9)), oldCase.id, customer.id),
      id: `old-many-${String(i).padStart(2, '0')}`,
    })),
  ]
  const successor: CustomerPromise = {
    ...base('new-successor', 'Refund by Friday, second try', { predecessorId: 'old-renegotiated' }),
    madeAt: '2026-11-02T10:00:00.000Z',
    dueAt: '2026-11-27T10:00:00.000Z',
    updatedAt: '2026-11-02T10:00:00.000Z',
  }
  await store.commit([
    { collection: 'customers', value: customer },
    { collection: 'cases', value: oldCase },
    { collection: 'cases', value: resolvedCase },
    ...[...promises, successor].map((value) => ({ collection: 'promises' as const, value })),
  ])
  return { customerId: customer.id, oldCase }
}

/** The ledger screen's rows, every page of 25 in turn. */
async function everyPage(ctx: ServiceContext, filter: object = {}) {
  const rows: unknown[] = []
  for (let offset = 0; ; offset += 25) {
    const page = await ok<{ total: number; items: unknown[] }>(
      dispatch(ctx, 'promises:page', { offset, limit: 25, ...filter }),
    )
    rows.push(...page.items)
    if (offset + 25 >= page.total) return { total: page.total, rows }
  }
}

/** What every screen, command and background job that reads promises answers, asked in this order. */
async function promiseAnswers(ctx: ServiceContext, customerId: string, oldCase: Case) {
  const reminders = await promiseReminders(ctx, 'en')()
  return {
    list: await ok(dispatch(ctx, 'promises:list', {})),
    open: await ok(dispatch(ctx, 'promises:list', { status: 'open' })),
    overdue: await ok(dispatch(ctx, 'promises:list', { states: ['overdue'] })),
    ofCustomer: await ok(dispatch(ctx, 'promises:list', { customerId })),
    ofCase: await ok(dispatch(ctx, 'promises:list', { caseId: oldCase.id })),
    dueInMarch: await ok(
      dispatch(ctx, 'promises:list', { dueFrom: '2026-03-01T00:00:00.000Z', dueTo: '2026-03-31T00:00:00.000Z' }),
    ),
    pages: await everyPage(ctx),
    brokenPages: await everyPage(ctx, { status: 'broken', department: 'Kitchen' }),
    metrics: await ok(dispatch(ctx, 'promises:metrics', {})),
    metricsOfMarch: await ok(
      dispatch(ctx, 'promises:metrics', { from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' }),
    ),
    today: await ok(dispatch(ctx, 'promises:today', {})),
    todayScreen: await ok(dispatch(ctx, 'today:get', {})),
    mine: await ok(dispatch(ctx, 'today:mine', {})),
    team: await ok(dispatch(ctx, 'today:team', {})),
    calendar: (await ok<{ count: number }>(dispatch(ctx, 'promises:ics', { lang: 'en' }))).count,
    oldCase: await ok(dispatch(ctx, 'cases:get', { id: oldCase.id })),
    customer: await ok(dispatch(ctx, 'customers:get', { id: customerId })),
    reportOfMarch: await ok(dispatch(ctx, 'reports:get', { month: '2026-03' })),
    reportNow: await ok(dispatch(ctx, 'reports:get', { month: '2026-11' })),
    searchWords: await ok(dispatch(ctx, 'search:everywhere', { query: 'kettle', limit: 50 })),
    searchChinese: await ok(dispatch(ctx, 'search:everywhere', { query: '退款凭证', limit: 5 })),
    searchName: await ok(dispatch(ctx, 'search:everywhere', { query: 'olga refund', limit: 50 })),
    searchCase: await ok(dispatch(ctx, 'search:everywhere', { query: `${oldCase.number} voucher`, limit: 50 })),
    reminders,
    export: JSON.stringify(ctx.store.dataSet()),
  }
}

/**
 * Today's promises listed by due time, then id. Today lists by due time alone, promises due at
 * the same moment as they were read: a database gives its rows in the order it keeps them, and a
 * team desk reads its old months by id.
 */
function withTodayInOrder<T extends { today: unknown }>(answers: T): T {
  type Listed = { dueAt: string; id: string }
  const byDueThenId = (list: Listed[]) =>
    [...list].sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id))
  const today = answers.today as Record<'overdue' | 'dueToday' | 'dueThisWeek', Listed[]>
  return {
    ...answers,
    today: {
      ...today,
      overdue: byDueThenId(today.overdue),
      dueToday: byDueThenId(today.dueToday),
      dueThisWeek: byDueThenId(today.dueThisWeek),
    },
  }
}

/** A sweep, and the escalations it leaves. */
async function sweptEscalations(ctx: ServiceContext) {
  const sweep = await ok(dispatch(ctx, 'escalations:sweep', {}))
  return { sweep, escalations: await ok(dispatch(ctx, 'escalations:list', {})) }
}

/** Changes to old promises: a step done on their case, the start-up recount of guarantees, one kept, one renegotiated; then what the ledger says. */
async function changeOldPromises(ctx: ServiceContext) {
  // A step done on the old case first (its month still on disk): its guarantee follows the step.
  await ok(dispatch(ctx, 'cases:completeStep', { id: 'case-9101', step: 'empathise', note: 'Called Olga.' }))
  const firstResponse = ctx.store.get('promises', 'old-first-response')
  const recounted = await recountAllGuarantees(ctx)
  const followed = ctx.store.get('promises', 'old-guarantee-followed')
  await ok(dispatch(ctx, 'promises:keep', { id: 'old-overdue', note: 'Rang her at last.' }))
  const { successor } = await ok<{ successor: CustomerPromise }>(
    dispatch(ctx, 'promises:renegotiate', {
      id: 'old-due-soon',
      due: { kind: 'date', date: '2026-12-01' },
      note: 'The voucher printer is broken.',
    }),
  )
  const ledger = { list: await ok(dispatch(ctx, 'promises:list', {})), pages: await everyPage(ctx) }
  // The successor's id is new each time.
  return {
    recounted,
    followed,
    firstResponse,
    ledger: JSON.stringify(ledger).replaceAll(successor.id, 'the-successor'),
  }
}

describe('with older promises on disk, every reader answers as with all of them in memory', () => {
  it('ledger, pages, metrics, Today, work, calendar, case, customer, report, search, reminders, export, sweep and changes', async () => {
    const dir = await tempDir()
    const seeding = await Store.open(dir)
    await ok(dispatch({ store: seeding, now }, 'demo:load', {}))
    const { customerId, oldCase } = await addOldPromises(seeding)
    await seeding.close()
    // A copy read with every month in memory, to ask and change the same way.
    const copy = await tempDir()
    await cp(dir, copy, { recursive: true })

    const full = await Store.open(copy, { warmMonths: 1000 })
    expect(full.monthsOnDisk('promises')).toEqual([])
    const expected = await promiseAnswers({ store: full, now }, customerId, oldCase)
    const expectedSwept = await sweptEscalations({ store: full, now })
    const expectedChanges = await changeOldPromises({ store: full, now })
    await full.close()
    // The old promises are where the readers must find them.
    expect(JSON.stringify(expected.overdue)).toContain('"old-overdue"')
    expect(JSON.stringify(expected.today)).toContain('"old-due-soon"')
    expect(JSON.stringify(expected.reminders)).toContain('Olga Oldpromise')
    expect(JSON.stringify(expected.searchWords)).toContain('"old-broken-lately"')
    expect(JSON.stringify(expected.ofCase)).toContain('"old-kept"')
    expect(JSON.stringify(expectedSwept.escalations)).toContain('"old-broken-lately"')
    expect(expectedChanges.recounted).toBe(1)
    expect(expectedChanges.followed).toMatchObject({ status: 'kept', what: '' })
    expect(expectedChanges.firstResponse).toMatchObject({ status: 'kept' })

    const store = await Store.open(dir, { warmMonths: 2 })
    const onDisk = store.monthsOnDisk('promises')
    expect(onDisk).toContain('2026-03')
    // As the desktop app does once history has loaded.
    await warmOldPromises(store)
    expect(await promiseAnswers({ store, now }, customerId, oldCase)).toEqual(expected)
    expect(await sweptEscalations({ store, now })).toEqual(expectedSwept)
    // Reading and showing brought no month back into memory.
    expect(store.monthsOnDisk('promises')).toEqual(onDisk)
    // Changing an old promise reads its month in, whole: its words are kept.
    expect(await changeOldPromises({ store, now })).toEqual(expectedChanges)
    expect(store.monthsOnDisk('promises')).not.toContain('2026-03')
    await store.close()
  })

  it('on a team desk, whose older months are in its own files', async () => {
    /** A fresh team database, as the same person. */
    const fresh = async () => {
      const { url } = await freshTeamDatabase()
      await teamInit(url, 'Anna Owner')
      return url
    }
    const url = await fresh()
    const seeding = await PgStore.open(url)
    await ok(dispatch({ store: seeding, now }, 'demo:load', {}))
    const { customerId, oldCase } = await addOldPromises(seeding)
    const data = seeding.dataSet()
    await seeding.close()
    // A second database holding the same records (the demo's ids are new each time), to change the same way.
    const copyUrl = await fresh()
    const copying = await PgStore.open(copyUrl)
    await copying.replaceAll(data)
    await copying.close()
    const first = { url, customerId, oldCase }
    const second = { url: copyUrl, customerId, oldCase }

    const full = await PgStore.open(first.url)
    expect(full.listsOnDisk('promises')).toEqual([])
    const expected = await promiseAnswers({ store: full, now }, first.customerId, first.oldCase)
    const expectedSwept = await sweptEscalations({ store: full, now })
    const expectedChanges = await changeOldPromises({ store: full, now })
    await full.close()

    const desk = await PgStore.open(second.url, { isLazy: true })
    await desk.whenFullyLoaded()
    const onDisk = desk.listsOnDisk('promises').map((list) => list.month)
    expect(onDisk).toContain('2026-03')
    // Not summarised ahead here: each reader summarises what it needs on first use.
    expect(withTodayInOrder(await promiseAnswers({ store: desk, now }, second.customerId, second.oldCase))).toEqual(
      withTodayInOrder(expected),
    )
    expect(await sweptEscalations({ store: desk, now })).toEqual(expectedSwept)
    expect(desk.listsOnDisk('promises').map((list) => list.month)).toEqual(onDisk)
    expect(await changeOldPromises({ store: desk, now })).toEqual(expectedChanges)
    expect(desk.listsOnDisk('promises').map((list) => list.month)).not.toContain('2026-03')
    await desk.close()
  })
})
