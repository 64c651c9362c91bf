import { displayUrl } from '../../store/postgres/pgStore'
import { moveIn, teamInit } from '../../store/postgres/team'

/** Team set-up for the CLI: the hosts reach the team database only through the services. */
export { displayUrl as teamDatabaseName, moveIn as moveFolderIntoTeam, teamInit as initTeamDatabase }
export { addPerson, listPeople, removePerson, setRole } from '../../store/postgres/people'
