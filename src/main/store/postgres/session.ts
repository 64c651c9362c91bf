import { type Client } from 'pg'
import { type Session, type TeamRole, permissionsOf } from '../../../shared/team/contract'
import { peopleTable } from './schema'

/**
 * The role a session has, read from the server's own role membership (what the grants and row-level
 * security go by), not from the people table: the two cannot disagree about what the server allows.
 */
export async function roleOf(client: Client, login?: string): Promise<TeamRole | null> {
  const rows = await client.query<{ owner: boolean; supervisor: boolean; agent: boolean }>(
    `select pg_has_role(u, d || '_owner', 'member') as owner, pg_has_role(u, d || '_supervisor', 'member') as supervisor,
            pg_has_role(u, d || '_agent', 'member') as agent
       from (select coalesce($1, current_user::text) as u, current_database() as d) as s`,
    [login ?? null],
  )
  const row = rows.rows[0]!
  return row.owner ? 'owner' : row.supervisor ? 'supervisor' : row.agent ? 'agent' : null
}

/** The person this connection is: the one bound to its login (a login nobody added goes by its own name). */
export async function sessionOf(client: Client): Promise<Session> {
  const rows = await client.query<{ login: string; name: string | null }>(
    `select current_user as login, (select name from ${peopleTable} where login = current_user) as name`,
  )
  const { login, name } = rows.rows[0]!
  const role = (await roleOf(client)) ?? 'agent'
  return { isTeam: true, login, name: name ?? login, role, permissions: permissionsOf(role) }
}
