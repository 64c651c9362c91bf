import { describe, expect, it } from 'vitest'
import { startHttpHost } from '../../src/main/hosts/http'
import { rendererDir } from '../../src/main/paths'
import { folderDigest } from '../helpers/digest'
import { openContext, tempDir } from '../helpers/temp'

async function withHost(
  run: (call: (path: string, body: unknown, token?: string) => Promise<Response>, dir: string) => Promise<void>,
) {
  const dir = await tempDir()
  const ctx = await openContext(dir)
  const host = await startHttpHost(ctx, { rendererDir: rendererDir() })
  const base = new URL(host.url)
  try {
    await run(
      (path, body, token = host.token) =>
        fetch(new URL(path, base), {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { 'x-makegood-token': token } : {}) },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
      dir,
    )
  } finally {
    await host.close()
  }
}

describe('the HTTP host over a real socket', () => {
  it('listens on 127.0.0.1 only and prints a URL with its token', async () => {
    const ctx = await openContext(await tempDir())
    const host = await startHttpHost(ctx, { rendererDir: rendererDir() })
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{48}$/)
    const address = host.server.address()
    expect(typeof address === 'object' && address?.address).toBe('127.0.0.1')
    await host.close()
  })

  it('answers 401 without the token, or with a wrong one', async () => {
    await withHost(async (call) => {
      const none = await call('/api/cases:list', {}, '')
      expect(none.status).toBe(401)
      expect(await none.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } })
      expect((await call('/api/cases:list', {}, 'f'.repeat(48))).status).toBe(401)
    })
  })

  it('answers bad input with a typed 400 naming the field, and changes nothing', async () => {
    await withHost(async (call, dir) => {
      expect((await call('/api/demo:load', {})).status).toBe(200)
      const before = await folderDigest(dir)
      const bad = await call('/api/cases:create', { customerName: 'Ann', summary: '', category: 42 })
      expect(bad.status).toBe(400)
      const body = (await bad.json()) as { ok: false; error: { code: string; details: { path: string }[] } }
      expect(body.error.code).toBe('invalid_input')
      expect(body.error.details.map((d) => d.path)).toEqual(expect.arrayContaining(['summary', 'category']))
      expect((await call('/api/cases:create', '{not json')).status).toBe(400)
      expect((await call('/api/cases:get', { id: 'nope' })).status).toBe(404)
      expect((await call('/api/no:such', {})).status).toBe(404)
      expect(await folderDigest(dir)).toEqual(before)
    })
  })

  it('serves a rule refusal as a typed 409', async () => {
    await withHost(async (call) => {
      const created = (await (
        await call('/api/cases:create', { customerName: 'Ann', summary: 'Late', category: 'long-wait' })
      ).json()) as { value: { id: string } }
      const refused = await call('/api/cases:close', { id: created.value.id, reached: false })
      expect(refused.status).toBe(409)
      expect(await refused.json()).toMatchObject({ error: { code: 'rule_violation', reason: 'close.steps_pending' } })
    })
  })
})
