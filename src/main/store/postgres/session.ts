import { type Client } from 'pg'
import { Settings } from '../../../shared/schemas'
import { type Session, type TeamRole, permissionsOf, teamRoles } from '../../../shared/team/contract'
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
  return {
    isTeam: true,
    login,
    name: name ?? login,
    role,
    permissions: permissionsOf(role),
    superiors: await superiorsOf(client, role),
  }
}

/**
 * The people above this one, nearest first (an agent's supervisors, then the owners), by name:
 * where a hand-off "to my superior" goes. Removed people and logins no longer on the server are left out.
 */
async function superiorsOf(client: Client, role: TeamRole): Promise<string[]> {
  const rows = await client.query<{ name: string; rank: number }>(
    `select p.name,
            case when pg_has_role(r.oid, current_database() || '_owner', 'member') then 2
                 when pg_has_role(r.oid, current_database() || '_supervisor', 'member') then 1
                 else 0 end as rank
       from ${peopleTable} p join pg_roles r on r.rolname = p.login
      where p.disabled_at is null and p.login <> current_user`,
  )
  const mine = teamRoles.indexOf(role)
  return rows.rows
    .filter((row) => row.rank > mine)
    .sort((a, b) => a.rank - b.rank || a.name.localeCompare(b.name))
    .map((row) => row.name)
}

/** The language the person of this login chose for themselves (unset: the team's shared setting). */
export async function ownLanguageOf(client: Client): Promise<Settings['language'] | undefined> {
  const rows = await client.query<{ language: string | null }>(
    `select language from ${peopleTable} where login = current_user`,
  )
  const parsed = Settings.shape.language.safeParse(rows.rows[0]?.language)
  // Unset or not a language this MakeGood knows (a newer one wrote it): the shared setting applies.
  return parsed.success ? parsed.data : undefined
}
