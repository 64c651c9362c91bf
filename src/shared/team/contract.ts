import { z } from 'zod'
import { method, nothing } from '../core/contract'

export const teamRoles = ['agent', 'supervisor', 'owner'] as const
export const TeamRole = z.enum(teamRoles)
export type TeamRole = z.infer<typeof TeamRole>

/** What the signed-in person may do; the team database enforces the same rules itself. */
export const Permissions = z.object({
  /** Acknowledge, plan, resolve and dismiss escalations. */
  mayAnswerEscalations: z.boolean(),
  mayEditSettings: z.boolean(),
  /** Add people, change roles, remove people. */
  mayManagePeople: z.boolean(),
  /** Replace or delete records (restore a backup, load sample data, import into an empty store). */
  mayDelete: z.boolean(),
  /** Move cases, grumbles and promises to Trash and back, merge customers, edit others' grumbles. */
  mayTrash: z.boolean(),
})
export type Permissions = z.infer<typeof Permissions>

/**
 * Who is working: in team mode the person bound to the database login this desk connected with
 * (fixed: "Working as" cannot be changed), on a data folder the name the user typed in settings.
 */
export const Session = z.object({
  isTeam: z.boolean(),
  /** The database login; null on a data folder. */
  login: z.string().nullable(),
  name: z.string(),
  /** Null on a data folder: one person, who may do everything. */
  role: TeamRole.nullable(),
  permissions: Permissions,
  /** The supervisors and owners above this person, nearest first: "hand off to my superior". Empty on a data folder. */
  superiors: z.array(z.string().max(200)).max(1000),
})
export type Session = z.infer<typeof Session>

/** Everything a role may do, from the least to the most. */
export function permissionsOf(role: TeamRole | null): Permissions {
  const rank = role === null ? 2 : teamRoles.indexOf(role)
  return {
    mayAnswerEscalations: rank >= 1,
    mayEditSettings: rank >= 1,
    mayManagePeople: rank >= 2,
    mayDelete: rank >= 2,
    mayTrash: rank >= 1,
  }
}

export const teamContract = {
  'session:get': method(nothing, Session, { reads: ['settings'], isUsableWhileLoading: true }),
}
