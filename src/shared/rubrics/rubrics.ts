import { z } from 'zod'
import { type Case, id, isoDateTime } from '../schemas'

/**
 * A supervisor's score of how a closed case was handled, on the four dimensions of a service
 * scenario: timing, information, connection and differentiation, each 1–5 (docs/report.md).
 */
export const rubricDimensions = ['timing', 'information', 'connection', 'differentiation'] as const
export type RubricDimension = (typeof rubricDimensions)[number]

export const RubricLevel = z.number().int().min(1).max(5)

export const RubricScores = z
  .object({ timing: RubricLevel, information: RubricLevel, connection: RubricLevel, differentiation: RubricLevel })
  .strict()
export type RubricScores = z.infer<typeof RubricScores>

/** One per case: its id is the case's id, so scoring again replaces the earlier score. */
export const Rubric = z.object({
  id,
  caseId: id,
  scores: RubricScores,
  comment: z.string().max(4000).default(''),
  scoredBy: z.string().max(200),
  scoredAt: isoDateTime,
  /** When the case was first scored: never changes, so the record stays in its month's shard. */
  firstScoredAt: isoDateTime,
})
export type Rubric = z.infer<typeof Rubric>

export const RubricInput = z
  .object({ caseId: id, scores: RubricScores, comment: z.string().trim().max(4000).default('') })
  .strict()
export type RubricInput = z.input<typeof RubricInput>

const average = z.number().min(1).max(5)
export const RubricAverage = z.object({
  /** The case owner's name, or the department; empty when the case has none. */
  name: z.string(),
  count: z.number().int().min(0),
  timing: average,
  information: average,
  connection: average,
  differentiation: average,
  /** The mean of the four dimension averages. */
  overall: average,
})
export type RubricAverage = z.infer<typeof RubricAverage>

export const RubricAverages = z.object({
  scored: z.number().int().min(0),
  people: z.array(RubricAverage),
  departments: z.array(RubricAverage),
})
export type RubricAverages = z.infer<typeof RubricAverages>

/** Averages are kept to 2 decimals, so every screen and report format shows the same figure. */
const round2 = (value: number): number => Math.round(value * 100) / 100

/** The averages of a non-empty list of scores. */
export function averageOf(name: string, list: readonly RubricScores[]): RubricAverage {
  const mean = (d: RubricDimension) => list.reduce((sum, s) => sum + s[d], 0) / list.length
  const means = rubricDimensions.map(mean)
  return {
    name,
    count: list.length,
    timing: round2(means[0]!),
    information: round2(means[1]!),
    connection: round2(means[2]!),
    differentiation: round2(means[3]!),
    overall: round2(means.reduce((a, b) => a + b, 0) / means.length),
  }
}

/**
 * Averages per person (the case's owner) and per department (the case's), from the rubrics
 * whose case is known; groups sorted by name. A rubric whose case is gone counts nowhere.
 */
export function rubricAverages(rubrics: Iterable<Rubric>, caseOf: (id: string) => Case | undefined): RubricAverages {
  const people = new Map<string, RubricScores[]>()
  const departments = new Map<string, RubricScores[]>()
  let scored = 0
  for (const rubric of rubrics) {
    const c = caseOf(rubric.caseId)
    if (!c) continue
    scored++
    for (const [groups, name] of [
      [people, c.owner],
      [departments, c.department],
    ] as const) {
      const list = groups.get(name)
      if (list) list.push(rubric.scores)
      else groups.set(name, [rubric.scores])
    }
  }
  const sorted = (groups: Map<string, RubricScores[]>) =>
    [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([name, list]) => averageOf(name, list))
  return { scored, people: sorted(people), departments: sorted(departments) }
}
