import { useCallback, useEffect, useRef, useState } from 'react'
import { type CaseFilter, type CaseSummary } from '../../../shared/api'
import { type ApiError } from '../../../shared/core/errors'
import { api } from '../api'
import { asApiError, useAskAgainWhileIncomplete } from '../hooks'

const pageSize = 100

type Pages = { key: string; total: number | undefined; rows: (CaseSummary | undefined)[]; isComplete: boolean }

/**
 * The Cases screen's rows, fetched a page at a time as they scroll into view: at 100,000 cases
 * the screen opens with one page, not every summary. A change (`revision`) or a new filter
 * refetches the pages on screen; rows already shown stay until their fresh copy arrives.
 */
export function useCasePages(filter: Omit<CaseFilter, 'limit'>, revision: number) {
  const key = JSON.stringify(filter)
  const [pages, setPages] = useState<Pages>({ key: '', total: undefined, rows: [], isComplete: true })
  // While older months load, the pages on screen are asked for again until the answer is complete.
  const [retry, setRetry] = useState(0)
  const [error, setError] = useState<ApiError>()
  const requested = useRef(new Set<number>())
  const onScreen = useRef({ first: 0, last: 0 })
  const latestKey = useRef(key)

  const load = useCallback(
    (page: number) => {
      if (requested.current.has(page)) return
      requested.current.add(page)
      const input = { ...(JSON.parse(key) as CaseFilter), offset: page * pageSize, limit: pageSize }
      api('cases:page', input).then(
        ({ total, items, isComplete }) => {
          setError(undefined)
          setPages((current) => {
            // An answer for a filter the user has since changed is dropped.
            if (key !== latestKey.current) return current
            const rows = (current.key === key ? current.rows : []).slice(0, total)
            rows.length = total
            items.forEach((item, i) => (rows[page * pageSize + i] = item))
            return { key, total, rows, isComplete }
          })
        },
        (caught: unknown) => {
          requested.current.delete(page)
          setError(asApiError(caught))
        },
      )
    },
    [key],
  )

  const loadRange = useCallback(
    (first: number, last: number) => {
      for (let page = Math.floor(first / pageSize); page <= Math.floor(last / pageSize); page++) load(page)
    },
    [load],
  )

  useEffect(() => {
    requested.current = new Set()
    latestKey.current = key
    const { first, last } = onScreen.current
    load(0)
    loadRange(first, last)
  }, [key, revision, retry, load, loadRange])

  const isCurrent = pages.key === key
  const askAgain = useCallback(() => setRetry((n) => n + 1), [])
  useAskAgainWhileIncomplete(isCurrent ? pages : undefined, askAgain)

  const onRangeChange = useCallback(
    (first: number, last: number) => {
      onScreen.current = { first, last }
      loadRange(first, last)
    },
    [loadRange],
  )

  // A new filter shows an empty list until its first page; a change elsewhere keeps the rows
  // on screen while their fresh copies load.
  return {
    total: isCurrent ? pages.total : undefined,
    rows: isCurrent ? pages.rows : [],
    isLoadingHistory: isCurrent && !pages.isComplete,
    error,
    onRangeChange,
  }
}
