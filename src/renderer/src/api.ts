import { type DesktopBridge, type Method, type MethodInput, type MethodOutput } from '../../shared/api'
import { type ApiError, type Result } from '../../shared/core/errors'

declare global {
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions -- merging into the DOM's Window needs an interface
  interface Window {
    makegood?: DesktopBridge
  }
}

export class ApiCallError extends Error {
  readonly error: ApiError
  constructor(error: ApiError) {
    super(error.message)
    this.error = error
  }
}

type Transport = (method: Method, input: unknown) => Promise<Result<unknown>>

/** Browser mode: POST /api/<method>, carrying the token the server printed in the URL. */
function httpTransport(token: string): Transport {
  return async (method, input) => {
    const response = await fetch(`/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-makegood-token': token },
      body: JSON.stringify(input ?? {}),
    })
    return (await response.json()) as Result<unknown>
  }
}

/** The one place that knows which transport the UI runs on. */
function pickTransport(): Transport {
  const bridge = window.makegood
  if (bridge) return (method, input) => bridge[method](input)
  const token =
    new URLSearchParams(window.location.search).get('token') ?? sessionStorage.getItem('makegood-token') ?? ''
  sessionStorage.setItem('makegood-token', token)
  return httpTransport(token)
}

const transport = pickTransport()

/** The desktop app (a preload bridge) rather than browser mode (an HTTP host). */
export const isDesktop = Boolean(window.makegood)

/**
 * Browser mode: the address of an attachment's bytes on the HTTP host (a link cannot carry the
 * token header, so the token rides in the query). The desktop app has no such address.
 */
export function fileUrl(id: string, isDownload = false): string | undefined {
  if (isDesktop) return undefined
  const token = sessionStorage.getItem('makegood-token') ?? ''
  const query = new URLSearchParams({ token, ...(isDownload ? { download: '1' } : {}) })
  return `/files/${encodeURIComponent(id)}?${query.toString()}`
}

/** Typed from the contract: `api('cases:get', { id })` resolves to a CaseDetail. */
export async function api<M extends Method>(method: M, input: MethodInput<M>): Promise<MethodOutput<M>> {
  const result = await transport(method, input)
  if (!result.ok) throw new ApiCallError(result.error)
  return result.value as MethodOutput<M>
}
