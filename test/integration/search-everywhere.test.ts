import { describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/services'
import { type ServiceContext } from '../../src/main/services/context'
import { type SearchResults, searchKinds } from '../../src/shared/api'
import { type Escalation } from '../../src/shared/escalations/schemas'
import { type Case, type Customer } from '../../src/shared/schemas'
import { type Grumble } from '../../src/shared/iceberg/schemas'
import { openContext, tempDir } from '../helpers/temp'

async function call<T>(ctx: ServiceContext, method: Parameters<typeof dispatch>[1], input: unknown = {}): Promise<T> {
  const result = await dispatch(ctx, method, input)
  if (!result.ok) throw new Error(`${method}: ${result.error.message}`)
  return result.value as T
}

const search = (ctx: ServiceContext, query: string, limit?: number) =>
  call<SearchResults>(ctx, 'search:everywhere', { query, ...(limit ? { limit } : {}) })

/** The kinds that found something, with the ids they found. */
function found(results: SearchResults): Record<string, string[]> {
  return Object.fromEntries(results.groups.filter((g) => g.total > 0).map((g) => [g.kind, g.hits.map((h) => h.id)]))
}

/** A small book of records, each kind holding one word no other record has. */
async function seeded() {
  const ctx = await openContext(await tempDir())
  const customer = await call<Customer>(ctx, 'customers:create', {
    name: 'Árvíztűrő Tünde',
    notes: 'Prefers the quiet corner table',
  })
  const soup = await call<Case>(ctx, 'cases:create', {
    customerId: customer.id,
    summary: 'Lukewarm goulash',
    description: 'The soup came cold after forty minutes',
    category: 'poor-quality',
    severity: 'minor',
  })
  await call(ctx, 'cases:completeStep', { id: soup.id, step: 'empathise', note: 'Listened; she mentioned the paprika' })
  await call(ctx, 'cases:update', { id: soup.id, remedySought: 'A voucher for dessert' })
  await call(ctx, 'cases:assign', { id: soup.id, owner: 'Béla', note: 'Béla knows the kitchen rota' })
  const chinese = await call<Case>(ctx, 'cases:create', {
    customerName: '王小明',
    summary: '服务员态度很差',
    description: '我要求退款但是服务员不理我',
    category: 'rude-service',
    severity: 'major',
  })
  const grumble = await call<Grumble>(ctx, 'grumbles:log', {
    text: 'The terrace heaters were off again',
    heardBy: 'Anna',
    suggestion: 'Switch them on at five',
  })
  const promise = await call<{ id: string }>(ctx, 'promises:create', {
    caseId: soup.id,
    what: 'Send a saffron recipe card',
    due: { kind: 'business-days', n: 2 },
  })
  const escalation: Escalation = {
    id: 'esc-1',
    rule: 'recurring-failure',
    patternKey: 'recurring-failure:Kitchen:poor-quality',
    subject: { department: 'Kitchen', category: 'poor-quality' },
    severity: 'medium',
    status: 'acknowledged',
    evidence: [{ kind: 'case', id: soup.id, at: soup.receivedAt }],
    firstRaisedAt: '2026-11-20T10:00:00.000Z',
    lastSeenAt: '2026-11-20T10:00:00.000Z',
    updatedAt: '2026-11-21T10:00:00.000Z',
    acknowledgement: { by: 'Kovács', at: '2026-11-21T10:00:00.000Z', note: 'Thermometer checks at the pass' },
    isPreventionFailed: false,
    reopenCount: 0,
    history: [{ at: '2026-11-20T10:00:00.000Z', by: 'MakeGood', type: 'raised' }],
  }
  await ctx.store.commit([{ collection: 'escalations', value: escalation }])
  return { ctx, customer, soup, chinese, grumble, promise, escalation }
}

describe('search:everywhere', () => {
  it('finds each kind by a word only that record holds, grouped by kind in a fixed order', async () => {
    const { ctx, customer, soup, grumble, promise, escalation } = await seeded()

    const all = await search(ctx, 'zzz-nothing')
    expect(all.groups.map((g) => g.kind)).toEqual([...searchKinds])
    expect(all.groups.every((g) => g.total === 0 && g.hits.length === 0)).toBe(true)

    expect(found(await search(ctx, 'goulash'))).toEqual({ case: [soup.id] })
    expect(found(await search(ctx, 'quiet corner'))).toEqual({ customer: [customer.id] })
    expect(found(await search(ctx, 'heaters'))).toEqual({ grumble: [grumble.id] })
    expect(found(await search(ctx, 'five'))).toEqual({ grumble: [grumble.id] })
    expect(found(await search(ctx, 'saffron'))).toEqual({ promise: [promise.id] })
    expect(found(await search(ctx, 'thermometer'))).toEqual({ escalation: [escalation.id] })
    expect(found(await search(ctx, 'paprika'))).toEqual({ stepNote: [soup.id] })
    // A hand-off's note and an edited field's new value are timeline text.
    expect(found(await search(ctx, 'rota'))).toEqual({ timeline: [soup.id] })
    expect(found(await search(ctx, 'dessert'))).toMatchObject({ timeline: [soup.id] })

    const note = (await search(ctx, 'paprika')).groups.find((g) => g.kind === 'stepNote')?.hits[0]
    expect(note).toMatchObject({ step: 'empathise', caseNumber: soup.number, title: 'Lukewarm goulash' })
    expect(note?.excerpt).toContain('paprika')
    const hit = (await search(ctx, 'saffron')).groups.find((g) => g.kind === 'promise')?.hits[0]
    expect(hit).toMatchObject({ caseId: soup.id, caseNumber: soup.number, customerName: 'Árvíztűrő Tünde' })
  })

  it('a customer’s name finds them and what is theirs, each in its own group', async () => {
    const { ctx, customer, soup, promise } = await seeded()
    const results = found(await search(ctx, 'tünde'))
    expect(results.customer).toEqual([customer.id])
    expect(results.case).toEqual([soup.id])
    // Her case's service-guarantee promises are hers too.
    expect(results.promise).toContain(promise.id)
  })

  it('ignores accents and letter case, as Hungarian users type', async () => {
    const { ctx, customer } = await seeded()
    expect(found(await search(ctx, 'ARVIZTURO'))).toMatchObject({ customer: [customer.id] })
    expect(found(await search(ctx, 'bela'))).toMatchObject({ timeline: [expect.any(String)] })
    // Every word must occur: one missing rules the record out.
    expect(found(await search(ctx, 'arvizturo zebra'))).toEqual({})
  })

  it('finds Chinese words inside unspaced text, and by the customer’s Chinese name', async () => {
    const { ctx, chinese } = await seeded()
    expect(found(await search(ctx, '退款服务员'))).toEqual({ case: [chinese.id] })
    const byName = await search(ctx, '小明')
    expect(found(byName)).toMatchObject({ case: [chinese.id], customer: [chinese.customerId] })
    // Full-width letters fold to their ASCII form.
    expect(found(await search(ctx, 'ＧＯＵＬＡＳＨ')).case).toHaveLength(1)
  })

  it('an empty query finds nothing; `limit` caps each group while `total` counts all, newest first', async () => {
    const ctx = await openContext(await tempDir())
    expect((await search(ctx, '   ')).groups.every((g) => g.total === 0)).toBe(true)
    await call(ctx, 'demo:load')
    const results = await search(ctx, 'a', 3)
    const cases = results.groups.find((g) => g.kind === 'case')
    expect(cases?.total).toBeGreaterThan(3)
    expect(cases?.hits).toHaveLength(3)
    const at = cases?.hits.map((h) => h.at) ?? []
    expect(at).toEqual([...at].sort().reverse())
    const bad = await dispatch(ctx, 'search:everywhere', { query: 'x'.repeat(201) })
    expect(bad.ok).toBe(false)
  })

  it('sees a change at once: a record replaced is searched by its new text', async () => {
    const { ctx, soup } = await seeded()
    await call(ctx, 'cases:update', { id: soup.id, summary: 'Tepid borscht' })
    expect(found(await search(ctx, 'borscht')).case).toEqual([soup.id])
    expect(found(await search(ctx, 'goulash')).case).toBeUndefined()
  })

  it('prints how long one search over the sample data takes (figure only)', async () => {
    const ctx = await openContext(await tempDir())
    await call(ctx, 'demo:load')
    await search(ctx, 'warm up')
    const started = performance.now()
    const results = await search(ctx, 'cold')
    const ms = performance.now() - started
    process.stdout.write(`search:everywhere over the sample data: ${ms.toFixed(1)} ms\n`)
    expect(results.groups.some((g) => g.total > 0)).toBe(true)
  })
})
