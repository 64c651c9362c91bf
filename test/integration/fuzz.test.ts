import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { methods } from '../../src/shared/api'
import { startHttpHost } from '../../src/main/hosts/http'
import { rendererDir } from '../../src/main/paths'
import { dispatch } from '../../src/main/services'
import { Store } from '../../src/main/store/store'
import { openContext, tempDir } from '../helpers/temp'

/** Junk of every shape, plus keys and values that look like attacks (prototype keys, paths, operators). */
const hostile = fc.oneof(
  fc.constant(null),
  fc.string(),
  fc.integer(),
  fc.array(fc.anything(), { maxLength: 4 }),
  fc.dictionary(
    fc.oneof(
      fc.constantFrom('id', 'name', 'summary', 'category', 'storage', '__proto__', 'constructor', 'step'),
      fc.string(),
    ),
    fc.oneof(fc.anything(), fc.string({ maxLength: 300 }), fc.constant('../../etc/passwd'), fc.constant({ $gt: '' })),
    { maxKeys: 5 },
  ),
)

describe('every contract method under hostile input, through the real HTTP host', () => {
  it('always answers a typed error, keeps serving, and changes nothing', { timeout: 60_000 }, async () => {
    const dir = await tempDir()
    const ctx = await openContext(dir)
    await dispatch(ctx, 'demo:load', {})
    await ctx.store.checkpoint()
    const host = await startHttpHost(ctx, { rendererDir: rendererDir() })
    const base = new URL(host.url)
    const before = JSON.stringify(ctx.store.snapshot())
    const codes = new Set(['invalid_input', 'not_found', 'rule_violation', 'conflict', 'read_only', 'storage'])
    try {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...methods), hostile, fc.boolean(), async (method, input, asText) => {
          const body = asText ? `${JSON.stringify(input) ?? ''}}{` : JSON.stringify(input ?? null)
          const response = await fetch(new URL(`/api/${method}`, base), {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-makegood-token': host.token },
            body,
          })
          const answer = (await response.json()) as { ok: boolean; error?: { code: string; message: string } }
          // Some hostile inputs are still valid (e.g. `{}` for a list): those must not write either.
          if (!answer.ok) {
            expect(codes.has(answer.error?.code ?? '')).toBe(true)
            expect(typeof answer.error?.message).toBe('string')
          }
        }),
        { numRuns: 400, seed: 4242, interruptAfterTimeLimit: 20_000 },
      )
      // Still serving, data unchanged in memory and on disk.
      const info = await fetch(new URL('/api/app:info', base), {
        method: 'POST',
        headers: { 'x-makegood-token': host.token },
        body: '{}',
      })
      expect(info.status).toBe(200)
      expect(JSON.stringify(ctx.store.snapshot())).toBe(before)
    } finally {
      await host.close()
    }
    // And on disk: a fresh open reads back exactly the same data.
    await ctx.store.close()
    const reopened = await Store.open(dir, { isReadOnly: true })
    expect(JSON.stringify(reopened.snapshot())).toBe(before)
    expect(reopened.problems).toEqual([])
  })
})
