import { Client, DatabaseError } from 'pg'
import { AppError, type ErrorCode } from '../../shared/core/errors'
import { type ConnectInput, type TeamDatabaseProblem, type TestResult } from '../../shared/teamDatabase/contract'
import { roleOf } from '../store/postgres/session'
import { currentTeamVersion, migrationsTable, peopleTable } from '../store/postgres/schema'
import { urlParts, withPassword } from './url'

/** A desk waits this long for a server that does not answer before calling it unreachable. */
const connectTimeoutMs = 10_000

/**
 * "Test connection": logs in with the URL and password and reads, without changing anything,
 * whether this is a MakeGood team database this build can open and who the login is in it.
 * A refusal is an answer (with its reason), not an error: only a malformed input throws.
 */
export async function testTeamDatabase(input: ConnectInput): Promise<TestResult> {
  const parts = urlParts(input.url)
  const result: TestResult = {
    isReady: false,
    isReachable: false,
    serverVersion: null,
    isMakeGood: false,
    schemaVersion: null,
    knownSchemaVersion: currentTeamVersion,
    host: parts.port === '5432' ? parts.host : `${parts.host}:${parts.port}`,
    database: parts.database,
    login: parts.login,
    person: null,
    problem: null,
  }
  const refuse = (reason: TeamDatabaseProblem, message: string): TestResult => ({
    ...result,
    problem: { reason, message },
  })
  const client = new Client({
    connectionString: withPassword(input.url, input.password),
    application_name: 'makegood-test',
    connectionTimeoutMillis: connectTimeoutMs,
  })
  client.on('error', () => undefined)
  try {
    await client.connect()
  } catch (error) {
    await client.end().catch(() => undefined)
    const message = error instanceof Error ? error.message : String(error)
    const code = error instanceof DatabaseError ? (error.code ?? '') : ''
    // 28xxx: wrong password, unknown login.
    if (code.startsWith('28')) return refuse('login_refused', message)
    // 42501 on connect: the password was right, but only the team's roles may connect to this database.
    if (code === '42501') return refuse('no_person', message)
    return refuse('unreachable', message)
  }
  try {
    result.isReachable = true
    result.serverVersion = (
      await client.query<{ server_version: string }>('show server_version')
    ).rows[0]!.server_version
    const found = await client.query<{ exists: boolean }>(`select to_regclass($1) is not null as exists`, [
      migrationsTable,
    ])
    if (!found.rows[0]!.exists) {
      return refuse('not_makegood', `${parts.database} has no MakeGood schema: run makegood team init on it first`)
    }
    result.isMakeGood = true
    const version =
      (await client.query<{ version: number | null }>(`select max(version) as version from ${migrationsTable}`))
        .rows[0]!.version ?? 0
    result.schemaVersion = version
    const role = await roleOf(client)
    const people = await client.query<{ name: string }>(
      `select name from ${peopleTable} where login = current_user and disabled_at is null`,
    )
    const name = people.rows[0]?.name
    if (name !== undefined && role !== null) result.person = { name, role }
    if (version > currentTeamVersion) {
      return refuse(
        'newer_version',
        `Set up by a newer MakeGood (version ${version}; this one knows ${currentTeamVersion})`,
      )
    }
    if (version < currentTeamVersion && role !== 'owner') {
      return refuse('needs_owner_update', `Needs an update (version ${version} → ${currentTeamVersion}) an owner makes`)
    }
    if (!result.person) {
      return refuse(
        'no_person',
        `The login ${parts.login} is not a person of this team: an owner adds it with team add-person`,
      )
    }
    return { ...result, isReady: true }
  } catch (error) {
    // A grant missing on MakeGood's own tables: the login is not one of the team's roles.
    if (error instanceof DatabaseError && error.code === '42501') {
      return refuse('no_person', error.message)
    }
    return refuse('unreachable', error instanceof Error ? error.message : String(error))
  } finally {
    await client.end().catch(() => undefined)
  }
}

const codeOf: Record<TeamDatabaseProblem, ErrorCode> = {
  login_refused: 'unauthorized',
  unreachable: 'storage',
  not_makegood: 'storage',
  newer_version: 'storage',
  needs_owner_update: 'forbidden',
  no_person: 'forbidden',
}

/** A failed test as the error Connect answers with: its reason is the problem, the desk stays as it was. */
export function refusal(found: TestResult): AppError {
  const problem = found.problem ?? { reason: 'unreachable' as const, message: 'The test did not pass' }
  return new AppError(codeOf[problem.reason], `Not connected: ${problem.message}. This desk stays as it was.`, {
    reason: `teamDatabase.${problem.reason}`,
    params: { host: found.host, database: found.database, login: found.login, error: problem.message },
  })
}
