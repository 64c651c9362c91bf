/** The kinds of the first version: later kinds are added by their own migration below. */
const firstKinds = ['customers', 'cases', 'grumbles', 'activities', 'signals', 'promises', 'escalations']
const recordTable = (kind: string) =>
  `create table ${kind} (id text primary key, month text, version int not null, record jsonb not null)`

/** Each record kind is one table named after it; the settings are one row. */
export const settingsTable = 'makegood_settings'
export const migrationsTable = 'makegood_migrations'
export const peopleTable = 'makegood_people'
/** The channel every desk listens on; the payload names what changed (see PgStore). */
export const changesChannel = 'makegood_changes'
/** Attachment bytes, once per content, keyed by their SHA-256 (src/main/store/blobs.ts). */
export const blobsTable = 'makegood_attachment_bytes'

/**
 * Versioned migrations of the team database, applied in order inside one transaction and
 * recorded in `makegood_migrations`; a database migrated by a newer MakeGood is refused.
 */
export const teamMigrations: Record<number, string[]> = {
  1: [
    `create table ${settingsTable} (id int primary key check (id = 1), version int not null, record jsonb not null)`,
    ...firstKinds.map(recordTable),
    // Two desks creating a case at the same moment pick the same next number: the second is refused and retries.
    `create unique index cases_number on cases ((record->>'number'))`,
    `create table ${peopleTable} (login text primary key, name text not null, role text not null check (role in ('agent', 'supervisor', 'owner')), disabled_at timestamptz)`,
  ],
  2: [
    recordTable('rubrics'),
    recordTable('attachments'),
    `create table ${blobsTable} (sha256 text primary key check (sha256 ~ '^[0-9a-f]{64}$'), bytes bytea not null)`,
    // A database set up before these kinds existed has its roles already: they get the same grants
    // as every other kind (team init grants them itself on a new database).
    `do $$ begin
       if exists (select 1 from pg_roles where rolname = current_database() || '_agent') then
         execute format('grant select, insert, update on rubrics, attachments to %I', current_database() || '_agent');
         execute format('grant select, insert on ${blobsTable} to %I', current_database() || '_agent');
         execute format('grant all on rubrics, attachments, ${blobsTable} to %I', current_database() || '_owner');
       end if;
     end $$`,
  ],
}

export const currentTeamVersion = Math.max(...Object.keys(teamMigrations).map(Number))
