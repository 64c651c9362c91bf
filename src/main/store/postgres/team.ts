import { Client, DatabaseError } from 'pg'
import { AppError } from '../../../shared/core/errors'
import { type TeamRole, teamRoles } from '../../../shared/team/contract'
import { defaultSettings } from '../../../shared/schemas'
import { collectionNames } from '../collections'
import { Store } from '../store'
import { PgStore, databaseError, displayUrl, migrateTeamDatabase } from './pgStore'
import { peopleTable, settingsTable } from './schema'

export { teamRoles, type TeamRole }

/** The group roles are named after the database: two MakeGood databases on one server never share one. */
export function groupRole(database: string, role: TeamRole): string {
  return `${database}_${role}`
}

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
 * Sets up an empty database for a team, in one transaction: MakeGood's tables (versioned
 * migrations), the three group roles, CONNECT for those roles only, first-cut grants, and the
 * owner's person record bound to the login in the URL (which must own the database and may
 * create roles). A database that already holds tables is refused, untouched.
 */
export async function teamInit(url: string, ownerName: string): Promise<{ database: string; login: string }> {
  const name = ownerName.trim()
  if (name.length === 0 || name.length > 200) {
    throw new AppError('invalid_input', 'The owner needs a name (1 to 200 characters)', { reason: 'team.owner_name' })
  }
  const client = await connect(url)
  try {
    const who = await client.query<{ database: string; login: string }>(
      `select current_database() as database, current_user as login`,
    )
    const { database, login } = who.rows[0]!
    const taken = await client.query<{ count: number }>(
      `select count(*)::int as count from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where c.relkind in ('r', 'v', 'm', 'p', 'f') and n.nspname not in ('pg_catalog', 'information_schema')
         and n.nspname not like 'pg_toast%'`,
    )
    if (taken.rows[0]!.count > 0) {
      throw new AppError(
        'conflict',
        `${displayUrl(url)} already holds ${taken.rows[0]!.count} tables; team init sets up an empty database only`,
        { reason: 'team.not_empty', params: { url: displayUrl(url), tables: taken.rows[0]!.count } },
      )
    }
    const id = (text: string) => client.escapeIdentifier(text)
    const [agent, supervisor, owner] = teamRoles.map((role) => id(groupRole(database, role)))
    await client.query('begin')
    try {
      for (const role of [agent, supervisor, owner]) await client.query(`create role ${role} nologin`)
      // Each role has what the one below it has.
      await client.query(`grant ${agent} to ${supervisor}`)
      await client.query(`grant ${supervisor} to ${owner}`)
      await client.query(`grant ${owner} to ${id(login)}`)
      await client.query(`revoke connect on database ${id(database)} from public`)
      await client.query(`grant connect on database ${id(database)} to ${agent}`)
      await client.query(`grant usage on schema public to ${agent}`)
      // The tables and each role's grants and row-level security come with the migrations.
      await migrateTeamDatabase(client, url, true)
      await client.query(`insert into ${settingsTable} (id, version, record) values (1, 1, $1)`, [defaultSettings()])
      await client.query(`insert into ${peopleTable} (login, name, role) values ($1, $2, 'owner')`, [login, name])
      await client.query('commit')
    } catch (error) {
      await client.query('rollback').catch(() => undefined)
      if (error instanceof DatabaseError && error.code === '42710') {
        throw new AppError('conflict', `The roles of ${database} already exist on this server: ${error.message}`, {
          reason: 'team.roles_exist',
          params: { database },
        })
      }
      throw databaseError(url, error)
    }
    return { database, login }
  } finally {
    await client.end().catch(() => undefined)
  }
}

/** Copies a laptop's data folder (read-only, left as it is) into an empty team database; answers the record count. */
export async function moveIn(fromDir: string, url: string): Promise<number> {
  const folder = await Store.open(fromDir, { isReadOnly: true })
  try {
    const data = folder.dataSet()
    const team = await PgStore.open(url)
    try {
      const held = collectionNames.reduce((sum, kind) => sum + team.count(kind), 0)
      if (held > 0) {
        throw new AppError(
          'conflict',
          `${team.dir} already holds ${held} records; move-in fills an empty team database only`,
          {
            reason: 'import.not_empty',
          },
        )
      }
      await team.replaceAll(data)
      return collectionNames.reduce((sum, kind) => sum + team.count(kind), 0)
    } finally {
      await team.close()
    }
  } finally {
    await folder.close()
  }
}
