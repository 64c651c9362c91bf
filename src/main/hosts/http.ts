import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'
import { isMethod } from '../../shared/api'
import { type ApiError, type ErrorCode } from '../../shared/core/errors'
import { dispatch } from '../services'
import { contentSecurityPolicy } from './csp'
import { type ServiceContext } from '../services/context'

const statusByCode: Record<ErrorCode, number> = {
  invalid_input: 400,
  not_found: 404,
  rule_violation: 409,
  conflict: 409,
  locked: 423,
  read_only: 403,
  storage: 500,
  unauthorized: 401,
  internal: 500,
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
}

const maxBodyBytes = 20 * 1024 * 1024

export type HttpHost = { server: Server; url: string; token: string; close: () => Promise<void> }

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
  res.end(JSON.stringify(body))
}

function sendError(res: ServerResponse, error: ApiError): void {
  send(res, statusByCode[error.code], { ok: false, error })
}

function isTokenValid(req: IncomingMessage, token: string): boolean {
  const given = Buffer.from(String(req.headers['x-makegood-token'] ?? ''))
  const expected = Buffer.from(token)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > maxBodyBytes) throw new Error('too_large')
    chunks.push(chunk as Buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  return text.trim() === '' ? {} : JSON.parse(text)
}

async function serveStatic(res: ServerResponse, root: string, urlPath: string): Promise<void> {
  const relative = normalize(decodeURIComponent(urlPath)).replace(/^([/\\])+/, '')
  const path = join(root, relative === '' ? 'index.html' : relative)
  if (!path.startsWith(root + sep) && path !== root) return send(res, 404, { ok: false })
  try {
    const body = await readFile(path)
    res.writeHead(200, {
      'content-type': contentTypes[extname(path)] ?? 'application/octet-stream',
      'content-security-policy': contentSecurityPolicy,
      'x-content-type-options': 'nosniff',
    })
    res.end(body)
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' })
    res.end(urlPath.endsWith('.html') || urlPath === '/' ? 'The UI is not built: run `npm run build`.' : 'Not found')
  }
}

/**
 * Browser mode: the same UI and services over HTTP on 127.0.0.1 only. Every API call must
 * carry the per-run token (as Jupyter does), handed to the browser in the URL.
 */
export async function startHttpHost(
  ctx: ServiceContext,
  options: { port?: number; rendererDir: string; token?: string },
): Promise<HttpHost> {
  const token = options.token ?? randomBytes(24).toString('hex')
  const server = createServer((req, res) => {
    void handle(req, res)
  })
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    if (!url.pathname.startsWith('/api/')) {
      if (req.method !== 'GET') return send(res, 405, { ok: false })
      return serveStatic(res, options.rendererDir, url.pathname)
    }
    if (!isTokenValid(req, token)) {
      return sendError(res, { code: 'unauthorized', message: 'Missing or wrong token', details: [] })
    }
    if (req.method !== 'POST') return send(res, 405, { ok: false })
    const name = url.pathname.slice('/api/'.length)
    if (!isMethod(name)) {
      return sendError(res, { code: 'not_found', message: `No API method ${name}`, details: [] })
    }
    let input: unknown
    try {
      input = await readBody(req)
    } catch {
      return sendError(res, { code: 'invalid_input', message: 'The request body is not valid JSON', details: [] })
    }
    const result = await dispatch(ctx, name, input)
    if (result.ok) send(res, 200, result)
    else sendError(res, result.error)
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    server,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
        // A browser keeps connections alive; stopping must not wait for it to let go.
        server.closeAllConnections()
      }),
  }
}
