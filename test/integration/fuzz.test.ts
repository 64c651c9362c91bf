import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { z } from 'zod'
import { describe, expect, it } from 'vitest'
import { type Method, contract, methods } from '../../src/shared/api'
import { builtInCategoryIds } from '../../src/shared/schemas'
import { startHttpHost } from '../../src/main/hosts/http'
import { dispatch } from '../../src/main/services'
import { exportText } from '../../src/main/store/exchange'
import { engine, folderStore, openContext, tempDir } from '../helpers/temp'

/**
 * Every contract method, called through the real HTTP host on a real data folder, with inputs
 * derived from its own zod schema (valid ones) and hostile ones (wrong types, prototype keys,
 * unicode, very long strings, boundary numbers). A fixed run count per method: no time limit
 * may shrink it.
 */
const runsPerMethod = 200
/**
 * How valid input may be refused. On the team database "Working as" is the login's person, so
 * setting another name is `forbidden` there (the folder takes any name).
 */
const refusals = [
  'not_found',
  'rule_violation',
  'conflict',
  'invalid_input',
  ...(engine === 'team' ? ['forbidden'] : []),
]
const seed = 4242

/** What zod's JSON Schema export gives for our input schemas (only the parts used here). */
type Json = {
  type?: string
  properties?: Record<string, Json>
  required?: string[]
  additionalProperties?: Json | boolean
  propertyNames?: Json
  items?: Json
  minItems?: number
  maxItems?: number
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  pattern?: string
  format?: string
  enum?: unknown[]
  const?: unknown
  anyOf?: Json[]
  oneOf?: Json[]
  default?: unknown
}

const hostileKeys = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty']
const hostileText = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', '../../etc/passwd', '=HYPERLINK("http://x")', '\u0000', '\u202e', '💥'),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
)
const boundaryNumbers = fc.constantFrom(
  0,
  -0,
  -1,
  0.5,
  1e-9,
  2 ** 31,
  -(2 ** 31),
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  -Number.MAX_SAFE_INTEGER - 2,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
)

/** Text that fits the schema's length bounds, kept short so thousands of calls stay quick. */
function text(node: Json, ids: string[]): fc.Arbitrary<string> {
  if (node.format === 'date-time') {
    return fc
      .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T23:59:59Z'), noInvalidDate: true })
      .map((d) => d.toISOString())
  }
  if (node.format === 'date') {
    return fc
      .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T23:59:59Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10))
  }
  if (node.pattern !== undefined) return fc.stringMatching(new RegExp(node.pattern))
  const minLength = node.minLength ?? 0
  const maxLength = Math.max(minLength, Math.min(node.maxLength ?? 40, 40))
  const plain = fc.string({ minLength, maxLength })
  const unicode = fc.string({ unit: 'grapheme', minLength, maxLength })
  // Existing ids make `get`, `update`, `close`… reach their services instead of stopping at not_found.
  const known = ids.filter((v) => v.length >= minLength && v.length <= (node.maxLength ?? Infinity))
  return known.length > 0
    ? fc.oneof({ arbitrary: fc.constantFrom(...known), weight: 2 }, plain, unicode)
    : fc.oneof(plain, unicode)
}

function number(node: Json, isInteger: boolean): fc.Arbitrary<number> {
  const min = node.minimum ?? (node.exclusiveMinimum !== undefined ? node.exclusiveMinimum + 1e-6 : -1e6)
  const max = node.maximum ?? (node.exclusiveMaximum !== undefined ? node.exclusiveMaximum - 1e-6 : 1e6)
  const ends = fc.constantFrom(min, max)
  if (isInteger) return fc.oneof(fc.integer({ min: Math.ceil(min), max: Math.floor(max) }), ends.map(Math.round))
  return fc.oneof(fc.double({ min, max, noNaN: true, noDefaultInfinity: true }), ends)
}

/** A valid value for a JSON Schema node (zod's refinements aside: the oracle re-checks with zod). */
function fromJson(node: Json, ids: string[]): fc.Arbitrary<unknown> {
  if (node.const !== undefined) return fc.constant(node.const)
  if (node.enum !== undefined) return fc.constantFrom(...node.enum)
  const choices = node.anyOf ?? node.oneOf
  if (choices !== undefined) return fc.oneof(...choices.map((c) => fromJson(c, ids)))
  switch (node.type) {
    case 'string':
      return text(node, ids)
    case 'integer':
      return number(node, true)
    case 'number':
      return number(node, false)
    case 'boolean':
      return fc.boolean()
    case 'null':
      return fc.constant(null)
    case 'array':
      return fc.array(fromJson(node.items ?? {}, ids), {
        minLength: node.minItems ?? 0,
        maxLength: Math.max(node.minItems ?? 0, Math.min(node.maxItems ?? 3, 3)),
      })
    case 'object': {
      if (node.properties !== undefined) {
        const fields = Object.fromEntries(Object.entries(node.properties).map(([k, v]) => [k, fromJson(v, ids)]))
        return fc.record(fields, { requiredKeys: node.required ?? [] })
      }
      if (typeof node.additionalProperties === 'object') {
        const keys = node.propertyNames?.enum
          ? fc.constantFrom(...(node.propertyNames.enum as string[]))
          : fc.string({ maxLength: 10 })
        return fc.dictionary(keys, fromJson(node.additionalProperties, ids), { maxKeys: 3 })
      }
      return fc.constant({})
    }
    default:
      return fc.anything({ maxDepth: 1 })
  }
}

/** A valid input with one thing made wrong: the input a buggy or hostile client sends. */
function spoil(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  const wrongValue = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    boundaryNumbers,
    hostileText,
    fc.string({ minLength: 20_001, maxLength: 20_001 }).map((s) => s.repeat(10)),
    fc.constant({ $gt: '' }),
    fc.array(fc.anything({ maxDepth: 1 }), { maxLength: 3 }),
  )
  return fc
    .tuple(valid, fc.oneof(fc.constantFrom(...hostileKeys), fc.string({ maxLength: 8 })), wrongValue, fc.nat())
    .map(([value, extraKey, wrong, pick]) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return wrong
      const keys = Object.keys(value)
      const out: Record<string, unknown> = { ...value }
      // Either one field gets a value of another kind, or an unknown (often prototype) key appears.
      if (keys.length > 0 && pick % 2 === 0) out[keys[pick % keys.length] as string] = wrong
      else Object.defineProperty(out, extraKey, { value: wrong, enumerable: true, writable: true, configurable: true })
      return out
    })
}

const junk = fc.oneof(
  fc.constant(null),
  hostileText,
  boundaryNumbers,
  fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 4 }),
  fc.dictionary(fc.oneof(fc.constantFrom(...hostileKeys), fc.string()), fc.anything({ maxDepth: 2 }), { maxKeys: 4 }),
)

/** Calls that cost a lot when they succeed: mostly hostile input, and a few valid ones. */
const expensive = new Set<Method>([
  'demo:load',
  'reports:export',
  'backups:create',
  'backups:restore',
  'imports:complaints',
  'activities:import',
])

type Call = { input: unknown; asText: boolean }

/** One CSV cell, quoted the RFC 4180 way, so any text fits. */
const cell = (value: string) => `"${value.replaceAll('"', '""')}"`
const day = fc
  .date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2026-11-20T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10))

/**
 * Valid inputs a schema alone cannot describe (a CSV that matches its mapping): without these the
 * imports would almost never get past parsing.
 */
function handWritten(backups: string[]): Partial<Record<Method, fc.Arbitrary<unknown>>> {
  const name = fc.oneof(fc.constantFrom('Ann Example', 'Bo Example'), fc.string({ minLength: 1, maxLength: 20 }))
  return {
    'imports:complaints': fc
      .record({
        rows: fc.array(
          fc.tuple(day, fc.string({ minLength: 1, maxLength: 30 }), name, fc.constantFrom(...builtInCategoryIds)),
          { minLength: 1, maxLength: 3 },
        ),
        isDryRun: fc.boolean(),
        isSkipInvalid: fc.boolean(),
      })
      .map(({ rows, isDryRun, isSkipInvalid }) => ({
        csv: ['Date,Summary,Customer,Category', ...rows.map((r) => r.map(cell).join(','))].join('\r\n'),
        mapping: {
          columns: { receivedAt: 'Date', summary: 'Summary', customerName: 'Customer', category: 'Category' },
        },
        isDryRun,
        isSkipInvalid,
      })),
    'activities:import': fc
      .record({
        rows: fc.array(fc.tuple(name, day, fc.integer({ min: 0, max: 50_000 })), { minLength: 1, maxLength: 3 }),
        detect: fc.boolean(),
      })
      .map(({ rows, detect }) => ({
        csv: ['Customer,Date,Amount', ...rows.map(([who, when, cents]) => `${cell(who)},${when},${cents / 100}`)].join(
          '\n',
        ),
        map: { customer: 'Customer', date: 'Date', amount: 'Amount' },
        detect,
      })),
    'backups:preview': fc.constantFrom(...backups).map((n) => ({ name: n })),
    'backups:restore': fc.constantFrom(...backups).map((n) => ({ name: n })),
  }
}

function inputs(method: Method, ids: string[], backups: string[]): fc.Arbitrary<Call> {
  const schema = z.toJSONSchema(contract[method].input, { io: 'input', unrepresentable: 'any' }) as Json
  const derived = fromJson(schema, ids)
  const extra = handWritten(backups)[method]
  const valid = extra === undefined ? derived : fc.oneof(derived, extra)
  const validWeight = expensive.has(method) ? 1 : 6
  return fc.record({
    input: fc.oneof(
      { arbitrary: valid, weight: validWeight },
      { arbitrary: spoil(valid), weight: 3 },
      { arbitrary: junk, weight: 1 },
    ),
    // Now and then the body is not JSON at all.
    asText: fc.nat(19).map((n) => n === 0),
  })
}

describe('every contract method under generated input, through the real HTTP host', () => {
  it(
    `answers ${runsPerMethod} calls per method with the contract's shapes, and a failed call changes nothing`,
    {
      timeout: 240_000,
    },
    async () => {
      const dir = await tempDir()
      const ctx = await openContext(dir)
      const { ids, backups } = await seedData(ctx)
      const host = await startHttpHost(ctx, { rendererDir: dir })
      const base = new URL(host.url)
      // The bytes `makegood export` writes, hashed: cheap enough to take around every failed call.
      const exported = () => createHash('sha256').update(exportText(ctx.store.dataSet())).digest('hex')
      const runs = new Map<Method, { calls: number; ok: number; invalid: number; refused: number; ms: number }>()
      try {
        for (const method of methods) {
          const tally = { calls: 0, ok: 0, invalid: 0, refused: 0, ms: 0 }
          const started = performance.now()
          runs.set(method, tally)
          await fc.assert(
            fc.asyncProperty(inputs(method, ids, backups), async ({ input, asText }) => {
              const json = JSON.stringify(input) ?? 'null'
              const body = asText ? `${json}}{` : json
              const sent: unknown = asText ? undefined : JSON.parse(json)
              const isValid = !asText && contract[method].input.safeParse(sent ?? {}).success
              const before = exported()
              const response = await fetch(new URL(`/api/${method}`, base), {
                method: 'POST',
                headers: { 'content-type': 'application/json', 'x-makegood-token': host.token },
                body,
              })
              const answer = (await response.json()) as
                { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } }
              tally.calls += 1
              if (answer.ok) {
                tally.ok += 1
                expect(isValid).toBe(true)
                const checked = contract[method].output.safeParse(answer.value)
                expect(checked.error?.issues ?? [], `${method} answered outside its output schema`).toEqual([])
                return
              }
              expect(typeof answer.error.message).toBe('string')
              if (!isValid) {
                tally.invalid += 1
                expect(answer.error.code, `${method} ${body.slice(0, 300)}`).toBe('invalid_input')
              } else {
                tally.refused += 1
                // Valid input may be refused (unknown id, a rule), but never by a crash inside.
                expect(refusals, answer.error.message).toContain(answer.error.code)
              }
              expect(exported(), `${method} failed but changed the data`).toBe(before)
            }),
            { numRuns: runsPerMethod, seed, endOnFailure: true },
          )
          tally.ms = Math.round(performance.now() - started)
          expect(tally.calls).toBe(runsPerMethod)
        }
        const info = await fetch(new URL('/api/app:info', base), {
          method: 'POST',
          headers: { 'x-makegood-token': host.token },
          body: '{}',
        })
        expect(info.status).toBe(200)
      } finally {
        await host.close()
      }
      const lines = [...runs].map(
        ([method, t]) =>
          `  ${method.padEnd(26)} ${t.calls} runs: ${t.ok} ok, ${t.invalid} invalid, ${t.refused} refused (${t.ms} ms)`,
      )
      process.stdout.write(`fuzz: ${runs.size} methods through the HTTP host\n${lines.join('\n')}\n`)
      expect([...runs.keys()].sort()).toEqual([...methods].sort())
      // What the process held is what is stored: a fresh open exports the same bytes.
      const inMemory = exported()
      const reopened = await ctx.reopen({ isReadOnly: true })
      expect(createHash('sha256').update(exportText(reopened.dataSet())).digest('hex')).toBe(inMemory)
      expect(reopened.problems).toEqual([])
      await reopened.close()
    },
  )
})

/**
 * A small data set (the export is hashed around every failed call, so it must stay small) with
 * one of each kind the contract names by id: customers, cases, promises, grumbles, signals, an
 * escalation and a backup. Returns every id and name, for the generators to reuse.
 */
async function seedData(ctx: Awaited<ReturnType<typeof openContext>>): Promise<{ ids: string[]; backups: string[] }> {
  const must = async <M extends Method>(method: M, input: unknown) => {
    const result = await dispatch(ctx, method, input)
    if (!result.ok) throw new Error(`${method}: ${result.error.message}`)
    return result.value
  }
  const ann = await must('customers:create', { name: 'Ann Example' })
  await must('customers:create', { name: 'Bo Example', email: 'bo@example.com' })
  for (const summary of ['Cold soup', 'Cold soup again', 'Soup cold a third time']) {
    await must('cases:create', { customerId: ann.id, summary, category: 'poor-quality', department: 'Kitchen' })
  }
  const major = await must('cases:create', {
    customerName: 'Cy Example',
    summary: 'Allergic reaction',
    category: 'hygiene',
    severity: 'major',
  })
  await must('cases:completeStep', { id: major.id, step: 'empathise' })
  await must('promises:create', { what: 'Call back', caseId: major.id, due: { kind: 'business-days', n: 2 } })
  await must('promises:create', { what: 'Refund', customerId: ann.id, due: { kind: 'date', date: '2026-12-01' } })
  await must('grumbles:log', { text: 'Music too loud', customerName: 'Di Example' })
  await must('signals:raise', { customerId: ann.id, note: 'Stopped coming after the menu change' })
  await must('backups:create', {})
  const data = ctx.store.dataSet()
  const recordIds = Object.values(data.collections).flatMap((records) => records.map((r) => r.id))
  const backups = (await must('backups:list', {})).map((b) => b.name)
  expect((await must('escalations:list', {})).total).toBeGreaterThan(0)
  // Folds the folder's journal into its data files before the calls (the team database has none).
  if (engine === 'folder') await folderStore(ctx.store).checkpoint()
  return { ids: [...new Set([...recordIds, ...backups, ...builtInCategoryIds, 'Kitchen'])], backups }
}
