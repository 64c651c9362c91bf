import { AppError } from '../../../shared/core/errors'
import {
  type Rubric,
  type RubricAverages,
  type RubricInput,
  RubricInput as RubricInputSchema,
  rubricAverages,
} from '../../../shared/rubrics/rubrics'
import { actorOf, type ServiceContext } from '../context'

function closedCase(ctx: ServiceContext, caseId: string) {
  const found = ctx.store.get('cases', caseId)
  if (!found) throw new AppError('not_found', `No case ${caseId}`, { reason: 'case.not_found' })
  return found
}

export async function getRubric(ctx: ServiceContext, input: { caseId: string }): Promise<Rubric | null> {
  return ctx.store.get('rubrics', input.caseId) ?? null
}

/**
 * Scores a closed case (scoring again replaces the score, keeping when it was first given): how
 * a case was handled is judged once it is over, so an open case is refused.
 */
export async function scoreRubric(ctx: ServiceContext, raw: RubricInput): Promise<Rubric> {
  const input = RubricInputSchema.parse(raw)
  const c = closedCase(ctx, input.caseId)
  if (c.status !== 'closed') {
    throw new AppError('rule_violation', `Case ${c.number} is not closed: only a closed case is scored`, {
      reason: 'rubric.case_not_closed',
      params: { number: c.number },
    })
  }
  const { by, at } = actorOf(ctx)
  const before = ctx.store.get('rubrics', c.id)
  const rubric: Rubric = {
    id: c.id,
    caseId: c.id,
    scores: input.scores,
    comment: input.comment,
    scoredBy: by,
    scoredAt: at,
    firstScoredAt: before?.firstScoredAt ?? at,
  }
  await ctx.store.commit([{ collection: 'rubrics', value: rubric }])
  return rubric
}

/** Averages per case owner and per department, over every scored case (the Team view). */
export async function rubricAveragesService(ctx: ServiceContext): Promise<RubricAverages> {
  return rubricAverages(ctx.store.all('rubrics'), (id) => ctx.store.get('cases', id))
}
