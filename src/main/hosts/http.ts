import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http'
import { type Socket } from 'node:net'
import { extname, resolve, sep } from 'node:path'
import { type Method, type MethodOutput, isMethod } from '../../shared/api'
import { type ApiError, type ErrorCode, type Result, toApiError } from '../../shared/core/errors'
import { logger } from '../log/logger'
import { dispatch } from '../services'
import { attachmentBytes } from '../services/attachments/attachments'
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
  forbidden: 403,
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

/**
 * The largest request body: the biggest contract input is a 20 MB attachment as base64 (4/3 of
 * it, 26.7 MiB), so that a file at the limit reaches the service and its clear answer.
 */
export const maxBodyBytes = 29 * 1024 * 1024
/** How long a connection refused for its body's size stays open to read and drop the rest. */
const lingerAfterRefusalMs = 2000

/**
 * What the host serves: one fixed context, or a desk whose store Settings → Team database may
 * switch (`serve`), whose calls then go through the desk (see teamDatabase/desk.ts).
 */
export type HostSource =
  | ServiceContext
  | {
      readonly ctx: ServiceContext
      dispatch<M extends Method>(method: M, input: unknown): Promise<Result<MethodOutput<M>>>
    }

export type HttpHost = { server: Server; url: string; token: string; close: () => Promise<void> }

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-length': String(Buffer.byteLength(text)),
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    ...headers,
  })
  res.end(text)
}

function sendError(res: ServerResponse, error: ApiError, status = statusByCode[error.code]): void {
  send(res, status, { ok: false, error })
}

const refuse = (code: ErrorCode, message: string, reason: string): ApiError => ({ code, message, reason, details: [] })

function isTokenValid(req: IncomingMessage, token: string): boolean {
  const given = Buffer.from(String(req.headers['x-makegood-token'] ?? ''))
  const expected = Buffer.from(token)
  return given.length === expected.length && timingSafeEqual(given, expected)
}

class BodyTooLarge extends Error {}

/** Reads at most `maxBodyBytes`: a larger body is refused without reading the rest. */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > maxBodyBytes) return reject(new BodyTooLarge())
    const chunks: Buffer[] = []
    let size = 0
    const stop = () => {
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('close', onClose)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= maxBodyBytes) return void chunks.push(chunk)
      stop()
      req.pause()
      reject(new BodyTooLarge())
    }
    const onEnd = () => {
      stop()
      resolve(Buffer.concat(chunks).toString('utf8'))
    }
    // The client went away before sending the whole body: there is nobody left to answer.
    const onClose = () => {
      stop()
      reject(new Error('The client closed the connection before the body was complete'))
    }
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('close', onClose)
  })
}

/**
 * The path of a request target, still percent-encoded. Only the origin form (`/path?query`) is
 * accepted: a browser talking to this server directly never sends anything else, and the
 * absolute form (`http://host/…`) is what proxies use. Null when the target is malformed.
 */
function targetPath(target: string | undefined): string | null {
  if (target === undefined || !target.startsWith('/') || target.startsWith('//')) return null
  return target.split(/[?#]/, 1)[0] ?? '/'
}

function decodePath(path: string): string | null {
  try {
    const decoded = decodeURIComponent(path)
    // A NUL byte cannot name a file, and a backslash is no separator on POSIX but is one on Windows.
    return /[\0\\]/.test(decoded) ? null : decoded
  } catch {
    return null
  }
}

const notFoundCodes = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'ENAMETOOLONG'])

async function serveStatic(res: ServerResponse, root: string, decodedPath: string): Promise<void> {
  const relative = decodedPath.replace(/^\/+/, '')
  const path = resolve(root, relative === '' ? 'index.html' : relative)
  // `resolve` folds every `..`: whatever is left must still lie inside the renderer folder.
  if (!path.startsWith(root + sep)) return send(res, 404, { ok: false })
  let body: Buffer
  try {
    body = await readFile(path)
  } catch (error) {
    // Anything but "there is no such file" is a fault on this machine (a symlink loop, a disk
    // error): the last-resort handler logs it and answers 500.
    if (!notFoundCodes.has((error as NodeJS.ErrnoException).code ?? '')) throw error
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' })
    const isPage = decodedPath.endsWith('.html') || decodedPath === '/'
    res.end(isPage ? 'The UI is not built: run `npm run build`.' : 'Not found')
    return
  }
  res.writeHead(200, {
    'content-type': contentTypes[extname(path)] ?? 'application/octet-stream',
    'content-security-policy': contentSecurityPolicy,
    'x-content-type-options': 'nosniff',
  })
  res.end(body)
}

/** RFC 6266: a plain ASCII fallback name, and the real name (any language) as UTF-8. */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

/** The names this server answers to: anything else is a page on another site (DNS rebinding). */
function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`])
}

/**
 * Browser mode: the same UI and services over HTTP on 127.0.0.1 only. Every API call must
 * carry the per-run token (as Jupyter does), handed to the browser in the URL. See SECURITY.md
 * for what each check defends against.
 */
export async function startHttpHost(
  source: HostSource,
  options: { port?: number; rendererDir: string; token?: string },
): Promise<HttpHost> {
  const current = (): ServiceContext => ('dispatch' in source ? source.ctx : source)
  const call = (name: Method, input: unknown) =>
    'dispatch' in source ? source.dispatch(name, input) : dispatch(source, name, input)
  const token = options.token ?? randomBytes(24).toString('hex')
  const root = resolve(options.rendererDir)
  let hosts = new Set<string>()

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => lastResort(req, res, error))
  })

  /** A bug in one request must never stop the server: log it, answer if still possible, go on. */
  function lastResort(req: IncomingMessage, res: ServerResponse, error: unknown): void {
    logger.error('http.request_failed', `${req.method ?? '?'} ${String(req.url).slice(0, 200)}: ${describe(error)}`)
    try {
      if (!res.headersSent) {
        sendError(res, refuse('internal', 'The server failed to answer this request', 'request.failed'), 500)
      } else {
        res.destroy()
      }
    } catch (failure) {
      logger.error('http.answer_failed', failure)
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const socket = req.socket as Socket | null
    const host = (req.headers.host ?? '').toLowerCase()
    if (!hosts.has(host)) {
      return sendError(res, refuse('unauthorized', 'Unknown Host header', 'request.host'), 403)
    }
    const origin = req.headers.origin
    if (origin !== undefined && !isSameOrigin(origin)) {
      return sendError(res, refuse('unauthorized', 'Requests from other sites are refused', 'request.origin'), 403)
    }
    const rawPath = targetPath(req.url)
    const path = rawPath === null ? null : decodePath(rawPath)
    if (path === null) {
      return sendError(res, refuse('invalid_input', 'Malformed request target', 'request.target'))
    }
    if (path.startsWith('/files/')) {
      if (req.method !== 'GET') return send(res, 405, { ok: false }, { allow: 'GET' })
      return serveAttachment(req, res, path.slice('/files/'.length))
    }
    if (!path.startsWith('/api/')) {
      if (req.method !== 'GET') return send(res, 405, { ok: false }, { allow: 'GET' })
      return serveStatic(res, root, path)
    }
    if (!isTokenValid(req, token)) {
      return sendError(res, refuse('unauthorized', 'Missing or wrong token', 'request.token'))
    }
    if (req.method !== 'POST') return send(res, 405, { ok: false }, { allow: 'POST' })
    const name = path.slice('/api/'.length)
    if (!isMethod(name)) {
      return sendError(res, { code: 'not_found', message: `No API method ${name}`, details: [] })
    }
    let input: unknown
    try {
      const text = await readBody(req)
      input = text.trim() === '' ? {} : JSON.parse(text)
    } catch (error) {
      if (!(error instanceof BodyTooLarge)) {
        return sendError(res, { code: 'invalid_input', message: 'The request body is not valid JSON', details: [] })
      }
      // The rest of the body is not wanted and the connection is not reused. Once the answer is
      // out, this side closes, and what the client still sends is read and dropped for a moment:
      // closing with unread bytes resets the connection, and a reset can throw the answer away
      // before the client reads it. (`Connection: close` would make Node close at once.)
      res.once('finish', () => {
        req.resume()
        socket?.end()
        setTimeout(() => socket?.destroy(), lingerAfterRefusalMs).unref()
      })
      const tooLarge = refuse('invalid_input', `The request body is over ${maxBodyBytes} bytes`, 'request.too_large')
      return send(res, 413, { ok: false, error: { ...tooLarge, params: { limit: maxBodyBytes } } })
    }
    const result = await call(name, input)
    if (result.ok) send(res, 200, result)
    else sendError(res, result.error)
  }

  /**
   * An attachment's bytes, for a thumbnail or to open or save: a link cannot carry the token
   * header, so it comes in the query. The type is the one found in the bytes when attached.
   */
  async function serveAttachment(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const query = new URLSearchParams(String(req.url).split('?')[1] ?? '')
    const given = Buffer.from(query.get('token') ?? '')
    if (!(given.length === token.length && timingSafeEqual(given, Buffer.from(token)))) {
      return sendError(res, refuse('unauthorized', 'Missing or wrong token', 'request.token'))
    }
    let found: Awaited<ReturnType<typeof attachmentBytes>>
    const ctx = current()
    try {
      if (!ctx.store.isFullyLoaded) await ctx.store.whenFullyLoaded()
      found = await attachmentBytes(ctx, id)
    } catch (error) {
      return sendError(res, toApiError(error))
    }
    const { attachment, bytes } = found
    const disposition = query.get('download') === '1' ? 'attachment' : 'inline'
    res.writeHead(200, {
      'content-type': attachment.type,
      'content-length': String(bytes.length),
      'content-disposition': contentDisposition(disposition, attachment.name),
      'x-content-type-options': 'nosniff',
      'cache-control': 'private, no-store',
      'cross-origin-resource-policy': 'same-origin',
      // Nothing in a stored file may load or run anything as this site ('sandbox' would also stop
      // Chromium's PDF viewer, so it is left out: the type was checked from the bytes).
      'content-security-policy': "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'",
    })
    res.end(bytes)
  }

  function isSameOrigin(origin: string): boolean {
    const prefix = 'http://'
    return origin.startsWith(prefix) && hosts.has(origin.slice(prefix.length).toLowerCase())
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolveListen())
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  hosts = allowedHosts(port)
  return {
    server,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: () =>
      new Promise((resolveClose) => {
        server.close(() => resolveClose())
        // A browser keeps connections alive; stopping must not wait for it to let go.
        server.closeAllConnections()
      }),
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.stack ?? error.message
  try {
    return String(error)
  } catch {
    return 'an error that cannot be printed'
  }
}
