import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { contract, methods } from '../../src/shared/api'
import { defineContract, method } from '../../src/shared/core/contract'

describe('the contract, assembled from the features', () => {
  it('refuses a method name declared in two parts', () => {
    const first = { 'cases:get': method(z.object({}), z.object({})) }
    const second = { 'cases:get': method(z.object({}), z.object({})) }
    expect(() => defineContract(first, second)).toThrow('Contract method cases:get is declared twice')
  })

  it('keeps every part: each method of each feature is reachable by name', () => {
    expect(methods).toContain('cases:completeStep')
    expect(methods).toContain('grumbles:log')
    expect(methods).toContain('promises:keep')
    expect(methods).toContain('escalations:departments')
    expect(methods).toContain('reports:export')
    expect(new Set(methods).size).toBe(methods.length)
  })

  it('describes every method: a sweep follows only a change, and a query says what it reads', () => {
    const sweeping = methods.filter((name) => contract[name].isSweepAfter)
    expect(sweeping.length).toBeGreaterThan(0)
    for (const name of sweeping) expect(contract[name].changes, name).not.toHaveLength(0)
    for (const name of methods) {
      const spec = contract[name]
      const isQuery = spec.changes.length === 0
      // live:viewing tells the backend which case a window shows: it reads and changes no data.
      if (isQuery && name !== 'calendar:countries' && name !== 'live:viewing') {
        expect(spec.reads, name).not.toHaveLength(0)
      }
    }
  })

  it('names the methods that answer while older months load', () => {
    const whileLoading = methods.filter((name) => contract[name].isUsableWhileLoading).sort()
    expect(whileLoading).toEqual([
      'alerts:list',
      'app:info',
      'cases:page',
      'customers:match',
      'customers:names',
      'grumbles:page',
      'live:viewing',
      'live:wait',
      'session:get',
      'settings:get',
      'storage:status',
      // Which store the desk is on, and switching it: usable before (or without) the old store's history.
      'teamDatabase:connect',
      'teamDatabase:disconnect',
      'teamDatabase:status',
      'teamDatabase:test',
      'today:get',
    ])
  })
})
