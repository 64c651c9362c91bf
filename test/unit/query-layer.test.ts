import { QueryClient } from '@tanstack/react-query'
import { describe, expect, it } from 'vitest'
import { type Method, type MethodInput, type MethodOutput } from '../../src/shared/api'
import { changedBy, queryKey, refreshAfter } from '../../src/renderer/src/query'

/**
 * The UI's query layer without a screen: a real QueryClient holding answers as the views would
 * have cached them, and the refresh that follows a call. A query no view observes is only marked
 * stale (`isInvalidated`), which is exactly what "would be asked again" means here.
 */
function cacheWith(answers: [Method, unknown, unknown][]) {
  const client = new QueryClient()
  for (const [method, input, output] of answers) client.setQueryData(queryKey(method, input as never), output)
  const state = <M extends Method>(method: M, input: MethodInput<M>) =>
    client.getQueryState(queryKey(method, input)) ?? { isInvalidated: undefined, data: undefined }
  return { client, state }
}

const oldCase = { id: 'c1', status: 'open', steps: [], timeline: [] }
const newCase = { ...oldCase, status: 'in-recovery', timeline: [{ type: 'step' }] }
const detail = { case: oldCase, customer: { id: 'u1', name: 'Margaret' }, customerCases: [] }

const caseScreen = (): [Method, unknown, unknown][] => [
  ['settings:get', {}, { language: 'en' }],
  ['escalations:counts', {}, { unacknowledged: 0, open: 0 }],
  ['storage:status', {}, { problems: [] }],
  ['cases:get', { id: 'c1' }, detail],
  ['promises:list', { caseId: 'c1' }, []],
  ['calendar:countries', { lang: 'en' }, []],
  ['grumbles:list', {}, []],
]

describe("the UI's query layer", () => {
  it('counts the escalations a pattern sweep may change among what a call changes', () => {
    expect([...changedBy('cases:completeStep')].sort()).toEqual(['cases', 'escalations', 'promises'])
    expect([...changedBy('customers:update')]).toEqual(['customers'])
    expect(changedBy('cases:get').size).toBe(0)
  })

  it('after completing a step: the case detail takes the returned case; only queries reading what changed are stale', async () => {
    const { client, state } = cacheWith(caseScreen())
    await refreshAfter(client, 'cases:completeStep', newCase as unknown as MethodOutput<'cases:completeStep'>)

    const updated = state('cases:get', { id: 'c1' })
    expect(updated.data).toEqual({ ...detail, case: newCase })
    expect(updated.isInvalidated).toBe(false)
    expect(state('promises:list', { caseId: 'c1' }).isInvalidated).toBe(true)
    expect(state('escalations:counts', {}).isInvalidated).toBe(true)
    expect(state('settings:get', {}).isInvalidated).toBe(false)
    expect(state('storage:status', {}).isInvalidated).toBe(false)
    expect(state('calendar:countries', { lang: 'en' }).isInvalidated).toBe(false)
    expect(state('grumbles:list', {}).isInvalidated).toBe(false)
  })

  it('a case not on screen is not invented from the returned record', async () => {
    const { client, state } = cacheWith([['escalations:counts', {}, { unacknowledged: 0, open: 0 }]])
    await refreshAfter(client, 'cases:completeStep', newCase as unknown as MethodOutput<'cases:completeStep'>)
    expect(state('cases:get', { id: 'c1' }).data).toBeUndefined()
    expect(state('escalations:counts', {}).isInvalidated).toBe(true)
  })

  it('after saving settings: settings:get is the saved record; what reads settings is stale, cases are not', async () => {
    const { client, state } = cacheWith(caseScreen())
    const saved = { language: 'hu' }
    await refreshAfter(client, 'settings:update', saved as unknown as MethodOutput<'settings:update'>)
    expect(state('settings:get', {})).toMatchObject({ data: saved, isInvalidated: false })
    expect(state('promises:list', { caseId: 'c1' }).isInvalidated).toBe(true)
    expect(state('escalations:counts', {}).isInvalidated).toBe(true)
    expect(state('cases:get', { id: 'c1' }).isInvalidated).toBe(false)
  })

  it('keeping a promise refreshes the case too: its timeline gets the event', async () => {
    const { client, state } = cacheWith(caseScreen())
    await refreshAfter(client, 'promises:keep', { id: 'p1' } as unknown as MethodOutput<'promises:keep'>)
    expect(state('cases:get', { id: 'c1' }).isInvalidated).toBe(true)
    expect(state('promises:list', { caseId: 'c1' }).isInvalidated).toBe(true)
    expect(state('settings:get', {}).isInvalidated).toBe(false)
  })

  it('a restore refreshes everything that reads data', async () => {
    const { client, state } = cacheWith(caseScreen())
    await refreshAfter(client, 'backups:restore', { keptAs: 'x' })
    for (const [method, input] of caseScreen()) {
      const isReading = method !== 'calendar:countries'
      expect(state(method, input as never).isInvalidated, method).toBe(isReading)
    }
  })
})
