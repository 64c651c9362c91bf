import { AppError } from '../../../shared/core/errors'
import { type ServiceContext, sessionOf } from '../context'

const forbidden = () =>
  new AppError('forbidden', 'Only a supervisor or an owner may do this', { reason: 'team.forbidden' })

/**
 * The one place that decides who may delete, restore and merge: on a laptop the one person at
 * the desk; in team mode supervisors and owners (the database refuses an agent's delete as well).
 */
export function requireMayDelete(ctx: ServiceContext): void {
  if (!sessionOf(ctx).permissions.mayTrash) throw forbidden()
}

/** Who may edit a grumble: whoever logged it, or a supervisor or an owner. */
export function requireMayEditGrumble(ctx: ServiceContext, heardBy: string): void {
  const session = sessionOf(ctx)
  if (!session.permissions.mayTrash && session.name !== heardBy) throw forbidden()
}
