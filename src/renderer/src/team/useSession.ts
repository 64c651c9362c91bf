import { type Permissions, type Session } from '../../../shared/team/contract'
import { useApi } from '../hooks'

/** Nothing is offered until the session says so: the team database would refuse it anyway. */
const untilKnown: Permissions = {
  mayAnswerEscalations: false,
  mayEditSettings: false,
  mayManagePeople: false,
  mayDelete: false,
  mayTrash: false,
}

/** Who is working (on a team database: the person of the login) and what they may do. */
export function useSession(): Session | undefined {
  return useApi('session:get', {}).data
}

export function usePermissions(): Permissions {
  return useSession()?.permissions ?? untilKnown
}
