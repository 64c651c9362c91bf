import { guaranteeDue, makePromise, serviceGuaranteeMaker } from '../../../shared/promises/promises'
import { type Actor } from '../../../shared/cases/recovery'
import { type Case } from '../../../shared/schemas'
import { type Change } from '../../store/store'
import { calendarOf } from './calendar'
import { type ServiceContext, newId } from '../context'
import { promiseEvent } from '../../../shared/promises/promiseEvents'

/**
 * A new case gets one promise per active service guarantee, made by "Service guarantee" when the
 * case was received and due by the working calendar, so guarantees are tracked like any promise.
 * Returns the case (its timeline saying so) and every record to commit with it.
 */
export function withGuaranteePromises(ctx: ServiceContext, c: Case, actor: Actor): { case: Case; changes: Change[] } {
  const calendar = calendarOf(ctx)
  const receivedAt = new Date(c.receivedAt)
  const promises = ctx.store.settings.promises.guarantees
    .filter((g) => g.isActive)
    .map((g) =>
      makePromise(
        {
          id: newId(),
          what: g.text,
          customerId: c.customerId,
          caseId: c.id,
          madeBy: serviceGuaranteeMaker,
          department: c.department,
          dueAt: guaranteeDue(calendar, receivedAt, g).toISOString(),
          guaranteeId: g.id,
          ...(g.compensation ? { compensation: g.compensation } : {}),
        },
        { by: serviceGuaranteeMaker, at: c.receivedAt },
      ),
    )
  const events = promises.map((p) => promiseEvent(p, 'made', { by: serviceGuaranteeMaker, at: actor.at }))
  const updated: Case = { ...c, timeline: [...c.timeline, ...events] }
  return {
    case: updated,
    changes: [
      { collection: 'cases', value: updated },
      ...promises.map((value) => ({ collection: 'promises' as const, value })),
    ],
  }
}
