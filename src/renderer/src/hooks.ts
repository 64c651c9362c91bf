import { useCallback, useEffect, useState } from 'react'
import { type TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import { type Method, type MethodInput, type MethodOutput } from '../../shared/api'
import { type ApiError } from '../../shared/core/errors'
import { formatList } from '../../shared/core/i18n/listFormat'
import { ApiCallError, api } from './api'

export type Loaded<T> = { data: T | undefined; error: ApiError | undefined; reload: () => void }

/**
 * Loads one method's result and reloads it when `input` changes (compared by value) or when
 * `revision` moves on (something changed elsewhere in the app).
 */
export function useApi<M extends Method>(method: M, input: MethodInput<M>, revision = 0): Loaded<MethodOutput<M>> {
  const [data, setData] = useState<MethodOutput<M>>()
  const [error, setError] = useState<ApiError>()
  const [version, setVersion] = useState(0)
  const key = JSON.stringify(input)
  useEffect(() => {
    let isCurrent = true
    api(method, JSON.parse(key) as MethodInput<M>).then(
      (value) => {
        if (!isCurrent) return
        setData(value)
        setError(undefined)
      },
      (caught: unknown) => {
        if (isCurrent) setError(asApiError(caught))
      },
    )
    return () => {
      isCurrent = false
    }
  }, [method, key, version, revision])
  const reload = useCallback(() => setVersion((v) => v + 1), [])
  return { data, error, reload }
}

export function asApiError(caught: unknown): ApiError {
  if (caught instanceof ApiCallError) return caught.error
  return { code: 'internal', message: caught instanceof Error ? caught.message : String(caught), details: [] }
}

/** An error in the user's language when we know its reason, else the server's message. */
export function useErrorText(): (error: ApiError | undefined) => string {
  const { t, i18n } = useTranslation()
  return (error) => (error ? errorTextOf(t, i18n.language, error) : '')
}

function errorTextOf(t: TFunction, locale: string, error: ApiError): string {
  if (error.reason && t(`errors.${error.reason}`, { defaultValue: '' })) {
    return t(`errors.${error.reason}`, translateParams(error.params ?? {}, t, locale))
  }
  if (error.code === 'invalid_input') return t('errors.invalid_input')
  return error.message
}

/** Step keys inside error parameters are shown by their translated names. */
function translateParams(params: Record<string, string | number>, t: TFunction, locale: string) {
  const out: Record<string, string | number> = { ...params }
  if (typeof params.step === 'string') out.step = t(`cases:step.${params.step}`)
  if (typeof params.steps === 'string') {
    // The wire format is a comma-separated list of step keys; the reader gets their own list style.
    out.steps = formatList(
      locale,
      params.steps
        .split(', ')
        .filter(Boolean)
        .map((s) => t(`cases:step.${s}`)),
    )
  }
  return out
}

/** Which field an error is about, in the user's language: shown next to that field. */
export function useFieldErrors(error: ApiError | undefined): Record<string, string> {
  const { t, i18n } = useTranslation()
  const byField: Record<string, string> = {}
  for (const detail of error?.details ?? []) {
    if (!detail.path) continue
    const text =
      error?.reason && error.code !== 'invalid_input'
        ? errorTextOf(t, i18n.language, error)
        : detail.code === 'too_small' || detail.message === 'Required'
          ? t('errors.field.required')
          : t('errors.field.invalid')
    byField[detail.path] ??= text
  }
  return byField
}

/**
 * While the backend is still loading older months it answers with `isComplete: false`: ask
 * again shortly, each time a new incomplete answer arrives, until one is complete.
 */
export function useAskAgainWhileIncomplete(answer: { isComplete: boolean } | undefined, askAgain: () => void): void {
  const isIncomplete = answer !== undefined && !answer.isComplete
  useEffect(() => {
    if (!isIncomplete) return
    const timer = setTimeout(askAgain, 700)
    return () => clearTimeout(timer)
  }, [isIncomplete, answer, askAgain])
}
