import { describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/services'
import { createCase } from '../../src/main/services/cases/cases'
import { type ServiceContext } from '../../src/main/services/context'
import { type Method, type MethodOutput, NewCase } from '../../src/shared/api'
import { openContext, tempDir, unnamedActor } from '../helpers/temp'

async function call<M extends Method>(ctx: ServiceContext, method: M, input: unknown): Promise<MethodOutput<M>> {
  const result = await dispatch(ctx, method, input)
  if (!result.ok) throw new Error(`${method}: ${result.error.reason ?? result.error.code} ${result.error.message}`)
  return result.value
}

const map = { customer: '顾客', date: '日期', amount: '金额' }

/** 王芳 came weekly for half a year and stopped; 李娜 still comes weekly; a quoted note spans two lines. */
function activityCsv(now: string): string {
  const lines = ['顾客,日期,金额,备注']
  for (let week = 30; week >= 0; week--) {
    const day = new Date(Date.parse(now) - (week * 7 + 2) * 86_400_000).toISOString().slice(0, 10)
    lines.push(`李娜,${day},"1,045.50",`)
    if (week >= 12) lines.push(`王芳,${day},¥88,"午餐\r\n两位, 靠窗"`)
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`
}

describe('grumbles on a real data folder', () => {
  it('logs a grumble in one line, finds the customer by name, and promotes it with the link both ways', async () => {
    const ctx = await openContext(await tempDir())
    const customer = await call(ctx, 'customers:create', { name: 'Margaret Smith' })
    const bare = await call(ctx, 'grumbles:log', { text: 'Sighed at the cold coffee' })
    expect(bare).toMatchObject({ heardBy: unnamedActor, heardAt: '2026-11-23T10:00:00.000Z', suggestion: '' })
    expect(bare.customerId).toBeUndefined()
    const named = await call(ctx, 'grumbles:log', {
      text: 'Said the queue was too long',
      customerName: '  margaret   smith ',
      category: 'long-wait',
      suggestion: 'Open a second till',
    })
    expect(named.customerId).toBe(customer.id)

    const refused = await dispatch(ctx, 'grumbles:promote', { id: bare.id })
    expect(refused).toMatchObject({ ok: false, error: { reason: 'grumble.needs_customer' } })
    expect(ctx.store.count('cases')).toBe(0)

    const created = await call(ctx, 'grumbles:promote', { id: named.id })
    expect(created).toMatchObject({
      channel: 'grumble',
      category: 'long-wait',
      grumbleId: named.id,
      customerId: customer.id,
    })
    expect(created.description).toContain('Open a second till')
    expect(ctx.store.get('grumbles', named.id)?.caseId).toBe(created.id)
    const again = await dispatch(ctx, 'grumbles:promote', { id: named.id })
    expect(again).toMatchObject({ ok: false, error: { reason: 'grumble.already_promoted' } })
    expect(ctx.store.count('cases')).toBe(1)

    const list = await call(ctx, 'grumbles:list', {})
    expect(list.map((g) => [g.text, g.caseNumber ?? null, g.customerName ?? null])).toEqual([
      ['Sighed at the cold coffee', null, null],
      ['Said the queue was too long', created.number, 'Margaret Smith'],
    ])

    const iceberg = await call(ctx, 'iceberg:get', { from: '2026-11', to: '2026-11' })
    expect(iceberg.counts).toEqual({ formal: 0, grumbles: 2, silent: 0, total: 2 })
  })

  it('repairs a half-made promotion instead of filing a second case', async () => {
    const ctx = await openContext(await tempDir())
    const grumble = await call(ctx, 'grumbles:log', { text: 'Toilets smelled', customerName: 'Peter Novak' })
    // The case was written but the grumble's side of the link was not (a crash between the writes).
    // `grumbleId` is not part of the public contract: the promotion sets it through the service.
    const made = await createCase(ctx, {
      ...NewCase.parse({
        customerId: grumble.customerId,
        summary: 'Toilets smelled',
        category: 'hygiene',
        channel: 'grumble',
      }),
      grumbleId: grumble.id,
    })
    const repaired = await call(ctx, 'grumbles:promote', { id: grumble.id })
    expect(repaired.id).toBe(made.id)
    expect(ctx.store.count('cases')).toBe(1)
    expect(ctx.store.get('grumbles', grumble.id)?.caseId).toBe(made.id)
  })
})

describe('activity import and churn detection on a real data folder', () => {
  const now = '2026-11-23T10:00:00.000Z'

  it('reads a CSV with a BOM, CRLF, quoted multi-line fields and Chinese names; re-importing adds nothing', async () => {
    const dir = await tempDir()
    const ctx = await openContext(dir, { now })
    const csv = activityCsv(now)
    const first = await call(ctx, 'activities:import', { csv, map })
    expect(first).toEqual({
      rows: 50,
      imported: 50,
      alreadyThere: 0,
      newCustomers: 2,
      detection: { assessed: 2, raised: 1, updated: 0 },
    })
    const names = [...ctx.store.all('customers')].map((c) => c.name).sort()
    expect(names).toEqual(['李娜', '王芳'])
    const lina = [...ctx.store.all('customers')].find((c) => c.name === '李娜')
    expect([...ctx.store.all('activities')].find((a) => a.customerId === lina?.id)?.amount).toBe(1045.5)

    const second = await call(ctx, 'activities:import', { csv, map })
    expect(second).toMatchObject({
      imported: 0,
      alreadyThere: 50,
      newCustomers: 0,
      detection: { raised: 0, updated: 0 },
    })
    expect(ctx.store.count('activities')).toBe(50)

    const signals = await call(ctx, 'signals:list', { status: 'open' })
    expect(signals.signals).toHaveLength(1)
    const signal = signals.signals[0]
    expect(signal).toMatchObject({ customerName: '王芳', level: 'lost', reasons: ['gone'] })
    // 88 × 365/7 × 3
    expect(signal?.valueAtRisk?.value).toBeCloseTo(88 * (365 / 7) * 3, 6)

    // Detection again, and after a restart: still one signal.
    expect(await call(ctx, 'signals:detect', {})).toEqual({ assessed: 2, raised: 0, updated: 0 })
    const reopened = await ctx.reopen()
    try {
      const ctx2 = { store: reopened, now: () => new Date(now) }
      expect(await call(ctx2, 'signals:detect', {})).toEqual({ assessed: 2, raised: 0, updated: 0 })
      expect(reopened.count('signals')).toBe(1)
      const loyalty = await call(ctx2, 'customers:list', { segment: 'lost' })
      expect(loyalty.map((c) => c.name)).toEqual(['王芳'])
      const core = await call(ctx2, 'customers:list', { segment: 'core' })
      expect(core.map((c) => c.name)).toEqual(['李娜'])
    } finally {
      await reopened.close()
    }
  })

  it('writes nothing when a row is bad, and names the row', async () => {
    const dir = await tempDir()
    const ctx = await openContext(dir, { now })
    const csv = '\uFEFFcustomer,date,amount\r\nAnna,2026-05-01,10\r\nBéla,first of May,12\r\nCili,2026-05-03,-4\r\n'
    const result = await dispatch(ctx, 'activities:import', {
      csv,
      map: { customer: 'customer', date: 'date', amount: 'amount' },
    })
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', reason: 'import.bad_rows', params: { count: 2, row: 3 } },
    })
    expect(!result.ok && result.error.details.map((d) => d.message)).toEqual([
      'Row 3: Not a date: "first of May"',
      'Row 4: Not an amount: "-4"',
    ])
    expect(ctx.store.count('customers')).toBe(0)
    expect(ctx.store.count('activities')).toBe(0)
    const missing = await dispatch(ctx, 'activities:import', { csv, map: { customer: 'name', date: 'date' } })
    expect(missing).toMatchObject({ ok: false, error: { details: [{ path: 'customer' }] } })
    // Nothing reached the disk either: a second reader of the folder (journal and month files,
    // whatever the layout) finds no activity and no customer.
    const reader = await ctx.openAgain({ isReadOnly: true })
    try {
      expect(reader.count('activities')).toBe(0)
      expect(reader.count('customers')).toBe(0)
    } finally {
      await reader.close()
    }
  })

  it('works a signal to its outcome and counts the win-back rate', async () => {
    const ctx = await openContext(await tempDir(), { now })
    await call(ctx, 'activities:import', { csv: activityCsv(now), map })
    const [signal] = (await call(ctx, 'signals:list', {})).signals
    const planned = await call(ctx, 'signals:planWinBack', {
      id: signal!.id,
      what: 'Call and invite her for lunch',
      dueAt: '2026-11-25T17:00:00.000Z',
    })
    expect(planned.winBack).toMatchObject({ what: 'Call and invite her for lunch', by: unnamedActor })
    // The win-back contact is a promise to that customer, in the ledger.
    const promise = ctx.store.get('promises', planned.winBack!.promiseId!)
    expect(promise).toMatchObject({
      customerId: signal!.customerId,
      what: 'Call and invite her for lunch',
      dueAt: '2026-11-25T17:00:00.000Z',
      status: 'open',
    })
    const replanned = await call(ctx, 'signals:planWinBack', {
      id: signal!.id,
      what: 'Send a note with a table reserved',
      dueAt: '2026-11-26T17:00:00.000Z',
    })
    expect(ctx.store.get('promises', promise!.id)?.status).toBe('cancelled')
    expect(ctx.store.get('promises', replanned.winBack!.promiseId!)?.status).toBe('open')
    const closed = await call(ctx, 'signals:close', { id: signal!.id, outcome: 'won-back', note: 'Back on Friday' })
    expect(closed).toMatchObject({ status: 'closed', outcome: 'won-back', outcomeNote: 'Back on Friday' })
    expect(await dispatch(ctx, 'signals:close', { id: signal!.id, outcome: 'lost' })).toMatchObject({
      ok: false,
      error: { reason: 'signal.closed' },
    })
    expect((await call(ctx, 'signals:list', {})).winBack).toEqual({ wonBack: 1, lost: 0, falseAlarms: 0, rate: 1 })
    // The outcome settles this silence: detection does not raise it again.
    expect(await call(ctx, 'signals:detect', {})).toMatchObject({ raised: 0 })

    const lina = [...ctx.store.all('customers')].find((c) => c.name === '李娜')!
    const manual = await call(ctx, 'signals:raise', { customerId: lina.id, note: 'Told Anna she is moving away' })
    expect(manual).toMatchObject({ origin: 'manual', level: 'at-risk', reasons: ['manual'] })
    expect(manual.valueAtRisk?.value).toBeCloseTo(1045.5 * (365 / 7) * 3, 4)
    expect(await dispatch(ctx, 'signals:raise', { customerId: lina.id, note: 'again' })).toMatchObject({
      ok: false,
      error: { reason: 'signal.already_open' },
    })
    expect((await call(ctx, 'loyalty:get', { customerId: lina.id })).segment).toBe('at-risk')
    await call(ctx, 'loyalty:setAdvocate', { customerId: lina.id, isAdvocate: true })
    expect((await call(ctx, 'loyalty:get', { customerId: lina.id })).segment).toBe('advocate')
  })

  it('loads sample data with grumbles every month, signals, and no duplicates on detection', async () => {
    const ctx = await openContext(await tempDir(), { now })
    await call(ctx, 'demo:load', {})
    const trend = (await call(ctx, 'iceberg:get', { from: '2026-11', to: '2026-11' })).trend
    expect(trend).toHaveLength(12)
    expect(trend.every((m) => m.grumbles > 0)).toBe(true)
    const open = (await call(ctx, 'signals:list', { status: 'open' })).signals
    expect(open.map((s) => s.customerName).sort()).toEqual(
      ['Emily Brooks', 'James Whitfield', "Sarah O'Connor", 'Thomas Reid', '张伟', '李娜'].sort(),
    )
    expect(await call(ctx, 'signals:detect', {})).toMatchObject({ raised: 0, updated: 0 })
    const promotedCases = [...ctx.store.all('cases')].filter((c) => c.grumbleId)
    expect(promotedCases.length).toBeGreaterThan(0)
    for (const c of promotedCases) expect(ctx.store.get('grumbles', c.grumbleId!)?.caseId).toBe(c.id)
  })

  it('pages the signals in the list’s order, with the same figures over all of them, and follows a change', async () => {
    const ctx = await openContext(await tempDir(), { now })
    await call(ctx, 'demo:load', {})
    const pages = async (filter: { status?: 'open' | 'closed'; customerId?: string }) => {
      const rows: unknown[] = []
      for (let offset = 0; ; offset += 2) {
        const page = await call(ctx, 'signals:page', { ...filter, offset, limit: 2 })
        const list = await call(ctx, 'signals:list', filter)
        expect(page.total).toBe(list.signals.length)
        expect({ winBack: page.winBack, total: page.totalValueAtRisk }).toEqual({
          winBack: list.winBack,
          total: list.totalValueAtRisk,
        })
        rows.push(...page.items)
        if (offset + 2 >= page.total) return { rows, list: list.signals }
      }
    }
    const customerId = (await call(ctx, 'signals:list', {})).signals[0]!.customerId
    for (const filter of [{}, { status: 'open' as const }, { status: 'closed' as const }, { customerId }]) {
      const { rows, list } = await pages(filter)
      expect(rows.length, JSON.stringify(filter)).toBeGreaterThan(0)
      expect(rows, JSON.stringify(filter)).toEqual(list)
    }
    // A signal closed moves from the open pages to the closed ones.
    const [first] = (await call(ctx, 'signals:page', { status: 'open', limit: 1 })).items
    await call(ctx, 'signals:close', { id: first!.id, outcome: 'won-back', note: 'Back for lunch' })
    expect((await pages({ status: 'open' })).rows.map((s) => (s as { id: string }).id)).not.toContain(first!.id)
    expect((await pages({ status: 'closed' })).rows.map((s) => (s as { id: string }).id)).toContain(first!.id)
    expect((await call(ctx, 'signals:page', { offset: 1000 })).items).toEqual([])
  })

  it('pages the customers by name as customers:list lists them, with its search and segment filters', async () => {
    const ctx = await openContext(await tempDir(), { now })
    await call(ctx, 'demo:load', {})
    const filters = [{}, { query: 'a' }, { segment: 'lost' as const }, { query: 'zzz-nobody' }]
    for (const filter of filters) {
      const list = await call(ctx, 'customers:list', filter)
      const rows: unknown[] = []
      for (let offset = 0; ; offset += 3) {
        const page = await call(ctx, 'customers:page', { ...filter, offset, limit: 3 })
        expect(page.total, JSON.stringify(filter)).toBe(list.length)
        rows.push(...page.items)
        if (offset + 3 >= page.total) break
      }
      expect(rows, JSON.stringify(filter)).toEqual(list)
    }
    expect((await call(ctx, 'customers:list', {})).length).toBeGreaterThan(3)
    // A new customer takes their place by name at once.
    await call(ctx, 'customers:create', { name: 'Aaron Abbott' })
    expect((await call(ctx, 'customers:page', { limit: 1 })).items.map((c) => c.name)).toEqual(['Aaron Abbott'])
    // Their first complaint counts on their row at once.
    await call(ctx, 'cases:create', { customerName: 'Aaron Abbott', summary: 'Cold soup', category: 'poor-quality' })
    const [aaron] = (await call(ctx, 'customers:page', { limit: 1 })).items
    expect([aaron?.caseCount, aaron?.openCaseCount]).toEqual([1, 1])
    // A restore of a data set without cases leaves no count behind.
    await ctx.store.replaceAll({
      schemaVersion: 2,
      settings: ctx.store.settings,
      collections: { customers: [...ctx.store.all('customers')] },
    })
    const [restored] = (await call(ctx, 'customers:page', { limit: 1 })).items
    expect([restored?.name, restored?.caseCount, restored?.openCaseCount]).toEqual(['Aaron Abbott', 0, 0])
  })
})
