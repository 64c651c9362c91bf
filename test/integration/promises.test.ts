import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import ICAL from 'ical.js'
import { describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/services'
import { type ServiceContext } from '../../src/main/services/context'
import { type Method, type MethodOutput } from '../../src/shared/api'
import { engine, openContext, tempDir } from '../helpers/temp'
import { cliEnv, cliTestTimeout } from '../helpers/cli-env'

const run = promisify(execFile)
const bin = join(__dirname, '..', '..', 'bin', 'makegood.cjs')

async function call<M extends Method>(ctx: ServiceContext, method: M, input: unknown): Promise<MethodOutput<M>> {
  const result = await dispatch(ctx, method, input)
  if (!result.ok) throw Object.assign(new Error(result.error.message), result.error)
  return result.value
}

/** Wednesday 12 March 2025, 10:00 in Budapest. */
const wednesday = '2025-03-12T09:00:00.000Z'

async function budapestContext() {
  const ctx = await openContext(await tempDir(), { now: wednesday, user: 'Anna Kovács' })
  await call(ctx, 'settings:update', {
    staff: [{ name: 'Anna Kovács', department: 'Front of house' }],
    departments: ['Front of house'],
    currentUser: 'Anna Kovács',
    promises: {
      calendar: { timeZone: 'Europe/Budapest', holidayCountry: 'HU' },
      guarantees: [
        { id: 'first-response', amount: 4, unit: 'business-hours', compensation: 'A free dessert' },
        { id: 'resolution', amount: 2, unit: 'business-days' },
      ],
    },
  })
  return ctx
}

describe('promise services on a real data folder', () => {
  it('creates guarantee promises with a new case, due by the working calendar with HU holidays', async () => {
    const ctx = await budapestContext()
    // Friday 14 March 2025, 16:00 Budapest; Saturday the 15th is a Hungarian public holiday anyway,
    // and Monday… is a normal day: 4 business hours end Monday 12:00, 2 business days Tuesday 17:00.
    ctx.setNow('2025-03-14T15:00:00.000Z')
    const c = await call(ctx, 'cases:create', {
      customerName: 'Margaret Smith',
      summary: 'Cold soup',
      category: 'poor-quality',
    })
    const promises = await call(ctx, 'promises:list', { caseId: c.id })
    expect(promises.map((p) => [p.guaranteeId, p.madeBy, p.dueAt, p.compensation])).toEqual([
      ['first-response', 'Service guarantee', '2025-03-17T11:00:00.000Z', 'A free dessert'],
      ['resolution', 'Service guarantee', '2025-03-18T16:00:00.000Z', undefined],
    ])
    expect(c.timeline.filter((e) => e.type === 'promise').map((e) => e.after)).toEqual([
      'guarantee:first-response',
      'guarantee:resolution',
    ])
  })

  it('marks a quick pick whose time has passed, so the dialog can refuse it before a click', async () => {
    const ctx = await budapestContext()
    // 21:00 in Budapest: the calendar closed at 17:00.
    ctx.setNow('2025-03-12T20:00:00.000Z')
    expect(await call(ctx, 'calendar:resolveDue', { due: { kind: 'today' } })).toEqual({
      dueAt: '2025-03-12T16:00:00.000Z',
      isPast: true,
    })
    expect(await call(ctx, 'calendar:resolveDue', { due: { kind: 'tomorrow' } })).toEqual({
      dueAt: '2025-03-13T16:00:00.000Z',
      isPast: false,
    })
    // At 10:00 the same pick is still ahead.
    ctx.setNow(wednesday)
    expect(await call(ctx, 'calendar:resolveDue', { due: { kind: 'today' } })).toMatchObject({ isPast: false })
  })

  it('records every change on the case timeline, and a failed change writes nothing', async () => {
    const ctx = await budapestContext()
    const c = await call(ctx, 'cases:create', { customerName: 'David Chen', summary: 'Wrong bill', category: 'other' })
    const made = await call(ctx, 'promises:create', {
      caseId: c.id,
      what: 'Send a corrected invoice',
      due: { kind: 'today' },
    })
    expect(made).toMatchObject({
      dueAt: '2025-03-12T16:00:00.000Z',
      department: 'Front of house',
      madeBy: 'Anna Kovács',
    })
    const other = await call(ctx, 'promises:create', { caseId: c.id, what: 'Call back', due: { kind: 'tomorrow' } })
    const third = await call(ctx, 'promises:create', {
      caseId: c.id,
      what: 'Refund',
      due: { kind: 'business-days', n: 3 },
    })

    const { closed, successor } = await call(ctx, 'promises:renegotiate', {
      id: other.id,
      due: { kind: 'business-days', n: 5 },
      note: 'She is away',
    })
    expect(closed.status).toBe('renegotiated')
    expect(successor.predecessorId).toBe(other.id)

    const before = JSON.stringify(ctx.store.dataSet())
    await expect(call(ctx, 'promises:break', { id: third.id, whatHappened: '  ' })).rejects.toMatchObject({
      reason: 'promise.break_needs_what_happened',
    })
    await expect(call(ctx, 'promises:cancel', { id: closed.id, reason: 'x' })).rejects.toMatchObject({
      reason: 'promise.not_open',
    })
    expect(JSON.stringify(ctx.store.dataSet())).toBe(before)

    await call(ctx, 'promises:break', { id: third.id, whatHappened: 'Bank holiday', isLoggedOnCase: true })
    await call(ctx, 'promises:cancel', { id: successor.id, reason: 'Customer withdrew' })
    ctx.setNow('2025-03-12T17:30:00.000Z')
    // The first-response guarantee (due 15:00 Budapest) is overdue too.
    expect((await call(ctx, 'promises:today', {})).overdue.map((p) => p.guaranteeId ?? p.id)).toEqual([
      'first-response',
      made.id,
    ])
    // Today asks for the first few of each list, with how many there are in all.
    const firstOnly = await call(ctx, 'promises:today', { limit: 1 })
    expect(firstOnly.overdue.map((p) => p.guaranteeId ?? p.id)).toEqual(['first-response'])
    expect(firstOnly.totals.overdue).toBe(2)
    expect((await call(ctx, 'promises:today', {})).totals).toEqual(firstOnly.totals)
    await call(ctx, 'promises:keep', { id: made.id })

    const detail = await call(ctx, 'cases:get', { id: c.id })
    expect(
      detail.case.timeline
        .filter((e) => e.type === 'promise' || e.type === 'failure')
        .map((e) => `${e.type}:${e.field}`),
    ).toEqual([
      'promise:made',
      'promise:made',
      'promise:made',
      'promise:made',
      'promise:made',
      'promise:renegotiated',
      'promise:broken',
      'failure:broken-promise',
      'promise:cancelled',
      'promise:kept',
    ])
    const metrics = await call(ctx, 'promises:metrics', {})
    expect(metrics.byStaff.find((s) => s.name === 'Anna Kovács')?.metrics).toMatchObject({
      keptLate: 1,
      broken: 1,
      renegotiated: 1,
      cancelled: 1,
      keptRate: 0,
    })

    // It is all stored: a fresh store reads back the same promises.
    const reopened = await ctx.reopen({ isReadOnly: true })
    expect(reopened.count('promises')).toBe(ctx.store.count('promises'))
  })

  it('keeps feature settings when another field changes', async () => {
    const ctx = await budapestContext()
    await call(ctx, 'settings:update', { language: 'hu' })
    expect((await call(ctx, 'settings:get', {})).promises.calendar.timeZone).toBe('Europe/Budapest')
  })

  it('exports open promises as iCalendar that a real parser reads back', async () => {
    const ctx = await budapestContext()
    const c = await call(ctx, 'cases:create', { customerName: '王芳', summary: '菜太咸', category: 'poor-quality' })
    await call(ctx, 'promises:create', {
      caseId: c.id,
      what: '回电告知调查结果',
      due: { kind: 'business-hours', n: 2 },
    })
    const kept = await call(ctx, 'promises:create', { caseId: c.id, what: 'Kept already', due: { kind: 'today' } })
    await call(ctx, 'promises:keep', { id: kept.id })
    const file = await call(ctx, 'promises:ics', { lang: 'en' })
    const calendar = new ICAL.Component(ICAL.parse(file.content))
    const events = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v))
    // Two guarantee promises and the open one; the kept promise is not exported.
    expect(file.count).toBe(3)
    expect(events.map((e) => e.summary).sort()).toEqual([
      'Promise to 王芳: First response within 4 business hours',
      'Promise to 王芳: Resolution within 2 business days',
      'Promise to 王芳: 回电告知调查结果',
    ])
    const own = events.find((e) => e.summary.endsWith('回电告知调查结果'))
    expect(own?.startDate.toJSDate().toISOString()).toBe('2025-03-12T11:00:00.000Z')
    expect(own?.description).toContain('Made by Anna Kovács')
  })
})

// The CLI spawned on a data folder: the same run on either engine, so once (the CLI on the team
// database is team-cli.test.ts).
describe('the ledger a page at a time', () => {
  it('pages hold the whole list, latest due first, for every filter the screen sends', async () => {
    const ctx = await openContext(await tempDir(), { now: '2026-11-23T10:00:00Z' })
    await call(ctx, 'demo:load', {})
    const everyPromise = await call(ctx, 'promises:list', {})
    expect(everyPromise.length).toBeGreaterThan(20)
    const maker = everyPromise[0]!.madeBy
    for (const filter of [
      {},
      { states: ['open', 'overdue'] },
      { madeBy: maker },
      { dueTo: '2026-10-31T23:59:59.999Z' },
    ]) {
      const list = await call(ctx, 'promises:list', filter)
      const rows: unknown[] = []
      for (let offset = 0; ; offset += 7) {
        const page = await call(ctx, 'promises:page', { ...filter, offset, limit: 7 })
        expect(page.total).toBe(list.length)
        rows.push(...page.items)
        if (offset + 7 >= page.total) break
      }
      expect(rows, JSON.stringify(filter)).toEqual([...list].reverse())
    }
    expect((await call(ctx, 'promises:page', { offset: everyPromise.length, limit: 5 })).items).toEqual([])
  })
})

describe.runIf(engine === 'folder')('makegood promises, spawned as a process', { timeout: cliTestTimeout }, () => {
  it('lists overdue and due-soon promises, as text and JSON, and writes the calendar file', async () => {
    const dir = await tempDir()
    const env = cliEnv()
    const now = ['--data', dir, '--now', '2025-03-12T10:00:00Z']
    await run(process.execPath, [bin, ...now, 'demo'], { env })
    const all = JSON.parse(
      (await run(process.execPath, [bin, ...now, 'promises', '--all', '--json'], { env })).stdout,
    ) as {
      state: string
    }[]
    const states = new Set(all.map((p) => p.state))
    for (const state of ['open', 'overdue', 'kept-on-time', 'kept-late', 'broken', 'renegotiated'])
      expect(states).toContain(state)

    const overdue = JSON.parse(
      (await run(process.execPath, [bin, ...now, 'promises', '--overdue', '--json'], { env })).stdout,
    ) as {
      state: string
    }[]
    expect(overdue.length).toBeGreaterThan(0)
    expect(overdue.every((p) => p.state === 'overdue')).toBe(true)

    const soon = JSON.parse(
      (await run(process.execPath, [bin, ...now, 'promises', '--due-within', '1d', '--json'], { env })).stdout,
    ) as { state: string; dueAt: string }[]
    expect(soon.length).toBeGreaterThan(0)
    expect(soon.every((p) => p.state === 'open' && Date.parse(p.dueAt) <= Date.parse('2025-03-13T10:00:00Z'))).toBe(
      true,
    )

    const text = (await run(process.execPath, [bin, ...now, 'promises', '--overdue'], { env })).stdout
    expect(text).toContain('Overdue')

    const icsFile = join(dir, 'promises.ics')
    const written = await run(process.execPath, [bin, ...now, 'promises', '--ics', icsFile], { env })
    expect(written.stdout).toMatch(/Wrote \d+ open promises to/)
    const parsed = new ICAL.Component(ICAL.parse(await readFile(icsFile, 'utf8')))
    expect(parsed.getAllSubcomponents('vevent').length).toBe(
      all.filter((p) => p.state === 'open' || p.state === 'overdue').length,
    )

    const help = (await run(process.execPath, [bin, 'promises', '--help'], { env })).stdout
    expect(help).toContain('--due-within')
    await expect(
      run(process.execPath, [bin, ...now, 'promises', '--due-within', 'soon'], { env }),
    ).rejects.toMatchObject({
      code: 2,
    })
  })
})
