import { type z } from 'zod'

/** Every failure that crosses a boundary has this shape. */
export type ErrorCode =
  | 'invalid_input'
  | 'not_found'
  | 'rule_violation'
  | 'conflict'
  | 'locked'
  | 'read_only'
  | 'storage'
  | 'unauthorized'
  /** The signed-in person's role may not do this (team mode: the database refused it). */
  | 'forbidden'
  | 'internal'

/** `code` is zod's issue code (e.g. `too_small`) where the detail comes from a schema. */
export type ErrorDetails = { path?: string; message: string; code?: string }[]

/**
 * `reason` is a stable machine key (e.g. `close.resolve_pending`) the UI translates;
 * `message` is the English text for logs and the CLI.
 */
export type ApiError = {
  code: ErrorCode
  message: string
  details: ErrorDetails
  reason?: string
  params?: Record<string, string | number>
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError }

export class AppError extends Error {
  readonly code: ErrorCode
  readonly details: ErrorDetails
  readonly reason?: string
  readonly params?: Record<string, string | number>

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: ErrorDetails; reason?: string; params?: Record<string, string | number> } = {},
  ) {
    super(message)
    this.name = 'AppError'
    this.code = code
    this.details = options.details ?? []
    this.reason = options.reason
    this.params = options.params
  }

  toJSON(): ApiError {
    return {
      code: this.code,
      message: this.message,
      details: this.details,
      ...(this.reason ? { reason: this.reason } : {}),
      ...(this.params ? { params: this.params } : {}),
    }
  }
}

export function isApiError(value: unknown): value is ApiError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  )
}

/** Parses input typed as exactly `unknown`; the error names every failing field path. */
export function parseUnknown<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input)
  if (parsed.success) return parsed.data
  const details = parsed.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
    code: issue.code,
  }))
  const summary = details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; ')
  throw new AppError('invalid_input', `Invalid input: ${summary}`, { details })
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof AppError) return error.toJSON()
  const message = error instanceof Error ? error.message : String(error)
  return { code: 'internal', message, details: [] }
}
