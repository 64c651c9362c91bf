import { describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/services'
import { Currency, defaultCurrency } from '../../src/shared/money/currency'
import { buildReport, monthPeriod, sameLastYear } from '../../src/shared/reports/report'
import { fixtureCase, fixtureInput, fixtureNow } from '../helpers/reportFixture'
import { openContext, tempDir } from '../helpers/temp'

describe('currency', () => {
  it('is an ISO 4217 code the engine knows; the default follows the language or region', () => {
    expect(Currency.safeParse('EUR').success).toBe(true)
    expect(Currency.safeParse('eur').success).toBe(false)
    expect(Currency.safeParse('EU').success).toBe(false)
    expect(Currency.safeParse('XYZ').success).toBe(false)
    expect([defaultCurrency('hu'), defaultCurrency('zh-CN'), defaultCurrency('zh-TW')]).toEqual(['HUF', 'CNY', 'TWD'])
    expect([defaultCurrency('en_GB.UTF-8'), defaultCurrency('en'), defaultCurrency('de-AT')]).toEqual([
      'GBP',
      'USD',
      'EUR',
    ])
  })

  it('a made-up code is refused and the stored settings stay exactly as they were', async () => {
    const ctx = await openContext(await tempDir())
    const before = JSON.stringify(ctx.store.settings)
    const refused = await dispatch(ctx, 'settings:update', { currency: 'XYZ' })
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect(JSON.stringify(ctx.store.settings)).toBe(before)
    expect(await dispatch(ctx, 'settings:update', { currency: 'HUF' })).toMatchObject({ ok: true })
    expect(ctx.store.settings.currency).toBe('HUF')
  })
})

describe('comeback and loyalty without imported activity', () => {
  it('say so with null, never 0, and still count the customers whose case closed', () => {
    const input = fixtureInput()
    const report = buildReport(input, monthPeriod('2026-10'), fixtureNow)
    expect(report.comeback.hasActivity).toBe(false)
    for (const group of [report.comeback.recovered, report.comeback.notRecovered]) {
      expect(group.withoutActivity).toBe(group.customers)
      expect([group.cameBack30, group.cameBack90, group.cameBack30Rate, group.spendBefore, group.spendAfter]).toEqual([
        null,
        null,
        null,
        null,
        null,
      ])
    }
    // Each customer once, whatever number of their cases closed in October.
    const closedBy = new Set(
      input.cases.filter((c) => c.closure?.closedAt.startsWith('2026-10')).map((c) => c.customerId),
    )
    expect(closedBy.size).toBeGreaterThan(0)
    expect(report.comeback.recovered.customers + report.comeback.notRecovered.customers).toBe(closedBy.size)
    expect(Object.values(report.loyalty)).toEqual([false, null, null, null, null, null, null])
  })
})

describe('the same period a year earlier', () => {
  it('a month stays a month; 29 February becomes the 28th', () => {
    expect(sameLastYear(monthPeriod('2026-10'))).toEqual({ from: '2025-10-01', to: '2025-10-31' })
    expect(sameLastYear({ from: '2028-02-10', to: '2028-02-29' })).toEqual({ from: '2027-02-10', to: '2027-02-28' })
  })

  it('shows figures where data exists a year back, and null where nothing was recorded yet', () => {
    const old = fixtureCase({
      id: 'old',
      customerId: 'A',
      channel: 'formal',
      category: 'long-wait',
      department: 'Kitchen',
      receivedAt: '2025-10-14T10:00:00.000Z',
    })
    const withHistory = fixtureInput()
    const report = buildReport(
      { ...withHistory, cases: [...withHistory.cases, old] },
      monthPeriod('2026-10'),
      fixtureNow,
    )
    expect(report.compare.lastYear).toMatchObject({ from: '2025-10-01', to: '2025-10-31' })
    expect(report.compare.lastYear?.figures['cases.opened']).toBe(1)
    expect(report.compare.lastYear?.figures['iceberg.formal']).toBe(1)
    const without = buildReport(fixtureInput(), monthPeriod('2026-10'), fixtureNow)
    expect(without.compare.lastYear).toBeNull()
  })
})

describe('Log failure', () => {
  it('an unknown department is refused and nothing is stored', async () => {
    const ctx = await openContext(await tempDir())
    await dispatch(ctx, 'settings:update', { departments: ['Kitchen'] })
    const refused = await dispatch(ctx, 'failures:log', {
      category: 'long-wait',
      department: 'Kitchn',
      what: 'Oven broke down',
      cost: 300,
    })
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    expect(ctx.store.count('failures')).toBe(0)
    const logged = await dispatch(ctx, 'failures:log', {
      category: 'long-wait',
      department: 'Kitchen',
      what: 'Oven broke down',
      cost: 300,
    })
    expect(logged).toMatchObject({ ok: true, value: { department: 'Kitchen', cost: 300 } })
    expect(ctx.store.count('failures')).toBe(1)
  })

  it('failures logged without a customer count in the patterns: over the target → an escalation', async () => {
    const ctx = await openContext(await tempDir(), { now: '2026-11-20T10:00:00.000Z' })
    await dispatch(ctx, 'settings:update', {
      departments: ['Kitchen'],
      escalation: {
        ...ctx.store.settings.escalation,
        targets: [{ department: 'Kitchen', category: 'long-wait', perMonth: 1 }],
      },
    })
    for (const day of ['03', '09', '14']) {
      const logged = await dispatch(ctx, 'failures:log', {
        category: 'long-wait',
        department: 'Kitchen',
        what: 'Delivery truck late: lunch started short',
        at: `2026-11-${day}T09:00:00.000Z`,
      })
      expect(logged.ok).toBe(true)
    }
    const listed = await dispatch(ctx, 'escalations:list', {})
    if (!listed.ok) throw new Error(listed.error.message)
    expect(listed.value.escalations.some((e) => e.rule === 'over-target' && e.subject.department === 'Kitchen')).toBe(
      true,
    )
  })
})
