import { mkdir, symlink, writeFile } from 'node:fs/promises'
import { request as httpRequest } from 'node:http'
import { connect } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { maxBodyBytes, startHttpHost } from '../../src/main/hosts/http'
import { type LogEntry, logger } from '../../src/main/log/logger'
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

/** Lines after the test go where they went before: stderr (each test file has its own logger). */
const defaultSinks = [
  (entry: LogEntry) => void process.stderr.write(`${entry.level} ${entry.event}: ${entry.message}\n`),
]

/** One raw HTTP exchange over a plain socket: what a hostile page or script could send. */
function rawExchange(port: number, text: string): Promise<{ status: number; head: string; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    socket.on('data', (chunk) => chunks.push(chunk))
    socket.on('error', reject)
    socket.on('close', () => {
      const answer = Buffer.concat(chunks).toString('utf8')
      const [head = '', body = ''] = answer.split('\r\n\r\n', 2)
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head, body })
    })
    // No half-close: the server would drop an answer it had not written yet; `Connection: close` ends it.
    socket.write(text)
  })
}

/** A well-formed request with headers a browser's fetch would not let a page set (Host, Origin). */
function request(
  port: number,
  options: { path: string; method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      // A fresh connection each time: a pooled one may be closed by the server after a refusal.
      {
        host: '127.0.0.1',
        port,
        path: options.path,
        method: options.method ?? 'GET',
        headers: options.headers,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }))
      },
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

/** A tiny built UI in a temp folder, with a file beside it that must never be served. */
async function siteWithSecret(): Promise<string> {
  const dir = await tempDir()
  const site = join(dir, 'site')
  await mkdir(join(site, 'assets'), { recursive: true })
  await writeFile(join(site, 'index.html'), '<!doctype html><title>MakeGood</title>')
  await writeFile(join(site, 'assets', 'app.js'), 'console.log(1)')
  await writeFile(join(dir, 'package.json'), '{"secret":"outside the renderer folder"}')
  return site
}

async function startOn(site: string) {
  const ctx = await openContext(await tempDir())
  const host = await startHttpHost(ctx, { rendererDir: site })
  const address = host.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return { host, port, token: host.token }
}

describe('the HTTP host stands up to hostile requests', () => {
  it('answers malformed targets with 400 and keeps serving', async () => {
    const { host, port } = await startOn(await siteWithSecret())
    try {
      const hostHeader = `Host: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`
      for (const target of ['/%E0%A4%A', 'http://[zz/', '/%ff', '//evil.example/x', '/a%00b', '*']) {
        const answer = await rawExchange(port, `GET ${target} HTTP/1.1\r\n${hostHeader}`)
        expect(answer.status, target).toBe(400)
      }
      // Garbage Node's parser refuses itself is answered too, and the server goes on.
      expect((await rawExchange(port, 'GET /\u0001 HTTP/1.1\r\n\r\n')).status).toBe(400)
      const page = await rawExchange(port, `GET / HTTP/1.1\r\n${hostHeader}`)
      expect(page.status).toBe(200)
      expect(page.body).toContain('<title>MakeGood</title>')
    } finally {
      await host.close()
    }
  })

  it('refuses an unknown Host header and a foreign Origin with 403, and serves its own names', async () => {
    const { host, port, token } = await startOn(await siteWithSecret())
    const api = (headers: Record<string, string>) =>
      request(port, {
        path: '/api/app:info',
        method: 'POST',
        headers: { 'x-makegood-token': token, ...headers },
        body: '{}',
      })
    try {
      for (const name of [
        `evil.example:${port}`,
        'evil.example',
        `127.0.0.1:${port + 1}`,
        `127.0.0.1.evil.example:${port}`,
        '127.0.0.1',
      ]) {
        expect((await api({ host: name })).status, name).toBe(403)
        expect((await request(port, { path: '/', headers: { host: name } })).status, name).toBe(403)
      }
      for (const origin of [
        `http://evil.example:${port}`,
        'null',
        `https://127.0.0.1:${port}`,
        `http://127.0.0.1:${port + 1}`,
        `http://localhost:${port}.evil.example`,
      ]) {
        const refused = await api({ host: `127.0.0.1:${port}`, origin })
        expect(refused.status, origin).toBe(403)
        expect(JSON.parse(refused.body)).toMatchObject({
          ok: false,
          error: { code: 'unauthorized', reason: 'request.origin' },
        })
      }
      for (const name of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, `LOCALHOST:${port}`]) {
        expect((await api({ host: name })).status, name).toBe(200)
        expect((await api({ host: name, origin: `http://${name}` })).status, name).toBe(200)
      }
    } finally {
      await host.close()
    }
  })

  it('answers a body over the limit with a typed 413 and stops reading it', async () => {
    const { host, port, token } = await startOn(await siteWithSecret())
    const head = `POST /api/cases:create HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nx-makegood-token: ${token}\r\ncontent-type: application/json\r\n`
    try {
      // Declared too large: refused before a byte of the body is read.
      const declared = await rawExchange(port, `${head}content-length: ${maxBodyBytes + 1}\r\n\r\n{"a":`)
      expect(declared.status).toBe(413)
      expect(JSON.parse(declared.body)).toMatchObject({
        ok: false,
        error: { code: 'invalid_input', reason: 'request.too_large', params: { limit: maxBodyBytes } },
      })
      // Streamed without a length: refused once over the limit, and the connection is closed
      // long before the client has sent everything it meant to.
      const streamed = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1')
        const chunk = Buffer.alloc(1024 * 1024, 'x')
        const chunked = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')])
        let sent = 0
        let answer = ''
        let isClosed = false
        socket.on('data', (data: Buffer) => (answer += data.toString('utf8')))
        socket.on('error', () => undefined) // the server hanging up mid-write is the point
        socket.on('close', () => {
          isClosed = true
          resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0), sent })
        })
        socket.write(`${head}transfer-encoding: chunked\r\n\r\n`)
        const pump = () => {
          while (!isClosed && answer === '' && sent < 200 * chunk.length) {
            sent += chunk.length
            if (!socket.write(chunked)) return void socket.once('drain', pump)
          }
        }
        socket.once('connect', pump)
        setTimeout(() => reject(new Error('no answer')), 20_000).unref()
      })
      expect(streamed.status).toBe(413)
      expect(streamed.sent).toBeLessThan(200 * 1024 * 1024)
      // Still serving after both.
      const info = await request(port, {
        path: '/api/app:info',
        method: 'POST',
        headers: { 'x-makegood-token': token },
      })
      expect(info.status).toBe(200)
    } finally {
      await host.close()
    }
  })

  it('never serves a file outside the renderer folder', async () => {
    const { host, port } = await startOn(await siteWithSecret())
    try {
      const hostHeader = `Host: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`
      const attempts = [
        '/../package.json',
        '/assets/../../package.json',
        '/%2e%2e/package.json',
        '/%2e%2e%2fpackage.json',
        '/assets/%2e%2e/%2e%2e/package.json',
        '/..%5cpackage.json',
        '/%5c..%5cpackage.json',
        '/assets%5c..%5c..%5cpackage.json',
        '/%2e%2e%5c%2e%2e%5cpackage.json',
        '/%252e%252e/package.json',
      ]
      for (const target of attempts) {
        const answer = await rawExchange(port, `GET ${target} HTTP/1.1\r\n${hostHeader}`)
        expect([400, 404], target).toContain(answer.status)
        expect(answer.body, target).not.toContain('secret')
      }
      expect((await rawExchange(port, `GET /assets/app.js HTTP/1.1\r\n${hostHeader}`)).status).toBe(200)
    } finally {
      await host.close()
    }
  })

  it('answers 405 to a static request that is not GET and an API call that is not POST', async () => {
    const { host, port, token } = await startOn(await siteWithSecret())
    try {
      for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
        const answer = await request(port, { path: '/index.html', method, body: 'x' })
        expect(answer.status, method).toBe(405)
      }
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const answer = await request(port, { path: '/api/app:info', method, headers: { 'x-makegood-token': token } })
        expect(answer.status, method).toBe(405)
      }
    } finally {
      await host.close()
    }
  })

  it('logs a request that fails unexpectedly, answers 500, and keeps serving', async () => {
    const site = await siteWithSecret()
    // A symlink pointing at itself: reading it fails with ELOOP, a fault that is not "not found".
    await symlink(join(site, 'loop.js'), join(site, 'loop.js'))
    const { host, port, token } = await startOn(site)
    const lines: LogEntry[] = []
    logger.setSinks([(entry) => lines.push(entry)])
    try {
      const failed = await request(port, { path: '/loop.js' })
      expect(failed.status).toBe(500)
      expect(JSON.parse(failed.body)).toMatchObject({
        ok: false,
        error: { code: 'internal', reason: 'request.failed' },
      })
      expect(lines).toEqual([expect.objectContaining({ level: 'error', event: 'http.request_failed' })])
      expect(lines[0]?.message).toContain('ELOOP')
      expect((await request(port, { path: '/' })).status).toBe(200)
      const info = await request(port, {
        path: '/api/app:info',
        method: 'POST',
        headers: { 'x-makegood-token': token },
      })
      expect(info.status).toBe(200)
    } finally {
      logger.setSinks(defaultSinks)
      await host.close()
    }
  })
})
