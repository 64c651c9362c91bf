import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type Detection,
  type Evidence,
  byEvidenceOrder,
  changesFor,
  parseEscalation,
} from '../../src/shared/escalations/escalation'
import { escalationFields } from '../helpers/records'

const now = new Date('2026-11-20T10:00:00.000Z')
const kinds = ['case', 'grumble', 'signal', 'promise'] as const
/** Pieces with few distinct times and ids, so that ties in the order (and shared ids across kinds) come up. */
const anyPiece = fc.record({
  kind: fc.constantFrom(...kinds),
  id: fc.integer({ min: 0, max: 40 }).map((n) => `r-${n}`),
  at: fc.integer({ min: 0, max: 5 }).map((n) => new Date(Date.UTC(2026, 9, 1 + n)).toISOString()),
})

/** One piece per kind and id, as a pattern's evidence is. */
const unique = (pieces: Evidence[]) => [...new Map(pieces.map((p) => [`${p.kind}:${p.id}`, p])).values()]

/** A stored ladder escalation (a category's minor failures) holding these pieces. */
const ladder = (evidence: Evidence[]) =>
  parseEscalation({
    id: 'esc-2',
    rule: 'heinrich-ladder',
    patternKey: 'heinrich-ladder/rude-service',
    subject: { category: 'rude-service' },
    severity: 'medium',
    status: 'raised',
    evidence,
    firstRaisedAt: '2026-10-01T00:00:00.000Z',
    lastSeenAt: '2026-10-01T00:00:00.000Z',
    updatedAt: '2026-10-01T00:00:00.000Z',
    history: [{ at: '2026-10-01T00:00:00.000Z', by: 'MakeGood', type: 'raised' }],
  })

describe('evidence joining a stored escalation', () => {
  it('lands where sorting all of it puts it (a few pieces or many), stored pieces kept and the stored escalation read as stored', () => {
    fc.assert(
      fc.property(
        fc.array(anyPiece, { maxLength: 40 }),
        fc.oneof(fc.array(anyPiece, { maxLength: 8 }), fc.array(anyPiece, { minLength: 30, maxLength: 80 })),
        (storedPieces, more) => {
          const stored = parseEscalation(
            escalationFields({
              severity: 'low',
              evidence: unique(storedPieces).sort(byEvidenceOrder),
              lastSeenAt: '2026-10-01T00:00:00.000Z',
              updatedAt: '2026-10-01T00:00:00.000Z',
              history: [{ at: '2026-10-01T00:00:00.000Z', by: 'MakeGood', type: 'raised' }],
            }),
          )
          const known = new Set(stored.evidence.map((e) => `${e.kind}:${e.id}`))
          const added = unique(more).filter((e) => !known.has(`${e.kind}:${e.id}`))
          const detection: Detection = {
            rule: stored.rule,
            patternKey: stored.patternKey,
            severity: 'low',
            subject: stored.subject,
            evidence: [...stored.evidence, ...added].reverse(),
          }
          const [change] = changesFor([detection], [stored], now)
          if (added.length === 0) {
            expect(change).toBeUndefined()
            return
          }
          const evidence = change!.escalation.evidence
          expect(evidence).toEqual([...stored.evidence, ...added].sort(byEvidenceOrder))
          for (const piece of stored.evidence) expect(evidence).toContain(piece)
          // Committed, the escalation is taken with its lists as they are: every piece is checked.
          const committed = parseEscalation(change!.escalation)
          expect(committed.evidence).toBe(evidence)
          expect(committed.history).toBe(change!.escalation.history)
          expect(committed).toEqual(parseEscalation(JSON.parse(JSON.stringify(change!.escalation))))
        },
      ),
    )
  })
})

describe('the ids of a long evidence list, kept from one sweep to the next', () => {
  const piece = (n: number): Evidence => ({
    kind: 'case',
    id: `c-${n}`,
    at: new Date(Date.UTC(2026, 9, 1) + n * 60_000).toISOString(),
  })
  const detecting = (
    stored: { rule: Detection['rule']; patternKey: string; subject: Detection['subject'] },
    count: number,
  ): Detection => ({
    rule: stored.rule,
    patternKey: stored.patternKey,
    severity: 'medium',
    subject: stored.subject,
    evidence: Array.from({ length: count }, (_, n) => piece(n)),
  })
  const addedIds = (changes: ReturnType<typeof changesFor>, stored: Evidence[]) => {
    const before = new Set(stored.map((e) => e.id))
    return changes[0]?.escalation.evidence.filter((e) => !before.has(e.id)).map((e) => e.id) ?? []
  }

  it('finds what is new after a change that was committed, and after one that was not', () => {
    const stored = ladder(Array.from({ length: 800 }, (_, n) => piece(n)))
    // Swept twice without committing: the stored list is asked again and must not know c-800 yet.
    const first = changesFor([detecting(stored, 801)], [stored], now)
    expect(first).toHaveLength(1)
    expect(addedIds(first, stored.evidence)).toEqual(['c-800'])
    const again = changesFor([detecting(stored, 801)], [stored], now)
    expect(again[0]?.added).toBe(1)
    expect(addedIds(again, stored.evidence)).toEqual(['c-800'])
    // Committed: the next sweep knows c-800 and finds c-801 and c-802 only.
    const committed = parseEscalation(again[0]!.escalation)
    const next = changesFor([detecting(committed, 803)], [committed], now)
    expect(next[0]?.added).toBe(2)
    expect(addedIds(next, committed.evidence)).toEqual(['c-801', 'c-802'])
    // Nothing new: no change, whichever list is asked.
    expect(changesFor([detecting(committed, 801)], [committed], now)).toEqual([])
    expect(changesFor([detecting(stored, 800)], [stored], now)).toEqual([])
  })
})

describe('the latest time of a long evidence list, kept from one sweep to the next', () => {
  const minute = (n: number) => new Date(Date.UTC(2026, 9, 1) + n * 60_000).toISOString()
  const latestOfAll = (evidence: readonly Evidence[]) => evidence.map((e) => e.at).reduce((a, b) => (b > a ? b : a))

  it('is the latest of every piece after each sweep, committed or not, whatever time the added pieces have', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 500, max: 700 }),
        // Rounds of pieces added: each at a time before, among or after the stored ones.
        fc.array(fc.array(fc.integer({ min: -100, max: 900 }), { minLength: 1, maxLength: 20 }), { maxLength: 4 }),
        fc.boolean(),
        (size, rounds, isCommitted) => {
          let stored = ladder(
            Array.from({ length: size }, (_, n) => ({ kind: 'grumble', id: `g-${n}`, at: minute(n) })),
          )
          let next = size
          for (const times of rounds) {
            const added: Evidence[] = times.map((t) => ({ kind: 'case', id: `c-${next++}`, at: minute(t) }))
            const detection: Detection = {
              rule: stored.rule,
              patternKey: stored.patternKey,
              severity: 'medium',
              subject: stored.subject,
              evidence: [...stored.evidence, ...added],
            }
            const [change] = changesFor([detection], [stored], now)
            expect(change!.escalation.lastSeenAt).toBe(latestOfAll(change!.escalation.evidence))
            // Not committed: the stored list is swept again and its own latest time still holds.
            if (isCommitted) stored = parseEscalation(change!.escalation)
            else next -= added.length
          }
        },
      ),
      { numRuns: 40 },
    )
  })
})
