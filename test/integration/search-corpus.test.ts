import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SearchCorpus } from '../../src/main/services/search/searchCorpus'
import { matchesTerms, normalizeForSearch, queryTerms } from '../../src/shared/core/search'
import { type Grumble } from '../../src/shared/iceberg/schemas'
import { type Customer } from '../../src/shared/schemas'
import { openContext, tempDir } from '../helpers/temp'

// Words that normalise alike ("árvíz" / "ARVIZ") or only as part of another, and Chinese.
const words = ['Soup', 'cold', 'árvíz', 'ARVIZ', 'tűrő', 'turo', '退款', '服务员', 'Ｗａｉｔ', 'wait', 'Søren']
const sentence = fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 4 }).map((w) => w.join(' '))
const customers = ['cust-a', 'cust-b', 'cust-c']
const firstNames = ['Árvíz Tünde', 'Wait Soup', '服务员 王']

type Op =
  | { op: 'log'; text: string; customer: number | undefined }
  | { op: 'edit'; pick: number; text: string }
  | { op: 'remove'; pick: number }
  | { op: 'rename'; customer: number; name: string }
  | { op: 'replaceAll' }

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('log' as const),
      text: sentence,
      customer: fc.option(fc.nat(2), { nil: undefined }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('edit' as const), pick: fc.nat(1000), text: sentence }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('remove' as const), pick: fc.nat(1000) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('rename' as const), customer: fc.nat(2), name: sentence }) },
  { weight: 1, arbitrary: fc.constant({ op: 'replaceAll' as const }) },
)
const queryArb = fc
  .array(fc.constantFrom(...words, 'árv', 'oup co', 'sør'), { minLength: 1, maxLength: 2 })
  .map((w) => w.join(' '))

describe('SearchCorpus (search texts joined into chunks, following the store)', () => {
  it('finds exactly what normalising every record’s text and its customer’s name finds, after every change', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb, { minLength: 1, maxLength: 25 }),
        fc.array(queryArb, { minLength: 3, maxLength: 3 }),
        async (ops, queries) => {
          const ctx = await openContext(await tempDir())
          const { store } = ctx
          const at = '2026-11-20T10:00:00.000Z'
          await store.commit(
            customers.map((id, i) => ({
              collection: 'customers' as const,
              value: { id, name: firstNames[i]!, notes: '', createdAt: at, updatedAt: at } as Customer,
            })),
          )
          // Three lines a chunk: the changes cross chunks, the unsealed tail and the rebuilds.
          const corpus = new SearchCorpus<Grumble>(
            store,
            'grumbles',
            () => store.all('grumbles'),
            (g) => `${g.text} ${g.suggestion}`,
            3,
          )
          store.watch(corpus)
          const expected = (terms: string[]) =>
            [...store.all('grumbles')]
              .filter((g) => {
                const name = g.customerId ? (store.get('customers', g.customerId)?.name ?? '') : ''
                return matchesTerms(normalizeForSearch(`${g.text} ${g.suggestion} ${name}`), terms)
              })
              .map((g) => g.id)
              .sort()
          const actual = (terms: string[]) => {
            const names = new Map<string, boolean[]>()
            for (const c of store.all('customers'))
              names.set(
                c.id,
                terms.map((t) => normalizeForSearch(c.name).includes(t)),
              )
            return [...corpus.matching(terms, (g) => names.get(g.customerId ?? ''))].map((g) => g.id).sort()
          }
          let next = 0
          for (const op of ops) {
            const grumbles = [...store.all('grumbles')]
            const picked =
              grumbles.length > 0 ? grumbles[((op as { pick?: number }).pick ?? 0) % grumbles.length] : undefined
            if (op.op === 'log') {
              const id = `g-${next++}`
              const customerId = op.customer === undefined ? {} : { customerId: customers[op.customer]! }
              await store.commit([
                {
                  collection: 'grumbles',
                  value: {
                    id,
                    text: op.text,
                    heardAt: at,
                    heardBy: 'Anna',
                    suggestion: '',
                    createdAt: at,
                    ...customerId,
                  },
                },
              ])
            } else if (op.op === 'edit' && picked) {
              await store.commit([{ collection: 'grumbles', value: { ...picked, text: op.text } }])
            } else if (op.op === 'remove' && picked) {
              await store.commit([{ collection: 'grumbles', removed: picked.id }])
            } else if (op.op === 'rename') {
              const customer = store.get('customers', customers[op.customer]!)!
              await store.commit([{ collection: 'customers', value: { ...customer, name: op.name } }])
            } else if (op.op === 'replaceAll') {
              await store.replaceAll(store.dataSet())
            }
            for (const query of queries) {
              const terms = queryTerms(query)
              expect(actual(terms)).toEqual(expected(terms))
            }
          }
          await store.close()
        },
      ),
      { numRuns: 60, seed: 26 },
    )
  }, 120_000)
})
