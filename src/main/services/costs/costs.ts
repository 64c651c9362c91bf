import { type z } from 'zod'
import { AppError } from '../../../shared/core/errors'
import {
  type CaseCostsInput,
  type CompensationInput,
  type FailureFilter,
  type LoggedFailure,
  type NewFailure,
} from '../../../shared/costs/schemas'
import { type CustomerPromise } from '../../../shared/promises/promises'
import { type Case } from '../../../shared/schemas'
import { type ServiceContext, actorOf, newId } from '../context'
import { requireKnownChoice } from '../settings/knownChoices'

/** Records a failure no customer complained about; it counts in its department like any other. */
export async function logFailure(ctx: ServiceContext, input: z.output<typeof NewFailure>): Promise<LoggedFailure> {
  requireKnownChoice(ctx, 'category', input.category, 'failure')
  requireKnownChoice(ctx, 'department', input.department, 'failure')
  const actor = actorOf(ctx)
  const failure: LoggedFailure = {
    id: newId(),
    at: input.at ?? actor.at,
    category: input.category,
    department: input.department,
    what: input.what,
    ...(input.cost !== undefined ? { cost: input.cost } : {}),
    by: actor.by,
    createdAt: actor.at,
  }
  await ctx.store.commit([{ collection: 'failures', value: failure }])
  return failure
}

export async function listFailures(
  ctx: ServiceContext,
  filter: z.output<typeof FailureFilter>,
): Promise<LoggedFailure[]> {
  return [...ctx.store.all('failures')]
    .filter((f) => (!filter.from || f.at >= filter.from) && (!filter.to || f.at < filter.to))
    .sort((x, y) => y.at.localeCompare(x.at) || x.id.localeCompare(y.id))
}

/** Replaces a case's cost lines; the timeline keeps the total before and after. */
export async function setCaseCosts(ctx: ServiceContext, input: z.output<typeof CaseCostsInput>): Promise<Case> {
  const found = ctx.store.get('cases', input.caseId)
  if (!found) throw new AppError('not_found', `No case ${input.caseId}`, { reason: 'case.not_found' })
  const actor = actorOf(ctx)
  const total = (list: readonly { amount: number }[] | undefined) =>
    String(Math.round((list ?? []).reduce((a, c) => a + c.amount, 0) * 100) / 100)
  const costs = input.costs.map((c) => ({ id: newId(), ...c, at: actor.at, by: actor.by }))
  const next: Case = {
    ...found,
    costs,
    updatedAt: actor.at,
    timeline: [
      ...found.timeline,
      { at: actor.at, by: actor.by, type: 'costs', field: 'costs', before: total(found.costs), after: total(costs) },
    ],
  }
  await ctx.store.commit([{ collection: 'cases', value: next }])
  return next
}

/** Records whether a broken guarantee's compensation was given, and how much. */
export async function recordCompensation(
  ctx: ServiceContext,
  input: z.output<typeof CompensationInput>,
): Promise<CustomerPromise> {
  const found = ctx.store.get('promises', input.promiseId)
  if (!found) throw new AppError('not_found', `No promise ${input.promiseId}`, { reason: 'promise.not_found' })
  if (!found.guaranteeId) {
    throw new AppError('rule_violation', 'Only a service guarantee carries a compensation', {
      reason: 'promise.not_a_guarantee',
    })
  }
  const actor = actorOf(ctx)
  const next: CustomerPromise = {
    ...found,
    compensationGiven: {
      isGiven: input.isGiven,
      ...(input.amount !== undefined ? { amount: input.amount } : {}),
      at: actor.at,
      by: actor.by,
    },
    updatedAt: actor.at,
  }
  await ctx.store.commit([{ collection: 'promises', value: next }])
  return next
}
