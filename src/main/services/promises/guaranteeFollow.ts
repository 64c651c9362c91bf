import { followGuarantee, recountGuarantees } from '../../../shared/promises/guaranteeRule'
import { type CustomerPromise, serviceGuaranteeMaker } from '../../../shared/promises/promises'
import { promiseEvent } from '../../../shared/promises/promiseEvents'
import { type Case, type TimelineEvent } from '../../../shared/schemas'
import { type Change } from '../../store/store'
import { type ServiceContext } from '../context'
import { promisesOfCase } from './promisesByCase'
import { promiseFacts, promiseOf } from './oldPromises'

/** The timeline line saying what the guarantee rule did to a promise. */
export function followEvent(after: CustomerPromise, note?: string): TimelineEvent {
  const action = after.status === 'open' ? 'reopened' : after.status
  return promiseEvent(
    after,
    action,
    { by: after.closedBy || serviceGuaranteeMaker, at: after.closedAt ?? after.updatedAt },
    note ?? (after.status === 'cancelled' ? after.note : undefined),
  )
}

/**
 * A case after a step changed, with its guarantee promises brought in line with the rule: the
 * case (its timeline saying so) and every promise to commit with it, in one commit.
 */
export function withGuaranteesFollowed(ctx: ServiceContext, c: Case): Change[] {
  const own = promisesOfCase(ctx.store, c.id)
  const changed = recountGuarantees([c], own)
  if (changed.length === 0) return [{ collection: 'cases', value: c }]
  const events = changed.map(({ after }) => followEvent(after))
  return [
    { collection: 'cases', value: { ...c, timeline: [...c.timeline, ...events] } },
    ...changed.map(({ after }) => ({ collection: 'promises' as const, value: after })),
  ]
}

/**
 * Recounts every guarantee promise of a loaded data folder and commits what differs (none on a
 * folder already in line): data written before the rule existed is corrected on first open.
 */
export async function recountAllGuarantees(ctx: ServiceContext): Promise<number> {
  const changed = recountGuarantees(ctx.store.all('cases'), promiseFacts(ctx.store)).map(({ before, after }) => {
    const whole = promiseOf(before)
    // An old month's promise was followed on its facts, without its words: followed again whole.
    return {
      after:
        whole === before ? (after as CustomerPromise) : followGuarantee(whole, ctx.store.get('cases', whole.caseId!)!),
    }
  })
  if (changed.length === 0) return 0
  const cases = new Map<string, Case>()
  for (const { after } of changed) {
    const c = cases.get(after.caseId!) ?? ctx.store.get('cases', after.caseId!)
    if (!c) continue
    cases.set(c.id, { ...c, timeline: [...c.timeline, followEvent(after)] })
  }
  await ctx.store.commit([
    ...changed.map(({ after }) => ({ collection: 'promises' as const, value: after })),
    ...[...cases.values()].map((value) => ({ collection: 'cases' as const, value })),
  ])
  return changed.length
}
