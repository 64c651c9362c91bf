import { useQueries, useQueryClient } from '@tanstack/react-query'
import { useCallback, useMemo, useState } from 'react'
import { type MethodInput, type MethodOutput } from '../../shared/api'
import { api } from './api'
import { asApiError } from './hooks'
import { askAgainWhileIncomplete, queryKey } from './query'

const pageSize = 100

/** The methods that answer a long list a page at a time. */
type PagedMethod =
  'cases:page' | 'cases:silentPage' | 'customers:page' | 'grumbles:page' | 'promises:page' | 'signals:page'
type RowOf<M extends PagedMethod> = MethodOutput<M>['items'][number]

/**
 * A long list's rows (the Cases, Customers, Grumbles, Promises and Signals screens, Today's
 * Waiting for news), fetched a page at a time as they scroll into view: at 100,000 cases a screen opens with one page, not every summary. Each page is its
 * own query (the method with its offset), so a change refreshes the pages on screen and marks
 * the others to be asked again when they scroll back; rows shown stay until their fresh copy
 * arrives. A page once fetched is not asked again while the screen is open unless something
 * changed it.
 */
export function usePages<M extends PagedMethod>(
  method: M,
  filter: Omit<MethodInput<M>, 'offset' | 'limit'>,
): {
  total: number | undefined
  rows: (RowOf<M> | undefined)[]
  /** The newest page's answer, for what it says besides its rows (figures over the whole list). */
  latest: MethodOutput<M> | undefined
  isLoadingHistory: boolean
  error: ReturnType<typeof asApiError> | undefined
  onRangeChange: (firstRow: number, lastRow: number) => void
} {
  const client = useQueryClient()
  // Opening the screen asks afresh, as every screen does: another window or the CLI may have
  // changed the records since the pages were cached. Marked before the pages below are first observed.
  useState(() => void client.invalidateQueries({ queryKey: [method], refetchType: 'none' }))
  const [onScreen, setOnScreen] = useState({ first: 0, last: 0 })
  // The first page always: it says how many rows there are.
  const pages = useMemo(() => {
    const wanted = new Set([0])
    for (let page = onScreen.first; page <= onScreen.last; page++) wanted.add(page)
    return [...wanted]
  }, [onScreen])

  const answers = useQueries({
    queries: pages.map((page) => {
      const input = { ...filter, offset: page * pageSize, limit: pageSize } as MethodInput<M>
      return {
        queryKey: queryKey(method, input),
        queryFn: () => api(method, input),
        staleTime: Infinity,
        // While older months load, each page on screen is asked again until its answer is complete.
        refetchInterval: askAgainWhileIncomplete,
      }
    }),
  })

  // The newest answer says how many rows there are now; older pages fill in what they hold.
  const newest = answers.reduce<(typeof answers)[number] | undefined>(
    (best, answer) => (answer.data && (!best || answer.dataUpdatedAt > best.dataUpdatedAt) ? answer : best),
    undefined,
  )
  const total = newest?.data?.total
  const rows: (RowOf<M> | undefined)[] = []
  if (total !== undefined) {
    rows.length = total
    answers.forEach((answer, i) =>
      (answer.data?.items as RowOf<M>[] | undefined)?.forEach((item, j) => {
        const index = pages[i]! * pageSize + j
        if (index < total) rows[index] = item
      }),
    )
  }
  const failed = answers.find((answer) => answer.error)?.error

  const onRangeChange = useCallback((firstRow: number, lastRow: number) => {
    const first = Math.floor(firstRow / pageSize)
    const last = Math.floor(lastRow / pageSize)
    setOnScreen((current) => (current.first === first && current.last === last ? current : { first, last }))
  }, [])

  return {
    total,
    rows,
    latest: newest?.data as MethodOutput<M> | undefined,
    isLoadingHistory: newest?.data?.isComplete === false,
    error: failed ? asApiError(failed) : undefined,
    onRangeChange,
  }
}
