import { useQueries, useQueryClient } from '@tanstack/react-query'
import { useCallback, useMemo, useState } from 'react'
import { type CaseFilter, type CaseSummary } from '../../../shared/api'
import { api } from '../api'
import { asApiError } from '../hooks'
import { askAgainWhileIncomplete, queryKey } from '../query'

const pageSize = 100

/**
 * The Cases screen's rows, fetched a page at a time as they scroll into view: at 100,000 cases
 * the screen opens with one page, not every summary. Each page is its own query
 * (`cases:page` with its offset), so a change to cases refreshes the pages on screen and marks
 * the others to be asked again when they scroll back; rows shown stay until their fresh copy
 * arrives. A page once fetched is not asked again while the screen is open unless something
 * changed it.
 */
export function useCasePages(filter: Omit<CaseFilter, 'limit'>) {
  const client = useQueryClient()
  // Opening the screen asks afresh, as every screen does: another window or the CLI may have
  // changed cases since the pages were cached. Marked before the pages below are first observed.
  useState(() => void client.invalidateQueries({ queryKey: ['cases:page'], refetchType: 'none' }))
  const [onScreen, setOnScreen] = useState({ first: 0, last: 0 })
  // The first page always: it says how many rows there are.
  const pages = useMemo(() => {
    const wanted = new Set([0])
    for (let page = onScreen.first; page <= onScreen.last; page++) wanted.add(page)
    return [...wanted]
  }, [onScreen])

  const answers = useQueries({
    queries: pages.map((page) => ({
      queryKey: queryKey('cases:page', { ...filter, offset: page * pageSize, limit: pageSize }),
      queryFn: () => api('cases:page', { ...filter, offset: page * pageSize, limit: pageSize }),
      staleTime: Infinity,
      // While older months load, each page on screen is asked again until its answer is complete.
      refetchInterval: askAgainWhileIncomplete,
    })),
  })

  // The newest answer says how many rows there are now; older pages fill in what they hold.
  const newest = answers.reduce<(typeof answers)[number] | undefined>(
    (best, answer) => (answer.data && (!best || answer.dataUpdatedAt > best.dataUpdatedAt) ? answer : best),
    undefined,
  )
  const total = newest?.data?.total
  const rows: (CaseSummary | undefined)[] = []
  if (total !== undefined) {
    rows.length = total
    answers.forEach((answer, i) =>
      answer.data?.items.forEach((item, j) => {
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
    isLoadingHistory: newest?.data?.isComplete === false,
    error: failed ? asApiError(failed) : undefined,
    onRangeChange,
  }
}
