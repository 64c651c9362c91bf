import { copyFile, readFile, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type Escalation, type Evidence, parseEscalation } from '../../src/shared/escalations/schemas'
import { growthSince, withGrowth } from '../../src/main/store/growth'
import { Store } from '../../src/main/store/store'
import { makeCase, makeCustomer, monthIso } from '../helpers/records'
import { crashCopy, tempDir } from '../helpers/temp'

const months = 6
const quiet = { checkpointEntries: 1_000_000, checkpointIdleMs: 1_000_000 }

const piece = (i: number): Evidence => ({
  kind: 'case',
  id: `case-${i}`,
  at: new Date(Date.UTC(2026, 4, 1, 0, i)).toISOString(),
})

/** A ladder escalation first raised in `month` (May 2026 is read after the journal at start-up), `count` pieces long. */
function ladder(id: string, firstRaisedAt: string, count: number): Escalation {
  return parseEscalation({
    id,
    rule: 'heinrich-ladder',
    patternKey: `heinrich-ladder/${id}`,
    subject: { category: 'long-wait' },
    severity: 'medium',
    status: 'raised',
    evidence: Array.from({ length: count }, (_, i) => piece(i * 2)),
    firstRaisedAt,
    lastSeenAt: firstRaisedAt,
    updatedAt: firstRaisedAt,
    history: [{ at: firstRaisedAt, by: 'MakeGood', type: 'raised', count }],
  })
}

/** What the sweep makes of a stored escalation when two more failures join: pieces in order, an event more. */
function withTwoMore(stored: Escalation): Escalation {
  const evidence = [...stored.evidence.slice(0, 10), piece(19), ...stored.evidence.slice(10), piece(1_000)]
  const at = '2026-11-20T10:00:00.000Z'
  return {
    ...stored,
    evidence,
    updatedAt: at,
    history: [...stored.history, { at, by: 'MakeGood', type: 'evidence', count: 2 }],
  }
}

/** The journal's lines, parsed, oldest first. */
async function journalLines(dir: string): Promise<{ seq: number; changes: Record<string, unknown>[] }[]> {
  const journal = join(dir, 'journal')
  const lines: { seq: number; changes: Record<string, unknown>[] }[] = []
  for (const name of (await readdir(journal)).sort()) {
    const text = await readFile(join(journal, name), 'utf8')
    for (const line of text.split('\n').filter(Boolean)) lines.push(JSON.parse(line) as (typeof lines)[number])
  }
  return lines
}

/**
 * A folder with cases over six months and two ladders of 40 pieces, one first raised in the
 * newest month and one in May, on disk in shards; then each ladder gains two pieces, and the
 * folder is copied as a crash would leave it (the journal not yet checkpointed).
 */
async function grownAndCrashed() {
  const dir = await tempDir()
  const store = await Store.open(dir, quiet)
  const customer = makeCustomer(1)
  const cases = Array.from({ length: 12 }, (_, i) => makeCase(i, monthIso(i, months), 1, customer.id))
  const escalations = [
    ladder('esc-new', '2026-11-02T09:00:00.000Z', 40),
    ladder('esc-old', '2026-05-03T09:00:00.000Z', 40),
  ]
  await store.replaceAll({
    schemaVersion: 2,
    settings: store.settings,
    collections: { customers: [customer], cases, escalations },
  })
  for (const id of ['esc-new', 'esc-old'])
    await store.commit([{ collection: 'escalations', value: withTwoMore(store.get('escalations', id)!) }])
  const expected = ['esc-new', 'esc-old'].map((id) => JSON.stringify(store.get('escalations', id)))
  const crashed = await crashCopy(dir)
  await store.close()
  return { dir, crashed, expected }
}

describe('lists that only grow are journalled as what was added', () => {
  it('a crash copy replays each grown escalation to the record committed, key for key, whether its month is read before or after the journal', async () => {
    const { crashed, expected } = await grownAndCrashed()
    const lines = await journalLines(crashed)
    const grown = lines.slice(-2).map((line) => line.changes[0]!)
    for (const change of grown) {
      // The history had one event and gained one: not worth it, journalled whole.
      expect(change.grown).toEqual({ evidence: { from: 40, at: [10, 41] } })
      expect((change.value as Escalation).evidence.map((e) => e.id)).toEqual(['case-19', 'case-1000'])
      expect((change.value as Escalation).history).toHaveLength(2)
      expect(JSON.stringify(change).length).toBeLessThan(1_000)
    }

    for (const options of [{ isLazy: true }, {}, { isReadOnly: true }]) {
      const copy = await crashCopy(crashed)
      const store = await Store.open(copy, { ...quiet, ...options })
      await store.whenFullyLoaded()
      expect(store.problems).toEqual([])
      expect(['esc-new', 'esc-old'].map((id) => JSON.stringify(store.get('escalations', id)))).toEqual(expected)
      await store.close()
    }
  })

  it('an escalation read from its trusted shard is taken as checked: its first change keeps its pieces and journals what was added', async () => {
    const { dir } = await grownAndCrashed()
    for (const options of [{ isLazy: true }, {}]) {
      const store = await Store.open(await crashCopy(dir), { ...quiet, ...options })
      await store.whenFullyLoaded()
      for (const id of ['esc-new', 'esc-old']) {
        const stored = store.get('escalations', id)!
        const at = '2026-11-21T10:00:00.000Z'
        await store.commit([
          {
            collection: 'escalations',
            value: {
              ...stored,
              evidence: [...stored.evidence, piece(2_000)],
              updatedAt: at,
              history: [...stored.history, { at, by: 'MakeGood', type: 'evidence', count: 1 }],
            },
          },
        ])
        const committed = store.get('escalations', id)!
        // The very pieces read from the shard: not checked, copied and compared again.
        expect(committed.evidence.slice(0, 42).every((e, i) => e === stored.evidence[i])).toBe(true)
        expect(committed.history[0]).toBe(stored.history[0])
        expect(Object.isFrozen(stored.evidence[0])).toBe(true)
      }
      const lines = await journalLines(store.dir)
      for (const line of lines.slice(-2))
        expect(line.changes[0]!.grown).toEqual({ evidence: { from: 42, at: [42] }, history: { from: 2, at: [2] } })
      await store.close()
    }
  })

  it('replaying what was added onto a month written after it (a checkpoint cut short by a crash) changes nothing', async () => {
    const { dir, crashed, expected } = await grownAndCrashed()
    // Closing checkpointed the original: its months hold the grown ladders; the copy's journal and
    // manifest are from before, as when a crash falls between a month's rename and the manifest's.
    for (const month of ['2026-11', '2026-05'])
      await copyFile(join(dir, 'data', 'months', `${month}.json`), join(crashed, 'data', 'months', `${month}.json`))
    for (const options of [{ isLazy: true }, {}]) {
      const store = await Store.open(await crashCopy(crashed), { ...quiet, ...options })
      await store.whenFullyLoaded()
      expect(store.problems).toEqual([])
      expect(['esc-new', 'esc-old'].map((id) => JSON.stringify(store.get('escalations', id)))).toEqual(expected)
      await store.close()
    }
  })

  it('what was added to a record that is gone, or that it does not fit, is left out, reported and kept in quarantine', async () => {
    const { crashed } = await grownAndCrashed()
    // The May shard loses one ladder and the newest month's ladder loses pieces behind the open's back.
    const mayPath = join(crashed, 'data', 'months', '2026-05.json')
    const may = JSON.parse(await readFile(mayPath, 'utf8')) as { escalations: Escalation[] }
    may.escalations = []
    await writeFile(mayPath, JSON.stringify(may))
    const novPath = join(crashed, 'data', 'months', '2026-11.json')
    const november = JSON.parse(await readFile(novPath, 'utf8')) as { escalations: Escalation[] }
    november.escalations[0]!.evidence = november.escalations[0]!.evidence.slice(0, 30)
    await writeFile(novPath, JSON.stringify(november))

    const store = await Store.open(crashed, { isLazy: true, ...quiet })
    await store.whenFullyLoaded()
    const problem = store.problems.find((p) => p.message.startsWith('journal: what 2 change(s) added'))
    expect(problem?.message).toContain(
      'escalations esc-new (evidence: the stored record holds 30 piece(s), the change was made on 40)',
    )
    expect(problem?.message).toContain('escalations esc-old (the record it adds to was not found)')
    // What the shard held stays; the rest of the journal still replays.
    expect(store.get('escalations', 'esc-new')!.evidence).toHaveLength(30)
    expect(store.get('escalations', 'esc-old')).toBeUndefined()
    expect(store.count('cases')).toBe(12)
    const keptAside = (await readFile(problem!.quarantinedAs!, 'utf8')).split('\n').filter(Boolean)
    expect(
      keptAside.map((line) => (JSON.parse(line) as { changes: { value: { id: string } }[] }).changes[0]!.value.id),
    ).toEqual(['esc-new', 'esc-old'])
    await store.close()

    // Reported once: the next open finds the problem in quarantine/ and nothing new.
    const reopened = await Store.open(crashed, quiet)
    expect(reopened.newProblems).toEqual([])
    expect(reopened.problems.map((p) => p.id)).toContain(problem!.id)
    await reopened.close()
  })

  it('a grown change whose places are not in order is damage in the journal, reported like any other', async () => {
    const { crashed, expected } = await grownAndCrashed()
    const journal = join(crashed, 'journal')
    const [name] = (await readdir(journal)).sort().slice(-1)
    const path = join(journal, name!)
    const text = await readFile(path, 'utf8')
    await writeFile(path, text.replace('"at":[10,41]', '"at":[41,10]'))

    const store = await Store.open(crashed, quiet)
    expect(store.problems.map((p) => p.message).join('\n')).toContain('evidence: places out of order')
    // The first change was the newest month's ladder (refused, the shard's copy kept); the second still replays.
    expect(store.get('escalations', 'esc-new')!.evidence).toHaveLength(40)
    expect(JSON.stringify(store.get('escalations', 'esc-old'))).toBe(expected[1])
    await store.close()
  })
})

describe('growthSince and withGrowth', () => {
  const pieces = fc.array(fc.record({ n: fc.integer() }), { maxLength: 30 })
  it('put back the record committed, the kept pieces the very same objects, for any pieces added anywhere', () => {
    fc.assert(
      fc.property(
        pieces,
        // Pieces added are never equal to one kept (evidence pieces carry their record's id): an
        // equal one is taken for the kept piece, by design (below).
        fc.array(fc.tuple(fc.nat(), fc.record({ n: fc.integer(), isAdded: fc.constant(true) })), { maxLength: 30 }),
        (old, inserts) => {
          const evidence: unknown[] = [...old]
          for (const [at, item] of inserts) evidence.splice(at % (evidence.length + 1), 0, item)
          const before = { id: 'e', evidence: old, history: [] }
          const after = { id: 'e', evidence, history: [] }
          const growth = growthSince('escalations', before, after)
          if (inserts.length >= old.length) {
            expect(growth).toBeUndefined()
            return
          }
          expect(growth!.value).toMatchObject({ evidence: evidence.filter((item) => !old.includes(item as never)) })
          const back = withGrowth(before, growth!.value, growth!.grown) as typeof after
          expect(back).toEqual(after)
          back.evidence.forEach((item, i) => expect(item).toBe(evidence[i]))
          // Replayed onto the record as committed (it was written before the journal moved on): the same.
          expect(withGrowth(after, growth!.value, growth!.grown)).toEqual(after)
        },
      ),
    )
  })

  it('journal a list whole when a piece of the one before is gone or changed, or for a kind without growing lists', () => {
    const old = Array.from({ length: 5 }, (_, n) => ({ n }))
    type Ladder = { id: string; evidence: unknown[]; history: unknown[] }
    const before: Ladder = { id: 'e', evidence: old, history: [] }
    const withEvidence = (evidence: unknown[]): Ladder => ({ ...before, evidence })
    expect(growthSince('escalations', before, withEvidence([...old.slice(1), { n: 9 }]))).toBeUndefined()
    expect(growthSince('escalations', before, withEvidence([{ n: 100 }, ...old.slice(1), { n: 9 }]))).toBeUndefined()
    // Equal pieces (read again from a shard, so copies) are kept pieces.
    expect(growthSince('escalations', before, withEvidence([...old.map((p) => ({ ...p })), { n: 9 }]))).toEqual({
      value: withEvidence([{ n: 9 }]),
      grown: { evidence: { from: 5, at: [5] } },
    })
    expect(growthSince('cases', before, withEvidence([...old, { n: 9 }]))).toBeUndefined()
  })
})
