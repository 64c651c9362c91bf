import { randomBytes } from 'node:crypto'
import { Client, DatabaseError } from 'pg'
import { z } from 'zod'
import { AppError, parseUnknown } from '../../../shared/core/errors'
import { TeamRole, teamRoles } from '../../../shared/team/contract'
import { roleOf } from './session'
import { databaseError, displayUrl } from './pgStore'
import { changesChannel, peopleTable } from './schema'

/** One person of the team, as `team list` shows them. */
export const TeamPerson = z.object({
  login: z.string(),
  name: z.string(),
  role: TeamRole,
  /** False once removed: the login can no longer connect; the name stays in the history. */
  isActive: z.boolean(),
})
export type TeamPerson = z.infer<typeof TeamPerson>

/** A PostgreSQL role name MakeGood creates: plain lower-case, so it needs no quoting in psql or a URL. */
const Login = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'A login is 1 to 63 lower-case letters, digits or _, not starting with a digit')
const PersonName = z.string().trim().min(1).max(200)

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url, application_name: 'makegood' })
  try {
    await client.connect()
  } catch (error) {
    throw databaseError(url, error)
  }
  return client
}

/**
 * Runs people management as the login in `url`, in one transaction: refused with `forbidden`
 * unless that login is an owner (the server would refuse the role changes and the people table too).
 */
/**
 * Tells every open desk that people changed (delivered when the transaction commits): a desk whose
 * person got a new role shows what the role may do without reconnecting.
 */
async function announcePeopleChanged(client: Client): Promise<void> {
  await client.query('select pg_notify($1, $2)', [changesChannel, JSON.stringify({ desk: '', people: true })])
}

async function asOwner<T>(url: string, work: (client: Client, database: string) => Promise<T>): Promise<T> {
  const client = await connect(url)
  try {
    if ((await roleOf(client)) !== 'owner') {
      throw new AppError('forbidden', 'Only an owner of the team database may manage its people', {
        reason: 'team.owner_only',
        params: { url: displayUrl(url) },
      })
    }
    const database = (await client.query<{ d: string }>(`select current_database() as d`)).rows[0]!.d
    await client.query('begin')
    try {
      const result = await work(client, database)
      await client.query('commit')
      return result
    } catch (error) {
      await client.query('rollback').catch(() => undefined)
      throw error
    }
  } catch (error) {
    throw databaseError(url, error)
  } finally {
    await client.end().catch(() => undefined)
  }
}

/** "Tom Baker" → "tom_baker"; accents dropped. Names with no Latin letters need --login. */
function loginFromName(name: string): string {
  const login = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[_0-9]+|_+$/g, '')
    .slice(0, 63)
  if (!login) {
    throw new AppError('invalid_input', `No login can be made from "${name}": give one with --login`, {
      reason: 'team.needs_login',
      params: { name },
    })
  }
  return login
}

const group = (client: Client, database: string, role: TeamRole) => client.escapeIdentifier(`${database}_${role}`)

/** Owners manage people: their login may create roles and hand on the group roles. */
async function grantRole(client: Client, database: string, login: string, role: TeamRole): Promise<void> {
  const who = client.escapeIdentifier(login)
  if (role === 'owner') {
    await client.query(`alter role ${who} createrole`)
    for (const r of teamRoles) await client.query(`grant ${group(client, database, r)} to ${who} with admin option`)
  } else {
    await client.query(`alter role ${who} nocreaterole`)
    await client.query(`grant ${group(client, database, role)} to ${who}`)
  }
}

async function revokeRoles(client: Client, database: string, login: string): Promise<void> {
  const who = client.escapeIdentifier(login)
  for (const r of teamRoles) await client.query(`revoke ${group(client, database, r)} from ${who}`)
}

async function requireOtherOwner(client: Client, login: string): Promise<void> {
  const rows = await client.query<{ n: number }>(
    `select count(*)::int as n from ${peopleTable} where role = 'owner' and disabled_at is null and login <> $1`,
    [login],
  )
  if (rows.rows[0]!.n === 0) {
    throw new AppError('rule_violation', `${login} is the team's last owner; make someone else owner first`, {
      reason: 'team.last_owner',
      params: { login },
    })
  }
}

/**
 * Adds a person: a PostgreSQL login with a generated password (answered once, never stored by
 * MakeGood), in the group of their role, and the person record bound to it.
 */
export async function addPerson(
  url: string,
  input: { name: string; role: string; login?: string },
): Promise<{ login: string; password: string; role: TeamRole }> {
  const name = parseUnknown(PersonName, input.name)
  const role = parseUnknown(TeamRole, input.role)
  const login = parseUnknown(Login, input.login ?? loginFromName(name))
  const password = randomBytes(18).toString('base64url')
  return asOwner(url, async (client, database) => {
    const who = client.escapeIdentifier(login)
    try {
      await client.query(`create role ${who} login password ${client.escapeLiteral(password)}`)
    } catch (error) {
      if (error instanceof DatabaseError && error.code === '42710') {
        throw new AppError('conflict', `The login ${login} already exists on this server`, {
          reason: 'team.login_taken',
          params: { login },
        })
      }
      throw error
    }
    await grantRole(client, database, login, role)
    await client.query(`insert into ${peopleTable} (login, name, role) values ($1, $2, $3)`, [login, name, role])
    await announcePeopleChanged(client)
    return { login, password, role }
  })
}

async function requirePerson(client: Client, login: string): Promise<TeamPerson> {
  const rows = await client.query<{ login: string; name: string; role: TeamRole; disabled: boolean }>(
    `select login, name, role, disabled_at is not null as disabled from ${peopleTable} where login = $1`,
    [login],
  )
  const row = rows.rows[0]
  if (!row) {
    throw new AppError('not_found', `Nobody in this team signs in as ${login}`, {
      reason: 'team.no_such_login',
      params: { login },
    })
  }
  return { login: row.login, name: row.name, role: row.role, isActive: !row.disabled }
}

export async function listPeople(url: string): Promise<TeamPerson[]> {
  return asOwner(url, async (client) => {
    const rows = await client.query<{ login: string; name: string; role: TeamRole; disabled: boolean }>(
      `select login, name, role, disabled_at is not null as disabled from ${peopleTable} order by name, login`,
    )
    return rows.rows.map((r) => ({ login: r.login, name: r.name, role: r.role, isActive: !r.disabled }))
  })
}

/** Moves a person to another role (their login leaves the other groups); the last owner stays one. */
export async function setRole(url: string, loginInput: string, roleInput: string): Promise<TeamPerson> {
  const login = parseUnknown(Login, loginInput)
  const role = parseUnknown(TeamRole, roleInput)
  return asOwner(url, async (client, database) => {
    const person = await requirePerson(client, login)
    if (person.role === 'owner' && role !== 'owner') await requireOtherOwner(client, login)
    await revokeRoles(client, database, login)
    await grantRole(client, database, login, role)
    await client.query(`update ${peopleTable} set role = $2 where login = $1`, [login, role])
    await announcePeopleChanged(client)
    return { ...person, role }
  })
}

/**
 * Removes a person: the login can no longer connect (NOLOGIN) and, out of every group, an
 * open session can no longer read or write; while the person record stays, so every timeline entry keeps their name.
 */
export async function removePerson(url: string, loginInput: string): Promise<TeamPerson> {
  const login = parseUnknown(Login, loginInput)
  return asOwner(url, async (client, database) => {
    const person = await requirePerson(client, login)
    if (person.role === 'owner') await requireOtherOwner(client, login)
    const who = client.escapeIdentifier(login)
    await client.query(`alter role ${who} nologin nocreaterole`)
    await revokeRoles(client, database, login)
    await client.query(`update ${peopleTable} set disabled_at = now() where login = $1`, [login])
    await announcePeopleChanged(client)
    return { ...person, isActive: false }
  })
}
