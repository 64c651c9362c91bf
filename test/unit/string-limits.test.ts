import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { z } from 'zod'
import { describe, expect, it } from 'vitest'
import { collectionNames, collections } from '../../src/main/store/collections'
import { parseExport } from '../../src/main/store/exchange'
import { NewCase, contract, methods } from '../../src/shared/api'
import { Settings } from '../../src/shared/schemas'

type Def = { type: string; [key: string]: unknown }
type Schema = { _zod: { def: Def } }
type Check = { _zod: { def: { check: string } } }

/**
 * Formats whose pattern has a greatest length (a calendar date, a UUID). An ISO date-time is not
 * one of them: its fraction of a second may have any number of digits, so it needs a max too.
 */
const boundedFormats = new Set(['date', 'uuid', 'guid'])
const limitChecks = new Set(['max_length', 'length_equals'])

/**
 * Every text leaf of a zod 4 schema that has no greatest length, by path. Walks objects,
 * arrays, records, unions, intersections, tuples, pipes and wrappers (optional, default, …).
 */
function unboundedStrings(
  schema: unknown,
  path = '$',
  seen = new Set<unknown>(),
  options: { arrays?: boolean } = {},
): string[] {
  if (seen.has(schema)) return []
  seen.add(schema)
  const s = schema as Schema
  const def = s._zod.def
  const walk = (child: unknown, at: string) => unboundedStrings(child, at, seen, options)
  switch (def.type) {
    case 'string': {
      const checks = (def.checks as Check[] | undefined) ?? []
      const isBounded =
        checks.some((c) => limitChecks.has(c._zod.def.check)) ||
        (typeof def.format === 'string' && boundedFormats.has(def.format))
      return isBounded ? [] : [path]
    }
    case 'object': {
      const shape = def.shape as Record<string, unknown>
      const out = Object.entries(shape).flatMap(([key, child]) => walk(child, `${path}.${key}`))
      return def.catchall ? [...out, ...walk(def.catchall, `${path}.*`)] : out
    }
    case 'array': {
      const checks = (def.checks as Check[] | undefined) ?? []
      const isBounded = !options.arrays || checks.some((c) => limitChecks.has(c._zod.def.check))
      return [...(isBounded ? [] : [`${path}[] (array)`]), ...walk(def.element, `${path}[]`)]
    }
    case 'record':
      return [...walk(def.keyType, `${path}{key}`), ...walk(def.valueType, `${path}{}`)]
    case 'union':
      return (def.options as unknown[]).flatMap((o, i) => walk(o, `${path}|${i}`))
    case 'intersection':
      return [...walk(def.left, path), ...walk(def.right, path)]
    case 'tuple':
      return [
        ...(def.items as unknown[]).flatMap((item, i) => walk(item, `${path}[${i}]`)),
        ...(def.rest ? walk(def.rest, `${path}[…]`) : []),
      ]
    case 'pipe':
      return [...walk(def.in, path), ...walk(def.out, path)]
    case 'lazy':
      return walk((def.getter as () => unknown)(), path)
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
    case 'success':
      return walk(def.innerType, path)
    default:
      return []
  }
}

describe('every text the contract accepts has a greatest length', () => {
  it('the walker finds a string or a list without a max (so it can fail)', () => {
    expect(unboundedStrings(z.object({ a: z.string(), b: z.array(z.string().max(5)) }))).toEqual(['$.a'])
    expect(unboundedStrings(z.object({ b: z.string().max(5).optional(), c: z.iso.date() }))).toEqual([])
    expect(unboundedStrings(z.object({ at: z.iso.datetime() }))).toEqual(['$.at'])
    expect(unboundedStrings(z.record(z.string(), z.string().max(1)))).toEqual(['${key}'])
    expect(unboundedStrings(z.array(z.number()), '$', new Set(), { arrays: true })).toEqual(['$[] (array)'])
  })

  // A 15,000,000-character owner once became a 15 MB journal line: input is refused before that.
  it.each(methods)('%s: every string and list in its input has a max', (method) => {
    expect(unboundedStrings(contract[method].input, '$', new Set(), { arrays: true })).toEqual([])
  })

  it.each(collectionNames)('stored %s: every string has a max', (name) => {
    expect(unboundedStrings(collections[name].schema)).toEqual([])
  })

  it('the settings record has limits too, and the stored sample data still fits them', async () => {
    expect(unboundedStrings(Settings)).toEqual([])
    const fixture = join(__dirname, '..', 'fixtures', 'storage', 'v1-makegood.json')
    const data = parseExport(await readFile(fixture, 'utf8'), fixture)
    expect(Object.values(data.collections).reduce((n, list) => n + list.length, 0)).toBeGreaterThan(0)
  })

  it('a huge owner is refused with invalid_input, an owner at the limit is accepted', () => {
    const huge = NewCase.safeParse({
      customerName: 'A',
      summary: 'x',
      category: 'other',
      owner: 'o'.repeat(15_000_000),
    })
    expect(huge.success).toBe(false)
    const atLimit = NewCase.safeParse({ customerName: 'A', summary: 'x', category: 'other', owner: 'o'.repeat(200) })
    expect(atLimit.success).toBe(true)
  })
})
