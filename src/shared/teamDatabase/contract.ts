import { z } from 'zod'
import { everything, method, nothing } from '../core/contract'
import { TeamRole } from '../team/contract'

/**
 * A team database's address as a desk types it: `postgres://login@host:port/database`. The
 * password is asked in its own field and never travels inside the URL, so the URL can be shown,
 * logged and stored as it is.
 */
export const DatabaseUrl = z
  .string()
  .trim()
  .min(1)
  .max(2000)
  .superRefine((text, ctx) => {
    let url: URL
    try {
      url = new URL(text)
    } catch {
      return void ctx.addIssue({ code: 'custom', message: 'Not a URL: postgres://login@host:port/database' })
    }
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
      ctx.addIssue({ code: 'custom', message: 'The URL must start with postgres://' })
    }
    if (url.password !== '') {
      ctx.addIssue({ code: 'custom', message: 'Type the password in the Password field, not in the URL' })
    }
    if (url.hostname === '' || url.pathname.replace(/^\//, '') === '') {
      ctx.addIssue({
        code: 'custom',
        message: 'The URL needs a host and a database: postgres://login@host:port/database',
      })
    }
  })

export const ConnectInput = z
  .object({
    url: DatabaseUrl,
    /** Empty: the libpq ways apply (PGPASSWORD, ~/.pgpass) or the server needs none. */
    password: z.string().max(1000).default(''),
  })
  .strict()
export type ConnectInput = z.infer<typeof ConnectInput>

/** Why a team database cannot be used by this login; each has a sentence in the UI's language. */
export const teamDatabaseProblems = [
  /** Wrong password, unknown or disabled login. */
  'login_refused',
  /** No server answers at that address, or the database does not exist. */
  'unreachable',
  /** The database has no MakeGood schema (`makegood team init` was never run on it). */
  'not_makegood',
  /** Set up by a newer MakeGood than this one. */
  'newer_version',
  /** Needs a schema update only an owner may make. */
  'needs_owner_update',
  /** The login may connect, but nobody added it as a person (`makegood team add-person`). */
  'no_person',
] as const
export const TeamDatabaseProblem = z.enum(teamDatabaseProblems)
export type TeamDatabaseProblem = z.infer<typeof TeamDatabaseProblem>

/** What "Test connection" found, step by step: each later field is null when an earlier step failed. */
export const TestResult = z.object({
  /** Every check passed: Connect will switch this desk to it. */
  isReady: z.boolean(),
  isReachable: z.boolean(),
  /** PostgreSQL's `server_version`, once logged in. */
  serverVersion: z.string().nullable(),
  isMakeGood: z.boolean(),
  /** The MakeGood schema version recorded in the database, and the one this build knows. */
  schemaVersion: z.number().int().nullable(),
  knownSchemaVersion: z.number().int(),
  host: z.string(),
  database: z.string(),
  login: z.string(),
  /** Who this login is in the team; null when no person record is bound to it. */
  person: z.object({ name: z.string(), role: TeamRole }).nullable(),
  problem: z.object({ reason: TeamDatabaseProblem, message: z.string() }).nullable(),
})
export type TestResult = z.infer<typeof TestResult>

/**
 * Whether this desk will come back to the team database by itself. `remembered`: the desktop app
 * keeps the password encrypted by the system (safeStorage). `this_session`: the system offers no
 * encryption, so it is not kept. `browser`: `serve` keeps nothing (start it with --db or
 * MAKEGOOD_DB). `environment`: started on it by --db / MAKEGOOD_DB. `not_saved`: keeping it failed.
 */
export const Memory = z.enum(['remembered', 'this_session', 'browser', 'environment', 'not_saved'])
export type Memory = z.infer<typeof Memory>

/** Which store this desk works on now. */
export const TeamDatabaseStatus = z.object({
  engine: z.enum(['folder', 'team']),
  /** This desk's data folder: the store on `folder`, its own files (log, backups) on `team`. */
  folder: z.string(),
  /** On `team`: where, and as whom (the URL never carries the password). */
  team: z
    .object({
      url: z.string(),
      host: z.string(),
      port: z.string(),
      database: z.string(),
      login: z.string(),
      name: z.string(),
      role: TeamRole.nullable(),
    })
    .nullable(),
  memory: Memory.nullable(),
  /** Whether this host can switch stores (the CLI cannot: it is started with --db or without). */
  canSwitch: z.boolean(),
})
export type TeamDatabaseStatus = z.infer<typeof TeamDatabaseStatus>

export const teamDatabaseContract = {
  'teamDatabase:status': method(nothing, TeamDatabaseStatus, { reads: ['settings'], isUsableWhileLoading: true }),
  'teamDatabase:test': method(ConnectInput, TestResult, { reads: ['settings'], isUsableWhileLoading: true }),
  /** Tests first; only a passing test switches the desk. Everything on screen is read again after. */
  'teamDatabase:connect': method(ConnectInput, TeamDatabaseStatus, { changes: everything, isUsableWhileLoading: true }),
  'teamDatabase:disconnect': method(nothing, TeamDatabaseStatus, { changes: everything, isUsableWhileLoading: true }),
}
