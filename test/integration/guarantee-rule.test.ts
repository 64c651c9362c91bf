import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/services'
import { type ServiceContext } from '../../src/main/services/context'
import { exportToFile, importIntoEmpty } from '../../src/main/services/storage/exchange'
import { currentSchemaVersion, migrations } from '../../src/main/store/migrations'
import { type Method, type MethodOutput } from '../../src/shared/api'
import { openContext, tempDir } from '../helpers/temp'

const fixtureV2 = join(__dirname, '..', 'fixtures', 'storage', 'v2-guarantees.json')

type RawStep = { key: string; status: string; at?: string; by?: string; note?: string }
type RawEvent = { at: string; type: string; field?: string; after?: string | null; note?: string }
type RawCase = { id: string; number: string; steps: RawStep[]; timeline: RawEvent[] }
type RawPromise = {
  id: string
  caseId?: string
  guaranteeId?: string
  status: string
  dueAt: string
  closedAt?: string
  note?: string
}
type RawData = { schemaVersion: number; collections: { cases: RawCase[]; promises: RawPromise[] } }

/**
 * A second, simple reading of the rule in docs/promises.md, written apart from the app's code:
 * the guarantee waits for one step; it is kept when that step was first done (timeline or step),
 * cancelled when the step was skipped, open otherwise; broken/renegotiated/cancelled by a person stays.
 */
function expectedState(p: RawPromise, c: RawCase): { status: string; closedAt?: string } {
  if (p.status !== 'open' && p.status !== 'kept')
    return { status: p.status, ...(p.closedAt ? { closedAt: p.closedAt } : {}) }
  const key = p.guaranteeId === 'first-response' ? 'empathise' : 'resolve'
  const times = c.timeline.filter((e) => e.type === 'step' && e.field === key && e.after === 'done').map((e) => e.at)
  const step = c.steps.find((s) => s.key === key)!
  if (step.status === 'done' && step.at) times.push(step.at)
  times.sort()
  if (times[0]) return { status: 'kept', closedAt: times[0] }
  if (step.status === 'skipped') return { status: 'cancelled', closedAt: step.at! }
  return { status: 'open' }
}

function checkEveryGuarantee(data: RawData): number {
  const cases = new Map(data.collections.cases.map((c) => [c.id, c]))
  let checked = 0
  for (const p of data.collections.promises) {
    if (!p.guaranteeId || !p.caseId) continue
    const expected = expectedState(p, cases.get(p.caseId)!)
    expect({ id: p.id, status: p.status, closedAt: p.closedAt }).toEqual({ id: p.id, closedAt: undefined, ...expected })
    checked++
  }
  return checked
}

const guaranteeOf = (data: RawData, number: string, guaranteeId: string) => {
  const c = data.collections.cases.find((x) => x.number === number)!
  return data.collections.promises.find((p) => p.caseId === c.id && p.guaranteeId === guaranteeId)!
}

async function call<M extends Method>(ctx: ServiceContext, method: M, input: unknown): Promise<MethodOutput<M>> {
  const result = await dispatch(ctx, method, input)
  if (!result.ok) throw Object.assign(new Error(result.error.message), result.error)
  return result.value
}

describe('service guarantees follow the recovery steps', () => {
  it('migration 3 recounts the sample cases C-2026-0142 and C-2026-0147 from their steps, purely', async () => {
    const v2 = JSON.parse(await readFile(fixtureV2, 'utf8')) as RawData
    const copy = structuredClone(v2)
    // As the sample stored them before: 0142's resolution open though Resolve was done on 11-14,
    // 0147's resolution kept though Resolve is pending.
    expect(guaranteeOf(v2, 'C-2026-0142', 'resolution').status).toBe('open')
    expect(guaranteeOf(v2, 'C-2026-0147', 'resolution').status).toBe('kept')

    const v3 = migrations[3]!(v2 as never) as unknown as RawData
    expect(v2).toEqual(copy)
    expect(currentSchemaVersion).toBe(3)
    expect(checkEveryGuarantee(v3)).toBe(6)

    const resolved = guaranteeOf(v3, 'C-2026-0142', 'resolution')
    expect([resolved.status, resolved.closedAt]).toEqual(['kept', '2026-11-14T03:48:00.000Z'])
    expect(Date.parse(resolved.closedAt!) <= Date.parse(resolved.dueAt)).toBe(true) // kept on time
    const firstResponse = guaranteeOf(v3, 'C-2026-0142', 'first-response')
    expect(Date.parse(firstResponse.closedAt!) > Date.parse(firstResponse.dueAt)).toBe(true) // kept late
    expect(guaranteeOf(v3, 'C-2026-0147', 'resolution').status).toBe('open')
    expect(guaranteeOf(v3, 'C-2026-0147', 'first-response').status).toBe('open')
    // Resolve skipped with a reason: the guarantee is not measured; broken by a person stays broken.
    const skipped = guaranteeOf(v3, 'C-2026-0900', 'resolution')
    expect([skipped.status, skipped.note]).toEqual(['cancelled', 'The customer withdrew the complaint'])
    expect(guaranteeOf(v3, 'C-2026-0900', 'first-response').status).toBe('broken')
    // Every change is told on its case's timeline.
    const lines = v3.collections.cases.flatMap((c) =>
      c.timeline.filter((e) => e.note?.startsWith('Recounted')).map((e) => `${c.number} ${e.field}`),
    )
    expect(lines.sort()).toEqual([
      'C-2026-0142 kept',
      'C-2026-0142 kept',
      'C-2026-0147 reopened',
      'C-2026-0147 reopened',
      'C-2026-0900 cancelled',
    ])
    // Already in line: running it again changes nothing.
    expect(migrations[3]!(v3 as never)).toBe(v3)
  })

  it('a version-2 export imports recounted, and the exported data agrees with the rule', async () => {
    const ctx = await openContext(await tempDir(), { now: '2026-11-25T10:00:00.000Z' })
    await importIntoEmpty(ctx, fixtureV2)
    const out = join(await tempDir(), 'export.json')
    await exportToFile(ctx, out)
    const exported = JSON.parse(await readFile(out, 'utf8')) as RawData
    expect(exported.schemaVersion).toBe(3)
    expect(checkEveryGuarantee(exported)).toBe(6)
    // Today's Overdue list: 0147's first response (due 11-23 13:00, Empathise pending) and nothing kept.
    const overdue = (await call(ctx, 'promises:today', {})).overdue.filter((p) => p.guaranteeId)
    expect(overdue.map((p) => [p.caseNumber, p.guaranteeId])).toEqual([['C-2026-0147', 'first-response']])
  })

  it('completing Empathise and Resolve keeps both guarantees; a reopen leaves them kept; no keeping by hand', async () => {
    const ctx = await openContext(await tempDir(), { now: '2026-11-23T09:00:00.000Z' })
    await call(ctx, 'settings:update', { promises: { calendar: { timeZone: 'UTC' } } })
    const c = await call(ctx, 'cases:create', {
      customerName: 'Margaret Smith',
      summary: 'Cold soup',
      category: 'poor-quality',
    })
    const guarantees = async () =>
      Object.fromEntries(
        (await call(ctx, 'promises:list', { caseId: c.id })).map((p) => [p.guaranteeId, [p.state, p.closedAt ?? null]]),
      )
    const firstResponse = (await call(ctx, 'promises:list', { caseId: c.id })).find(
      (p) => p.guaranteeId === 'first-response',
    )!
    await expect(call(ctx, 'promises:keep', { id: firstResponse.id })).rejects.toMatchObject({
      reason: 'promise.guarantee_follows_step',
    })

    ctx.setNow('2026-11-23T10:00:00.000Z')
    await call(ctx, 'cases:completeStep', { id: c.id, step: 'empathise' })
    expect(await guarantees()).toEqual({
      'first-response': ['kept-on-time', '2026-11-23T10:00:00.000Z'],
      resolution: ['open', null],
    })
    // Resolve done after the two business days: kept late, by the step's own time.
    ctx.setNow('2026-11-26T10:00:00.000Z')
    await call(ctx, 'cases:completeStep', { id: c.id, step: 'resolve' })
    await call(ctx, 'cases:skipStep', { id: c.id, step: 'prevent', reason: 'One-off' })
    expect(await guarantees()).toEqual({
      'first-response': ['kept-on-time', '2026-11-23T10:00:00.000Z'],
      resolution: ['kept-late', '2026-11-26T10:00:00.000Z'],
    })
    await call(ctx, 'cases:close', { id: c.id, reached: true, satisfaction: 4, wouldComeBack: 'yes' })
    ctx.setNow('2026-11-30T10:00:00.000Z')
    await call(ctx, 'cases:reopen', { id: c.id, reason: 'Cold again' })
    expect((await guarantees()).resolution).toEqual(['kept-late', '2026-11-26T10:00:00.000Z'])
    const timeline = (await call(ctx, 'cases:get', { id: c.id })).case.timeline
    expect(timeline.filter((e) => e.type === 'promise' && e.field === 'kept').map((e) => e.after)).toEqual([
      'guarantee:first-response',
      'guarantee:resolution',
    ])
  })
})
