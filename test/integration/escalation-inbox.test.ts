import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/services'
import { type ServiceContext } from '../../src/main/services/context'
import { type EscalationView } from '../../src/shared/api'
import { type Escalation } from '../../src/shared/escalations/escalation'
import { dataFileName } from '../../src/main/store/store'
import { engine, openContext, tempDir } from '../helpers/temp'

async function call<T>(ctx: ServiceContext, method: Parameters<typeof dispatch>[1], input: unknown): Promise<T> {
  const result = await dispatch(ctx, method, input)
  if (!result.ok) throw new Error(result.error.message)
  return result.value as T
}

/** The sample on a real store, and its raised (unacknowledged) repeat complainers; Maria Lopez works. */
async function sampleFolder() {
  const dir = await tempDir()
  const ctx = await openContext(dir, { now: '2026-11-23T10:00:00.000Z', user: 'Maria Lopez' })
  await call(ctx, 'demo:load', {})
  await call(ctx, 'escalations:sweep', {})
  return { dir, ctx }
}

describe('the escalation inbox on a real data folder', () => {
  it('filters the list by status, rule, department, severity and owner', async () => {
    const { ctx } = await sampleFolder()
    const all = [...ctx.store.all('escalations')]
    const list = async (input: object) =>
      (await call<{ escalations: EscalationView[]; total: number }>(ctx, 'escalations:list', input)).escalations
    const open = await list({ status: 'open' })
    expect(open.map((e) => e.id).sort()).toEqual(
      all
        .filter((e) => ['raised', 'acknowledged', 'action-planned'].includes(e.status))
        .map((e) => e.id)
        .sort(),
    )
    const kitchenHigh = await list({ department: 'Kitchen', severity: 'high' })
    expect(kitchenHigh.map((e) => e.id).sort()).toEqual(
      all
        .filter((e) => e.subject.department === 'Kitchen' && e.severity === 'high')
        .map((e) => e.id)
        .sort(),
    )
    const repeaters = await list({ rule: 'repeat-complainer', status: 'open' })
    expect(repeaters.length).toBeGreaterThan(0)
    expect(repeaters.every((e) => e.rule === 'repeat-complainer')).toBe(true)
    // The owner of the planned action: Tom Baker owns the Delivery plan in the sample.
    const toms = await list({ owner: 'Tom Baker' })
    expect(toms.length).toBeGreaterThan(0)
    expect(toms.every((e) => (e.action?.owner ?? e.caseOwner) === 'Tom Baker')).toBe(true)
    const refused = await dispatch(ctx, 'escalations:list', { rule: 'no-such-rule' })
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
  })

  it('acknowledges several with one note by a manager from the staff, all or none', async () => {
    const { dir, ctx } = await sampleFolder()
    const raised = [...ctx.store.all('escalations')].filter((e) => e.status === 'raised')
    expect(raised.length).toBeGreaterThan(0)
    const planned = [...ctx.store.all('escalations')].find((e) => e.status === 'action-planned') as Escalation
    const file = join(dir, dataFileName)
    const before = await readFile(file, 'utf8').catch(() => '')
    const stored = () => [...ctx.store.all('escalations')].map((e) => JSON.stringify(e))
    const kept = stored()

    // One of them already answered: the whole batch is refused, nothing written.
    const mixed = await dispatch(ctx, 'escalations:acknowledgeMany', {
      ids: [...raised.map((e) => e.id), planned.id],
      manager: 'Maria Lopez',
      note: 'Seen',
    })
    expect(mixed).toMatchObject({ ok: false, error: { reason: 'escalation.wrong_status' } })
    const noNote = await dispatch(ctx, 'escalations:acknowledgeMany', {
      ids: raised.map((e) => e.id),
      manager: 'Maria Lopez',
      note: ' ',
    })
    expect(noNote).toMatchObject({ ok: false, error: { reason: 'escalation.needs_note' } })
    expect(stored()).toEqual(kept)
    expect(await readFile(file, 'utf8').catch(() => '')).toBe(before)

    const done = await call<{ escalations: Escalation[] }>(ctx, 'escalations:acknowledgeMany', {
      ids: raised.map((e) => e.id),
      manager: 'Maria Lopez',
      note: 'Went through them at Monday’s review.',
    })
    expect(done.escalations.map((e) => e.id).sort()).toEqual(raised.map((e) => e.id).sort())
    for (const e of raised) {
      expect(ctx.store.get('escalations', e.id)).toMatchObject({
        status: 'acknowledged',
        acknowledgement: { by: 'Maria Lopez', note: 'Went through them at Monday’s review.' },
      })
    }
    expect(await call<{ unacknowledged: number }>(ctx, 'escalations:counts', {})).toMatchObject({ unacknowledged: 0 })
  })

  // A typed manager's name is the data folder's: on the team database the login's person acknowledges.
  it.runIf(engine === 'folder')(
    'refuses an acknowledgement, one or many, by someone not on the staff list',
    async () => {
      const { ctx } = await sampleFolder()
      const raised = [...ctx.store.all('escalations')].filter((e) => e.status === 'raised')
      const kept = [...ctx.store.all('escalations')].map((e) => JSON.stringify(e))
      const stranger = await dispatch(ctx, 'escalations:acknowledgeMany', {
        ids: raised.map((e) => e.id),
        manager: 'Somebody Else',
        note: 'Seen',
      })
      expect(stranger).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', reason: 'escalation.unknown_manager', details: [{ path: 'manager' }] },
      })
      const refused = await dispatch(ctx, 'escalations:acknowledge', {
        id: raised[0]!.id,
        manager: 'Manager',
        note: 'x',
      })
      expect(refused).toMatchObject({ ok: false, error: { reason: 'escalation.unknown_manager' } })
      expect([...ctx.store.all('escalations')].map((e) => JSON.stringify(e))).toEqual(kept)
    },
  )
})
