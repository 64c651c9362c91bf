import { describe, expect, it } from 'vitest'
import { AppError, parseUnknown } from '../../src/shared/core/errors'
import {
  Escalation,
  type Evidence,
  checkedEvidence,
  noteMadeOfChecked,
  parseEscalation,
} from '../../src/shared/escalations/schemas'
import { escalationFields } from '../helpers/records'

const piece = (i: number) => ({
  kind: 'grumble',
  id: `grumble-${i}`,
  at: new Date(Date.UTC(2026, 9, 1, 0, i)).toISOString(),
})
const escalation = (evidence: unknown[]) => escalationFields({ evidence })

/** The error a parse throws, as the person is told it. */
function failureOf(parse: () => unknown): unknown {
  try {
    parse()
  } catch (error) {
    return error instanceof AppError ? { message: error.message, details: error.details } : error
  }
  return 'no error'
}

describe('an escalation checked a piece of evidence (and an event of its history) at a time', () => {
  it('answers what the schema answers, and takes pieces checked before as they are', () => {
    const first = parseEscalation(escalation([piece(1), piece(2)]))
    expect(first).toEqual(Escalation.parse(escalation([piece(1), piece(2)])))
    // The next save's sweep: the stored pieces and one more, a key nobody knows on it.
    const next = { ...escalation([...first.evidence, { ...piece(3), unknown: true }]), history: first.history }
    const parsed = parseEscalation(next)
    expect(parsed).toEqual(Escalation.parse(next))
    expect(parsed.evidence[2]).not.toHaveProperty('unknown')
    expect(parsed.evidence[0]).toBe(first.evidence[0])
    expect(parsed.evidence[1]).toBe(first.evidence[1])
    expect(parsed.history[0]).toBe(first.history[0])
    // What was checked stays what was checked.
    expect(Object.isFrozen(parsed.evidence[2])).toBe(true)
    expect(() => {
      ;(parsed.evidence[0] as { at: string }).at = 'not a time'
    }).toThrow(TypeError)
  })

  it('refuses a bad piece with the error the schema gives, naming the piece where it is', () => {
    const first = parseEscalation(escalation([piece(1), piece(2)]))
    const bad = escalation([...first.evidence, { ...piece(3), at: 'yesterday' }])
    const failure = failureOf(() => parseEscalation(bad))
    expect(failure).toEqual(failureOf(() => parseUnknown(Escalation, bad)))
    expect(failure).toMatchObject({ details: [{ path: 'evidence.2.at' }] })
    expect(failureOf(() => parseEscalation({ ...escalation([]), evidence: 'none' }))).toMatchObject({
      details: [{ path: 'evidence' }],
    })
    // A list with a hole: the schema refuses it whatever pieces were checked before.
    const holed: unknown[] = [first.evidence[0]]
    holed[2] = first.evidence[1]
    expect(failureOf(() => parseEscalation(escalation(holed)))).toEqual(
      failureOf(() => parseUnknown(Escalation, escalation(holed))),
    )
    expect(failureOf(() => parseEscalation(escalation(holed)))).toMatchObject({ details: [{ path: 'evidence.1' }] })
    expect(failureOf(() => parseEscalation(null))).toMatchObject({ message: expect.stringMatching(/^Invalid input/) })
  })

  it('takes a list it checked before as it is, and one made of checked pieces; a piece not checked is checked', () => {
    const first = parseEscalation(escalation([piece(1), piece(2)]))
    expect(parseEscalation({ ...first, status: 'acknowledged' }).evidence).toBe(first.evidence)
    const third = checkedEvidence(piece(3) as Evidence)
    expect(Object.isFrozen(third)).toBe(true)
    const grown = [...first.evidence, third]
    noteMadeOfChecked(grown, first.evidence, [third])
    expect(parseEscalation({ ...first, evidence: grown }).evidence).toBe(grown)
    // A piece not made by checkedEvidence keeps the list from being taken as checked.
    const bad = [...first.evidence, { ...piece(4), at: 'soon' }]
    noteMadeOfChecked(bad, first.evidence, [bad[2]])
    expect(failureOf(() => parseEscalation({ ...first, evidence: bad }))).toMatchObject({
      details: [{ path: 'evidence.2.at' }],
    })
    expect(failureOf(() => checkedEvidence({ ...piece(5), kind: 'rumour' } as never))).toMatchObject({
      details: [{ path: 'kind' }],
    })
  })
})
