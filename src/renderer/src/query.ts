import { QueryClient, type QueryKey, hashKey } from '@tanstack/react-query'
import { type Method, type MethodInput, type MethodOutput, contract, isMethod } from '../../shared/api'
import { type DataKind } from '../../shared/core/contract'
import { type Case, type Customer } from '../../shared/schemas'

/**
 * The UI's query layer (TanStack Query); docs/architecture.md, "The UI's query layer", has the
 * whole picture. A query is one contract method asked with one input, cached under the key
 * `[method, input]`. After a call, the queries whose method reads what the call changes are
 * asked again; the ones the call's own answer already brings up to date are updated in place.
 */

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // A screen asks afresh when it opens (another window, the CLI or a background job may
        // have changed the data); while open, only a call that changes what it reads refreshes it.
        staleTime: 0,
        // An error is shown at once, as the services' typed errors are answers, not glitches.
        retry: false,
        refetchOnWindowFocus: false,
        refetchOnReconnect: false,
      },
    },
  })
}

export function queryKey<M extends Method>(method: M, input: MethodInput<M>): readonly [M, MethodInput<M>] {
  return [method, input]
}

/** What a call leaves changed: its method's `changes`, plus escalations when a pattern sweep follows it. */
export function changedBy(method: Method): Set<DataKind> {
  const spec = contract[method]
  return new Set<DataKind>([...spec.changes, ...(spec.isSweepAfter ? (['escalations'] as const) : [])])
}

/** A query the answer of a call brings up to date, and how. */
type InPlace = { key: QueryKey; update: (current: unknown) => unknown }

type Returned<M extends Method> = (output: MethodOutput<M>) => InPlace[]

/** A case detail wraps the case: the case a call returns replaces it there. */
const caseDetail = (c: Case): InPlace[] => [
  {
    key: queryKey('cases:get', { id: c.id }),
    update: (current) => (current ? { ...(current as MethodOutput<'cases:get'>), case: c } : current),
  },
]

/** A customer's page wraps the customer with their cases: the customer a call returns replaces it. */
const customerDetail = (customer: Customer): InPlace[] => [
  {
    key: queryKey('customers:get', { id: customer.id }),
    update: (current) => (current ? { ...(current as MethodOutput<'customers:get'>), customer } : current),
  },
]

/**
 * The calls whose answer is the new state of a query on screen. That query is set from the
 * answer and not asked again; every other query that reads what the call changed is.
 */
const answers: { [M in Method]?: Returned<M> } = {
  'cases:completeStep': caseDetail,
  'cases:skipStep': caseDetail,
  'cases:close': caseDetail,
  'cases:reopen': caseDetail,
  // Not 'cases:update': it may move the case to another customer, whom the detail also shows.
  'cases:assign': caseDetail,
  'settings:update': (settings) => [{ key: queryKey('settings:get', {}), update: () => settings }],
  'customers:update': (customer) => customerDetail(customer),
  'loyalty:setAdvocate': (customer) => customerDetail(customer),
}

/**
 * After `method` answered `output`: updates the queries its answer covers, then refreshes every
 * other query whose method reads something the call changed. Queries on screen are asked again
 * now; the others are marked stale and asked when their screen opens.
 */
export async function refreshAfter<M extends Method>(client: QueryClient, method: M, output: MethodOutput<M>) {
  const changed = changedBy(method)
  if (changed.size === 0) return
  const updated = new Set<string>()
  for (const { key, update } of (answers[method] as Returned<M> | undefined)?.(output) ?? []) {
    // A read sent before the call could answer after it with the older state: it is dropped.
    await client.cancelQueries({ queryKey: key, exact: true })
    // Only a query already holding an answer is updated (and then not asked again).
    if (client.setQueryData(key, update) !== undefined) updated.add(hashKey(key))
  }
  void client.invalidateQueries({
    predicate: (query) => {
      const [name] = query.queryKey
      if (typeof name !== 'string' || !isMethod(name) || updated.has(query.queryHash)) return false
      return contract[name].reads.some((kind) => changed.has(kind))
    },
  })
}

/**
 * While the backend is still loading older months it answers with `isComplete: false`: such a
 * query asks again shortly, each time, until an answer is complete (`refetchInterval`).
 */
export function askAgainWhileIncomplete(query: {
  state: { data: { isComplete: boolean } | undefined }
}): number | false {
  const answer = query.state.data
  return answer !== undefined && !answer.isComplete ? 700 : false
}
