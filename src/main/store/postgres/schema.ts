/** The kinds of the first version: later kinds are added by their own migration below. */
export const firstKinds = ['customers', 'cases', 'grumbles', 'activities', 'signals', 'promises', 'escalations']
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

// The tables as they stood when the permissions came (version 2); later tables grant their own.
const recordTables = firstKinds.join(', ')
const allTables = `${recordTables}, ${settingsTable}, ${peopleTable}, ${migrationsTable}`
/** Runs a statement once per database, with the group roles' names (they are named after the database). */
const withRoles = (statement: string) =>
  `do $$ declare agent text := current_database() || '_agent'; supervisor text := current_database() || '_supervisor'; owner text := current_database() || '_owner'; begin ${statement}; end $$`

/** The escalation answers only a supervisor or an owner gives; the pattern sweep (any desk) only re-raises. */
const answerFields = ['acknowledgement', 'action', 'resolution', 'dismissal']
/** The record tables as they stand at version 8 (a later kind stamps its own rows). */
const checkedKinds = [...firstKinds, 'rubrics', 'attachments', 'trash', 'failures']
/** The setting a desk's connection declares its schema fingerprint in: the trigger of version 8 stamps rows with it. */
export const checkedBySetting = 'makegood.checked_by'
/** The channel on which each desk says which cases it has open (see services/live). */
export const presenceChannel = 'makegood_presence'

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
  // Who may do what, enforced by the server whatever client connects (see docs/architecture.md):
  // agents read everything and add or change records; supervisors also change settings and answer
  // escalations; owners (the group that owns every table) also manage people and delete.
  2: [
    // Owned by the owner group, not by the login that ran init: every owner may migrate and manage.
    // (A new table owner needs CREATE on the schema.)
    withRoles(`execute format('grant create on schema public to %I', owner)`),
    ...`${allTables}`
      .split(', ')
      .map((table) => withRoles(`execute format('alter table ${table} owner to %I', owner)`)),
    withRoles(`execute format('revoke all on ${allTables} from %I, %I', agent, supervisor)`),
    withRoles(`execute format('grant select on ${allTables} to %I', agent)`),
    withRoles(`execute format('grant insert, update on ${recordTables} to %I', agent)`),
    withRoles(`execute format('grant insert, update on ${settingsTable} to %I', supervisor)`),
    `create function makegood_may_answer() returns boolean language sql stable as
       $$ select pg_has_role(current_user, current_database() || '_supervisor', 'member') $$`,
    // Row-level security: an escalation an agent's desk adds (the sweep) is a raised one, unanswered.
    `alter table escalations enable row level security`,
    `create policy escalations_read on escalations for select using (true)`,
    `create policy escalations_raise on escalations for insert with check (makegood_may_answer() or
       (record->>'status' = 'raised' and not (record ?| array['${answerFields.join("', '")}'])))`,
    `create policy escalations_change on escalations for update using (true) with check (true)`,
    // A policy sees only the new row; whether an update answers an escalation needs the old one too.
    `create function makegood_guard_escalation() returns trigger language plpgsql as $$
     begin
       if makegood_may_answer() then return new; end if;
       if new.record->>'status' is distinct from old.record->>'status' and new.record->>'status' <> 'raised' then
         raise exception 'permission denied: only a supervisor or an owner may set an escalation to %', new.record->>'status'
           using errcode = 'insufficient_privilege';
       end if;
       if exists (select 1 from unnest(array['${answerFields.join("', '")}']) as f
                  where new.record->f is not null and new.record->f is distinct from old.record->f) then
         raise exception 'permission denied: only a supervisor or an owner may answer an escalation'
           using errcode = 'insufficient_privilege';
       end if;
       return new;
     end $$`,
    `create trigger escalations_answers before update on escalations for each row execute function makegood_guard_escalation()`,
  ],
  // Rubric scores and attachments; the bytes are never changed in place (content-addressed): added, not updated.
  3: [
    recordTable('rubrics'),
    recordTable('attachments'),
    `create table ${blobsTable} (sha256 text primary key check (sha256 ~ '^[0-9a-f]{64}$'), bytes bytea not null)`,
    ...['rubrics', 'attachments', blobsTable].map((table) =>
      withRoles(`execute format('alter table ${table} owner to %I', owner)`),
    ),
    withRoles(`execute format('grant select, insert, update on rubrics, attachments to %I', agent)`),
    withRoles(`execute format('grant select, insert on ${blobsTable} to %I', agent)`),
  ],
  // Trash (deleted cases, grumbles, promises, merged customers): supervisors and owners move
  // records there and back, which removes rows from the record tables; agents never delete.
  4: [
    recordTable('trash'),
    withRoles(`execute format('alter table trash owner to %I', owner)`),
    withRoles(`execute format('grant select on trash to %I', agent)`),
    withRoles(`execute format('grant insert, update, delete on trash to %I', supervisor)`),
    withRoles(
      `execute format('grant delete on ${[...firstKinds, 'rubrics', 'attachments'].join(', ')} to %I', supervisor)`,
    ),
  ],
  // Failures logged without a customer (a late delivery, a broken oven): any desk logs them.
  5: [
    recordTable('failures'),
    withRoles(`execute format('alter table failures owner to %I', owner)`),
    withRoles(`execute format('grant select, insert, update on failures to %I', agent)`),
    withRoles(`execute format('grant delete on failures to %I', supervisor)`),
  ],
  // Each person's own language: an agent reading Chinese does not switch the supervisor's screens,
  // and needs no right to the shared settings to choose it. Only one's own row, through the function.
  6: [
    // Re-runnable: a database whose later migrations were undone by hand keeps its column and function.
    `alter table ${peopleTable} add column if not exists language text`,
    `create or replace function makegood_set_my_language(chosen text) returns void language sql security definer
       set search_path = public as $$ update ${peopleTable} set language = chosen where login = session_user $$`,
    withRoles(`execute format('alter function makegood_set_my_language(text) owner to %I', owner)`),
    `revoke all on function makegood_set_my_language(text) from public`,
    withRoles(`execute format('grant execute on function makegood_set_my_language(text) to %I', agent)`),
  ],
  // A desk opens with the two newest months and reads the older ones after: at 100k cases,
  // finding them without an index scanned every table, four desks at once. (The kinds with a
  // month as they stand at this version: a later kind indexes its own.)
  7: [
    'cases',
    'grumbles',
    'activities',
    'signals',
    'promises',
    'escalations',
    'rubrics',
    'attachments',
    'trash',
    'failures',
  ].map((kind) => `create index if not exists ${kind}_month on ${kind} (month)`),
  // Which rows a desk may take without checking them against the record schemas again: every
  // write stamps `checked` with what the writing connection declares in `makegood.checked_by`
  // (a MakeGood desk: the fingerprint of the schemas it checked the record with; anything else,
  // a psql session, an import script: nothing). At 100k cases the check was most of a desk's
  // start-up. (Re-runnable, and the kinds as they stand at this version.)
  8: [
    `create or replace function makegood_stamp_checked() returns trigger language plpgsql as $$
     begin
       new.checked := nullif(current_setting('${checkedBySetting}', true), '');
       return new;
     end $$`,
    withRoles(`execute format('alter function makegood_stamp_checked() owner to %I', owner)`),
    ...checkedKinds.flatMap((kind) => [
      `alter table ${kind} add column if not exists checked text`,
      // Dropped and made again rather than `create or replace trigger`, which needs PostgreSQL 14.
      `drop trigger if exists ${kind}_checked on ${kind}`,
      `create trigger ${kind}_checked before insert or update on ${kind}
         for each row execute function makegood_stamp_checked()`,
    ]),
  ],
}

export const currentTeamVersion = Math.max(...Object.keys(teamMigrations).map(Number))
