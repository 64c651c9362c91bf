import { collectionNames } from '../collections'

/** Each record kind is one table named after it; the settings are one row. */
export const settingsTable = 'makegood_settings'
export const migrationsTable = 'makegood_migrations'
export const peopleTable = 'makegood_people'
/** The channel every desk listens on; the payload names what changed (see PgStore). */
export const changesChannel = 'makegood_changes'

/**
 * Versioned migrations of the team database, applied in order inside one transaction and
 * recorded in `makegood_migrations`; a database migrated by a newer MakeGood is refused.
 */
export const teamMigrations: Record<number, string[]> = {
  1: [
    `create table ${settingsTable} (id int primary key check (id = 1), version int not null, record jsonb not null)`,
    ...collectionNames.map(
      (kind) => `create table ${kind} (id text primary key, month text, version int not null, record jsonb not null)`,
    ),
    // Two desks creating a case at the same moment pick the same next number: the second is refused and retries.
    `create unique index cases_number on cases ((record->>'number'))`,
    `create table ${peopleTable} (login text primary key, name text not null, role text not null check (role in ('agent', 'supervisor', 'owner')), disabled_at timestamptz)`,
  ],
  // Failures logged without a customer; a database made after this kind existed has the table from 1.
  2: [
    `create table if not exists failures (id text primary key, month text, version int not null, record jsonb not null)`,
  ],
}

export const currentTeamVersion = Math.max(...Object.keys(teamMigrations).map(Number))
