import { type UseQueryOptions, keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query'
import { useCallback, useMemo } from 'react'
import { type TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import { type Method, type MethodInput, type MethodOutput } from '../../shared/api'
import { type ApiError } from '../../shared/core/errors'
import { formatList } from '../../shared/core/i18n/listFormat'
import { ApiCallError, api } from './api'
import { queryKey, refreshAfter } from './query'
import { tellIfConflict } from './live/live'

export type Loaded<T> = { data: T | undefined; error: ApiError | undefined }

/** Options of one query beyond the defaults (see query.ts), e.g. `refetchInterval`. */
export type QueryOptions<M extends Method> = Omit<
  UseQueryOptions<MethodOutput<M>, Error, MethodOutput<M>, ReturnType<typeof queryKey<M>>>,
  'queryKey' | 'queryFn'
>

/**
 * One method's answer for `input`, cached under `[method, input]` (compared by value). A new
 * input keeps the previous answer on screen until its own arrives; a call that changes what the
 * method reads asks again (`useApiCall`).
 */
export function useApi<M extends Method>(
  method: M,
  input: MethodInput<M>,
  options: QueryOptions<M> = {},
): Loaded<MethodOutput<M>> {
  const query = useQuery({
    queryKey: queryKey(method, input),
    queryFn: ({ queryKey: [name, asked] }) => api(name, asked),
    placeholderData: keepPreviousData,
    ...options,
  })
  const error = useMemo(() => (query.error ? asApiError(query.error) : undefined), [query.error])
  return { data: query.data, error }
}

/**
 * Calls a method that changes data and refreshes what it changed: the queries its answer covers
 * are set from it, the others that read what it changed are asked again (query.ts). Resolves to
 * the method's answer; a failed call throws an `ApiCallError` and refreshes nothing.
 */
export function useApiCall(): <M extends Method>(method: M, input: MethodInput<M>) => Promise<MethodOutput<M>> {
  const client = useQueryClient()
  return useCallback(
    async <M extends Method>(method: M, input: MethodInput<M>) => {
      const output = await api(method, input).catch((caught: unknown) => {
        tellIfConflict(asApiError(caught))
        throw caught
      })
      await refreshAfter(client, method, output)
      return output
    },
    [client],
  )
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
  // The team database's errors are in the live namespace, beside the screens that show them;
  // Settings → Team database's own in its namespace.
  const ns = ['common', 'live', 'teamdb']
  if (error.reason && t(`errors.${error.reason}`, { ns, defaultValue: '' })) {
    return t(`errors.${error.reason}`, { ns, ...translateParams(error.params ?? {}, t, locale) })
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
