import { type ServiceContext } from '../context'

/**
 * The one place that decides who may delete, restore and merge. In team mode only supervisors
 * and owners may; the services do not know the connected person's role yet (the team roles
 * live in the database's people table), so on a laptop, where the person at the desk is the
 * only user, everyone may. When the role reaches the ServiceContext, the check goes here and
 * refuses an agent with the `forbidden` error.
 */
export function requireMayDelete(_ctx: ServiceContext): void {}

/**
 * Who may edit a grumble: whoever logged it, or a supervisor. Without roles in the context the
 * desk's person may edit every grumble (see requireMayDelete).
 */
export function requireMayEditGrumble(_ctx: ServiceContext, _heardBy: string): void {}
