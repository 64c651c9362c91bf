import { describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/services'
import { openContext, tempDir } from '../helpers/temp'

const csv =
  '\uFEFFWhen,What,Ticket\r\n2026-11-20,Cold soup,T-1\r\n2026-11-21,"Long\r\nwait",T-2\r\nnever,Broken,T-3\r\n'
const mapping = { columns: { receivedAt: 'When', summary: 'What', externalId: 'Ticket' } }

describe('imports:complaints', () => {
  it('checks without writing, refuses invalid rows, imports the valid ones once', async () => {
    const ctx = await openContext(await tempDir())
    const check = await dispatch(ctx, 'imports:complaints', { csv, mapping, isDryRun: true, isSkipInvalid: true })
    expect(check).toMatchObject({
      ok: true,
      value: { rows: 3, created: 2, duplicates: 0, invalid: 1, isDryRun: true },
    })
    expect(check.ok && check.value.errors).toEqual([{ row: 4, column: 'When', reason: '"never" is not a date' }])
    expect([...ctx.store.all('cases')]).toHaveLength(0)

    const refused = await dispatch(ctx, 'imports:complaints', { csv, mapping })
    expect(refused).toMatchObject({ ok: true, value: { created: 0, isDryRun: true } })
    expect([...ctx.store.all('cases')]).toHaveLength(0)

    const imported = await dispatch(ctx, 'imports:complaints', { csv, mapping, isSkipInvalid: true })
    expect(imported).toMatchObject({ ok: true, value: { created: 2, invalid: 1, isDryRun: false } })
    expect([...ctx.store.all('cases')].map((c) => c.summary).sort()).toEqual(['Cold soup', 'Long\r\nwait'])

    const again = await dispatch(ctx, 'imports:complaints', { csv, mapping, isSkipInvalid: true })
    expect(again).toMatchObject({ ok: true, value: { created: 0, duplicates: 2 } })
  })

  it('rejects a mapping without summary, and a column the file does not have', async () => {
    const ctx = await openContext(await tempDir())
    const noSummary = await dispatch(ctx, 'imports:complaints', { csv, mapping: { columns: { receivedAt: 'When' } } })
    expect(noSummary).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    const missing = await dispatch(ctx, 'imports:complaints', {
      csv,
      mapping: { columns: { receivedAt: 'When', summary: 'Subject' } },
    })
    expect(missing).toMatchObject({ ok: false, error: { code: 'invalid_input', reason: 'import.missing_column' } })
  })
})
