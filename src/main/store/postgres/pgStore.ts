import { randomUUID } from 'node:crypto'
import { isDeepStrictEqual } from 'node:util'
import { Client, DatabaseError } from 'pg'
import { AppError, parseUnknown } from '../../../shared/core/errors'
import { byCodeUnits } from '../../../shared/core/order'
import { Settings, defaultSettings } from '../../../shared/schemas'
import { type Session, permissionsOf } from '../../../shared/team/contract'
import { logger } from '../../log/logger'
import { type CollectionName, type Collections, collectionNames } from '../collections'
import { type AnyRecord, isMonthName, kindOf, parseRecordOf, schemaFingerprint, shardOf } from '../kinds'
import { currentSchemaVersion } from '../migrations'
import { type Change, type DataSet, type RecordWatcher, type StorageProblem, parseDataSet } from '../store'
import { blobMissing, blobDamaged, type BlobStore, sha256Of } from '../blobs'
import {
  type ColdList,
  ColdMonths,
  coldKinds,
  kindsLeftOnDisk,
  idsOfColdList,
  lineOf,
  monthsInMemory,
  readColdList,
} from '../coldMonths'
import { SharedStrings } from '../sharedStrings'
import {
  blobsTable,
  changesChannel,
  checkedBySetting,
  currentTeamVersion,
  migrationsTable,
  presenceChannel,
  settingsTable,
  teamMigrations,
} from './schema'
import { ownLanguageOf, sessionOf } from './session'
import { DeskMonths } from './deskMonths'
import { type CopiedRow, type Staging, copiedColumns, copyRows, textOf } from './copiedRows'
import { nextTurn } from '../../eventLoop'

const names = collectionNames as string[]
const settingsId = 'settings'
/** NOTIFY payloads are limited to 8000 bytes: a larger change tells the others to reload everything. */
const maxPayload = 7000
/** From this many records of one kind in a commit, they are written by one statement. */
const batchFrom = 8
/** The kinds a lazy open reads once it has answered, the newest months' rows too (see loadRecent). */
const readAfterOpen: readonly string[] = [...coldKinds, 'escalations']
/** A lazy open reads the older months about this many rows at a time. */
const rowsPerRead = 5000

/**
 * How a stored row is placed: `isFirstRead`, read by a lazy open's background load for the first
 * time (never in the files it writes); `isOwn`, this desk's own commit (or its undoing), not a row
 * another desk wrote.
 */
type Placing = { isFirstRead?: boolean; isOwn?: boolean }

/** One record written by a commit, with what it replaced so a failed write can be undone in memory. */
type Write = {
  collection: string
  value: AnyRecord
  /** A removal: `value` is only `{ id }`, and the row is deleted. */
  isRemoval?: boolean
  /** The stored version this desk's copy is based on; undefined for a new record. */
  expected: number | undefined
  before: AnyRecord | undefined
  /** The unconfirmed write whose copy this one was made from: if that one fails, so must this. */
  basedOn: Write | undefined
  isFailed: boolean
  key: string
}

/**
 * What another desk changed, as sent on the changes channel: the ids (`changes`), and, when they
 * fit, the written records with their new versions (`rows`), so the others need not read them
 * back. Too large for a notice: the kinds (`kinds`, compared by version), or everything (`all`).
 * `people`: an owner added, re-roled or removed someone (each desk reads its session again).
 */
type Notice = {
  desk: string
  all?: boolean
  kinds?: string[]
  changes?: [string, string][]
  rows?: [collection: string, id: string, version: number, record: unknown][]
  people?: boolean
}

/**
 * `isLazy`: open once the two newest months (and the kinds without a month) are in memory, but
 * for their grumbles and churn signals, and read those and the older months in the background,
 * as the data folder does; screens say `isComplete: false` until then. As with the data folder,
 * the grumbles and churn signals of months older than the newest seven then stay out of memory,
 * in the desk's own files (deskMonths.ts).
 */
export type PgOpenOptions = {
  isReadOnly?: boolean
  isLazy?: boolean
  /** Where the desk's files of old months go (the desk's own data folder); the system's temporary folder if not said. */
  monthsFolder?: string
}

/** Whether this desk can reach the database now (screens show a banner while it cannot). */
export type Connection = 'connected' | 'reconnecting'

function staleVersion(w: Write): AppError {
  return new AppError(
    'conflict',
    `This ${w.collection === settingsId ? 'setting' : 'record'} was changed at another desk; reload it and try again`,
    { reason: 'store.stale_version', params: { collection: w.collection, id: w.value.id } },
  )
}

/**
 * A stored record as a desk reads it. `checked`: the fingerprint of the schemas the desk that
 * wrote it checked it with, or null when anything else wrote it (team migration 8).
 */
type StoredRow = { id: string; version: number; record: unknown; checked?: string | null; xid?: string }
/** `xid`: the row version read, so that stamping it stamps no later one. */
const rowColumns = 'id, version, record, checked, xmin::text as xid'
/**
 * A copied row as a stored one, its record parsed. Only a row not stamped can be stamped: a stamped
 * one gets no string of its row version (one short-lived string less for each of ~400,000 rows).
 */
const parsedRow = (row: CopiedRow): StoredRow => ({
  id: row.id,
  version: row.version,
  record: JSON.parse(textOf(row)) as unknown,
  checked: row.checked,
  xid: row.checked === schemaFingerprint ? undefined : String(row.xid),
})
/**
 * The row's id as the key of this desk's maps: the record's own copy of it when they are the same
 * (the row's is then dropped: ~15 MB at 100k cases), else the row's.
 */
const idOf = (row: StoredRow, record: AnyRecord) => (record.id === row.id ? record.id : row.id)

/** Advisory locks of MakeGood's background jobs share this first key; the second names the job. */
const jobLockClass = 0x4d47
/** The longest wait between two reconnection attempts. */
const maxRetryMs = 5000

async function connectClient(url: string): Promise<Client> {
  const client = new Client({ connectionString: url, application_name: 'makegood' })
  // Until the desk listens for it (attach), a lost connection is answered by the query that needs it.
  client.on('error', () => undefined)
  try {
    await client.connect()
    // What this desk writes was checked against these schemas: the rows say so (team migration 8).
    await client.query('select set_config($1, $2, false)', [checkedBySetting, schemaFingerprint])
  } catch (error) {
    await client.end().catch(() => undefined)
    throw databaseError(url, error)
  }
  return client
}

/** The URL as shown to people and in logs: never the password. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url)
    parsed.password = ''
    return parsed.toString()
  } catch {
    return 'the team database'
  }
}

/** A lost or refused connection is `storage` / `db.unreachable`; other database errors keep their text. */
export function databaseError(url: string, error: unknown): AppError {
  if (error instanceof AppError) return error
  const code = (error as { code?: string }).code ?? ''
  const message = error instanceof Error ? error.message : String(error)
  // insufficient_privilege: a grant, a row-level security policy or the escalation trigger said no.
  if (error instanceof DatabaseError && code === '42501') {
    return new AppError('forbidden', `Your role may not do this: ${message}. Nothing was changed.`, {
      reason: 'team.forbidden',
      params: { error: message },
    })
  }
  // invalid_authorization_specification / invalid_password: a wrong password or a removed login.
  if (error instanceof DatabaseError && code.startsWith('28')) {
    return new AppError('unauthorized', `The team database ${displayUrl(url)} refused the login: ${message}`, {
      reason: 'team.login_refused',
      params: { url: displayUrl(url), error: message },
    })
  }
  const isUnreachable =
    !(error instanceof DatabaseError) ||
    code.startsWith('08') ||
    code === '57P01' ||
    code === '57P03' ||
    code === '3D000'
  if (isUnreachable || /Connection terminated|not queryable/.test(message)) {
    return new AppError(
      'storage',
      `The team database ${displayUrl(url)} cannot be reached: ${message}. Nothing was changed.`,
      {
        reason: 'db.unreachable',
        params: { url: displayUrl(url), error: message },
      },
    )
  }
  return new AppError('storage', `The team database refused the change: ${message}. Nothing was changed.`, {
    reason: 'db.write_failed',
    params: { url: displayUrl(url), error: message, code },
  })
}

/**
 * Applies the versioned migrations this build knows and the database lacks, in one transaction,
 * recording each in `makegood_migrations`. Without `isCreating`, a database MakeGood never set up
 * is refused; a database migrated by a newer MakeGood is always refused.
 */
export async function migrateTeamDatabase(client: Client, url: string, isCreating: boolean): Promise<void> {
  const found = await client.query<{ exists: boolean }>(`select to_regclass($1) is not null as exists`, [
    migrationsTable,
  ])
  if (!found.rows[0]!.exists) {
    if (!isCreating) {
      throw new AppError(
        'storage',
        `${displayUrl(url)} is not a MakeGood team database: run makegood team init first`,
        {
          reason: 'db.not_initialized',
          params: { url: displayUrl(url) },
        },
      )
    }
    await client.query(`create table ${migrationsTable} (version int primary key, applied_at timestamptz not null)`)
  }
  const applied = await client.query<{ version: number | null }>(
    `select max(version) as version from ${migrationsTable}`,
  )
  const version = applied.rows[0]!.version ?? 0
  if (version > currentTeamVersion) {
    throw new AppError(
      'storage',
      `${displayUrl(url)} was set up by a newer MakeGood (database version ${version}; this one knows ${currentTeamVersion}). Update MakeGood to open it.`,
      { reason: 'store.newer_version', params: { path: displayUrl(url), version, known: currentTeamVersion } },
    )
  }
  if (version < currentTeamVersion && !isCreating) {
    const owner = await client.query<{ is: boolean }>(
      `select pg_has_role(current_user, current_database() || '_owner', 'member') as is`,
    )
    if (!owner.rows[0]!.is) {
      throw new AppError(
        'forbidden',
        `${displayUrl(url)} needs an update only an owner may make: an owner opens it once with this MakeGood`,
        { reason: 'team.update_by_owner', params: { url: displayUrl(url), version, known: currentTeamVersion } },
      )
    }
  }
  if (version === currentTeamVersion) return
  // team init runs inside its own transaction; an update on open is one transaction here.
  if (!isCreating) await client.query('begin')
  try {
    for (let next = version + 1; next <= currentTeamVersion; next++) {
      for (const statement of teamMigrations[next] ?? []) await client.query(statement)
      await client.query(`insert into ${migrationsTable} (version, applied_at) values ($1, now())`, [next])
    }
    if (!isCreating) await client.query('commit')
  } catch (error) {
    if (!isCreating) await client.query('rollback').catch(() => undefined)
    throw error
  }
}

/**
 * The team engine: the same interface as the data folder's Store, on a PostgreSQL database.
 * Every record is in memory (services read synchronously, as with the folder); a commit is one
 * transaction in which each update names the version it was based on, so an edit made from an
 * older copy answers `conflict` instead of overwriting another desk's change. Every commit
 * NOTIFYs the ids it wrote; the other desks LISTEN and reload those rows.
 */
export class PgStore {
  /** Where the data lives, as shown to people: the URL without its password. */
  readonly dir: string
  readonly isReadOnly: boolean
  /** This connection's name on the changes channel: its own notices are not reloaded. */
  readonly desk = randomUUID()
  /** Attachment bytes in the database (bytea): every desk of the team sees the same files. */
  readonly blobs: BlobStore = {
    isFolder: false,
    put: (bytes) => {
      const sha256 = sha256Of(bytes)
      return this.serial(async () => {
        if (this.isReadOnly)
          throw new AppError('read_only', 'This team database is open read-only', { reason: 'store.read_only' })
        // The same content twice is one row: a second desk adding it changes nothing.
        await this.client.query(`insert into ${blobsTable} (sha256, bytes) values ($1, $2) on conflict do nothing`, [
          sha256,
          Buffer.from(bytes),
        ])
        return sha256
      }).catch((error: unknown) => Promise.reject(databaseError(this.url, error)))
    },
    get: (sha256) =>
      this.serial(async () => {
        const found = await this.client.query<{ bytes: Buffer }>(`select bytes from ${blobsTable} where sha256 = $1`, [
          sha256,
        ])
        const bytes = found.rows[0]?.bytes
        if (!bytes) throw blobMissing(sha256)
        if (sha256Of(bytes) !== sha256) throw blobDamaged(sha256, this.dir)
        return bytes
      }).catch((error: unknown) => Promise.reject(databaseError(this.url, error))),
    has: (sha256) =>
      this.serial(async () => {
        const found = await this.client.query(`select 1 from ${blobsTable} where sha256 = $1`, [sha256])
        return (found.rowCount ?? 0) > 0
      }).catch((error: unknown) => Promise.reject(databaseError(this.url, error))),
  }
  private settingsValue: Settings = defaultSettings()
  private shown: { from: Settings; value: Settings } | undefined
  /** The language this person chose for themselves; unset, the team's shared one applies. */
  private ownLanguage: Settings['language'] | undefined
  /** Who this desk is: the person bound to the login it connected with (read on open and when people change). */
  session: Session = {
    isTeam: true,
    login: '',
    name: '',
    role: 'agent',
    permissions: permissionsOf('agent'),
    superiors: [],
  }
  private readonly records = new Map<string, Map<string, AnyRecord>>(names.map((n) => [n, new Map()]))
  /**
   * The old months' grumbles and churn signals a lazy open leaves in the desk's own files. A
   * record of such a month comes in with its month when it is looked up by id or changed, here or
   * at another desk, as with the data folder; its stored version then joins `versions`. A month
   * brought in is not a change: its records reach the watchers as this desk's own, as in the data
   * folder, whoever's change brought the month in.
   */
  private readonly cold = new ColdMonths((_, kind, records, { versions }) => {
    records.forEach((record, line) => {
      this.setInMemory(kind, record.id, record, false)
      if (versions) this.setVersion(kind, record.id, record, versions[line])
    })
  })
  private deskMonths: DeskMonths | undefined
  private readonly monthsFolder: string | undefined
  /**
   * The months of grumbles and churn signals given a record in memory (`kind/month`) since a lazy
   * open began: one the open was writing to the desk's files is read into memory whole instead.
   */
  private readonly placedWhileLoading = new Set<string>()
  /**
   * Counts the changes to this desk's rows made by anything but a lazy open's reads (a save, a
   * notice, a catch-up, everything read again). The open asks for its next rows before it places
   * the last; rows asked for before such a change are read again after it (a row removed
   * meanwhile would otherwise come back).
   */
  private changesPlaced = 0
  /** While a lazy open reads: the months older than this one are left in the desk's files. */
  private coldBefore: string | undefined
  private readonly versions = new Map<string, Map<string, number>>([...names, settingsId].map((n) => [n, new Map()]))
  private readonly revisions = new Map<string, number>()
  private readonly found: StorageProblem[] = []
  /** Every database round trip runs in turn: a transaction never interleaves with another query. */
  private queue: Promise<unknown> = Promise.resolve()
  private isClosed = false
  private readonly listeners = new Set<(collections: string[]) => void>()
  /** Told about every record set or removed in memory, as the folder's store does (see Store.watch). */
  private readonly watchers = new Set<RecordWatcher>()
  private readonly connectionListeners = new Set<(state: Connection) => void>()
  private readonly presenceListeners = new Set<(payload: string) => void>()
  private connectionState: Connection = 'connected'
  /** Set while this desk holds the team's background-jobs lock (lost with the connection). */
  private isJobsLeader = false
  private readonly jobQueues = new Map<string, Promise<void>>()
  /** False while older months are still being read after a lazy open. */
  private isLoaded = true
  private readonly loaded: { promise: Promise<void>; resolve: () => void } = (() => {
    let resolve = () => undefined as void
    const promise = new Promise<void>((done) => (resolve = done))
    return { promise, resolve }
  })()
  /** The latest unconfirmed write of each record (`kind/id`), while its transaction is on the way. */
  private readonly pending = new Map<string, Write>()
  /** Rows read while loading hold each short value once (see SharedStrings). */
  private readonly loadingStrings = new SharedStrings()

  private constructor(
    private readonly url: string,
    private client: Client,
    options: PgOpenOptions,
  ) {
    this.dir = displayUrl(url)
    this.isReadOnly = options.isReadOnly ?? false
    this.monthsFolder = options.monthsFolder
  }

  static async open(url: string, options: PgOpenOptions = {}): Promise<PgStore> {
    const client = await connectClient(url)
    const store = new PgStore(url, client, options)
    try {
      await migrateTeamDatabase(client, url, false)
      await store.loadSession(client)
      await store.attach(client)
      if (options.isLazy) await store.loadRecent()
      else await store.loadAll()
      return store
    } catch (error) {
      await client.end().catch(() => undefined)
      throw databaseError(url, error)
    }
  }

  /** Listens on a (new) connection; losing it starts reconnecting. */
  private async attach(client: Client): Promise<void> {
    // Listening before loading: a change committed during the load is reloaded after it.
    await client.query(`listen ${changesChannel}`)
    await client.query(`listen ${presenceChannel}`)
    client.on('notification', (message) => {
      if (message.channel === presenceChannel) {
        for (const listener of this.presenceListeners) listener(message.payload ?? '')
      } else this.onNotice(message.payload)
    })
    const lost = (error?: Error) => {
      if (this.client !== client || this.isClosed) return
      logger.error('db.connection_lost', error ?? 'the server closed the connection')
      this.reconnect()
    }
    client.on('error', lost)
    client.on('end', () => lost())
  }

  get connection(): Connection {
    return this.connectionState
  }

  /** Told when the connection is lost and when it is back (after catching up). Returns the stop. */
  onConnection(listener: (state: Connection) => void): () => void {
    this.connectionListeners.add(listener)
    return () => this.connectionListeners.delete(listener)
  }

  private setConnection(state: Connection): void {
    if (this.connectionState === state) return
    this.connectionState = state
    for (const listener of this.connectionListeners) listener(state)
  }

  /**
   * Opens a new connection, retrying with a growing pause until the server answers, then reads
   * what the other desks changed meanwhile. Writes asked in between are refused (db.unreachable).
   */
  private reconnect(): void {
    if (this.connectionState === 'reconnecting') return
    this.isJobsLeader = false
    this.setConnection('reconnecting')
    const old = this.client
    void old.end().catch(() => undefined)
    let pause = 250
    const attempt = async () => {
      if (this.isClosed) return
      try {
        const client = await connectClient(this.url)
        try {
          await migrateTeamDatabase(client, this.url, false)
          this.client = client
          await this.attach(client)
          // A role or person changed while away is caught up too, like the records.
          await this.serial(async () => {
            await this.loadSession()
            await this.catchUp(names)
            await this.finishOldMonths()
          })
          // Every kind was compared with the table: months a lazy open had still to read are in.
          this.markLoaded()
        } catch (error) {
          await client.end().catch(() => undefined)
          throw error
        }
        this.setConnection('connected')
        for (const listener of this.listeners) listener([...names, 'settings'])
      } catch (error) {
        logger.warn('db.reconnect_failed', error instanceof Error ? error.message : String(error))
        pause = Math.min(pause * 2, maxRetryMs)
        setTimeout(() => void attempt(), pause).unref()
      }
    }
    setTimeout(() => void attempt(), pause).unref()
  }

  /**
   * Runs `work` while this desk holds the team-wide lock named `job` (a PostgreSQL advisory
   * lock: one holder in the database at a time, released if the holder's connection drops).
   * With `wait`, waits for the lock; without, answers undefined at once when another desk holds
   * it. Before `work` runs, records of `catchUp` kinds another desk changed are read again, so
   * the work never starts from a copy older than the last holder's writes.
   */
  async exclusive<T>(
    job: string,
    work: () => Promise<T>,
    options: { wait: boolean; catchUp?: CollectionName[] },
  ): Promise<T | undefined> {
    // An advisory lock is held per connection, and taken again by the same one: work asked at this
    // desk while it holds the lock waits here first.
    const before = this.jobQueues.get(job) ?? Promise.resolve()
    const run = before.then(() => this.exclusiveAtTeam(job, work, options))
    this.jobQueues.set(
      job,
      run.then(
        () => undefined,
        () => undefined,
      ),
    )
    return run
  }

  private async exclusiveAtTeam<T>(
    job: string,
    work: () => Promise<T>,
    options: { wait: boolean; catchUp?: CollectionName[] },
  ): Promise<T | undefined> {
    this.refuseWhileUnreachable()
    const taken = await this.serial(async () => {
      const result = await this.client.query<{ taken: boolean }>(
        options.wait
          ? `select pg_advisory_lock(${jobLockClass}, hashtext($1)) is not null as taken`
          : `select pg_try_advisory_lock(${jobLockClass}, hashtext($1)) as taken`,
        [job],
      )
      if (result.rows[0]!.taken && options.catchUp) await this.catchUp(options.catchUp)
      return result.rows[0]!.taken
    }).catch((error: unknown) => {
      throw databaseError(this.url, error)
    })
    if (!taken) return undefined
    const client = this.client
    try {
      return await work()
    } finally {
      // A lost connection has released the lock already.
      if (client === this.client) {
        await this.serial(() => client.query(`select pg_advisory_unlock(${jobLockClass}, hashtext($1))`, [job])).catch(
          (error: unknown) => logger.warn('db.unlock_failed', error),
        )
      }
    }
  }

  /**
   * True while this desk is the one that runs the team's timed jobs (reminders, backups, the
   * monthly export): it holds a lock for as long as it stays connected; when its connection
   * drops, the next desk to ask takes over.
   */
  async isJobsDesk(): Promise<boolean> {
    if (this.isJobsLeader || this.connectionState !== 'connected') return this.isJobsLeader
    const client = this.client
    const result = await this.serial(() =>
      client.query<{ taken: boolean }>(`select pg_try_advisory_lock(${jobLockClass}, hashtext('jobs')) as taken`),
    )
    this.isJobsLeader = client === this.client && result.rows[0]!.taken
    return this.isJobsLeader
  }

  /** Tells the other desks what this desk has open (see services/live). */
  async sendPresence(payload: string): Promise<void> {
    if (this.connectionState !== 'connected' || this.isClosed) return
    await this.serial(() => this.client.query(`select pg_notify($1, $2)`, [presenceChannel, payload]))
  }

  onPresence(listener: (payload: string) => void): () => void {
    this.presenceListeners.add(listener)
    return () => this.presenceListeners.delete(listener)
  }

  private refuseWhileUnreachable(): void {
    if (this.connectionState === 'connected') return
    throw new AppError(
      'storage',
      `The team database ${this.dir} cannot be reached; reconnecting. Nothing was changed.`,
      { reason: 'db.unreachable', params: { url: this.dir, error: 'reconnecting' } },
    )
  }

  /**
   * Reads again the records of these kinds whose stored version differs from this desk's copy
   * (and drops those deleted): what the others changed while this desk was not listening.
   */
  private async catchUp(kinds: readonly string[]): Promise<void> {
    await this.loadSettings()
    for (const collection of kinds) {
      if (!kindOf(collection)) continue
      const stored = await this.client.query<{ id: string; version: number }>(`select id, version from ${collection}`)
      const versions = await this.everyVersion(collection)
      const seen = new Set<string>()
      const changed: string[] = []
      for (const row of stored.rows) {
        seen.add(row.id)
        if (versions.get(row.id) !== row.version) changed.push(row.id)
      }
      for (const id of [...versions.keys()]) if (!seen.has(id)) this.place(collection, id, undefined, undefined)
      if (changed.length === 0) continue
      const rows = await this.client.query<StoredRow>(`select ${rowColumns} from ${collection} where id = any($1)`, [
        changed,
      ])
      await this.placeRows(collection, rows.rows)
    }
  }

  /**
   * The stored version of every record of a kind this desk holds, those in its files too (their
   * ids read from their lines). If the files cannot be read, they are dropped and their rows read
   * again into memory (dropMonthFiles): the records in memory are then all there is.
   */
  private async everyVersion(collection: string): Promise<ReadonlyMap<string, number>> {
    try {
      const every = new Map<string, number>()
      for (const list of this.cold.listsOf(collection)) {
        const stored = list.versions!
        idsOfColdList(list).forEach((id, line) => every.set(id, stored[line]!))
      }
      return this.withMemory(collection, every)
    } catch (error) {
      await this.dropMonthFiles(error)
      return this.withMemory(collection, new Map())
    }
  }

  /** `versions` with the version of each record of the kind held in memory or being written to the desk's files. */
  private withMemory(collection: string, versions: Map<string, number>): Map<string, number> {
    for (const [id, version] of this.deskMonths?.versionsOf(collection) ?? []) versions.set(id, version)
    for (const id of this.records.get(collection)!.keys()) versions.set(id, 1)
    for (const [id, version] of this.versions.get(collection)!) versions.set(id, version)
    return versions
  }

  /**
   * Whether this desk's copies of these records are the stored ones: the same version of each,
   * none stored that this desk lacks, none held that was removed. One read by primary key.
   */
  async isCurrent(collection: CollectionName, ids: readonly string[]): Promise<boolean> {
    if (ids.length === 0) return true
    this.refuseWhileUnreachable()
    const stored = await this.serial(() =>
      this.client.query<{ id: string; version: number }>(`select id, version from ${collection} where id = any($1)`, [
        ids,
      ]),
    ).catch((error: unknown) => Promise.reject(databaseError(this.url, error)))
    if (stored.rows.length !== ids.filter((id) => this.knownVersion(collection, id) !== undefined).length) return false
    return stored.rows.every((row) => this.knownVersion(collection, row.id) === row.version)
  }

  /**
   * The stored settings, except "Working as" (always the signed-in person) and the language (the
   * person's own choice, when they made one).
   */
  get settings(): Settings {
    const language = this.ownLanguage ?? this.settingsValue.language
    const shown = this.shown?.value
    if (
      this.shown?.from !== this.settingsValue ||
      shown?.currentUser !== this.session.name ||
      shown.language !== language
    ) {
      this.shown = {
        from: this.settingsValue,
        value: { ...this.settingsValue, currentUser: this.session.name, language },
      }
    }
    return this.shown.value
  }

  /** Keeps the signed-in person's language with their person record: any role may choose their own. */
  setOwnLanguage(language: Settings['language']): Promise<void> {
    if (this.isReadOnly) {
      return Promise.reject(
        new AppError('read_only', 'The team database was opened read-only', { reason: 'store.read_only' }),
      )
    }
    return this.serial(async () => {
      this.refuseWhileUnreachable()
      await this.client.query('select makegood_set_my_language($1)', [language])
      this.ownLanguage = language
      for (const listener of this.listeners) listener(['settings'])
    }).catch((error: unknown) => Promise.reject(error instanceof AppError ? error : databaseError(this.url, error)))
  }

  /** As the data folder's `get`: a record of a month left in the desk's files brings its month in. */
  get<K extends CollectionName>(collection: K, id: string): Collections[K] | undefined {
    return this.cold.get(this.records.get(collection), collection, id) as Collections[K] | undefined
  }

  /** The record, read from its line when its month is in the desk's files, without bringing the month in. */
  peek<K extends CollectionName>(collection: K, id: string): Collections[K] | undefined {
    return this.cold.peekPast(this.records.get(collection), collection, id) as Collections[K] | undefined
  }

  getInMemory<K extends CollectionName>(collection: K, id: string): Collections[K] | undefined {
    return this.records.get(collection)?.get(id) as Collections[K] | undefined
  }

  /** Every record of a kind: those in memory, then those of months in the desk's files, read but not kept. */
  all<K extends CollectionName>(collection: K): Generator<Collections[K]> {
    return this.cold.allOf(this.records.get(collection)!, collection) as Generator<Collections[K]>
  }

  allInMemory<K extends CollectionName>(collection: K): IterableIterator<Collections[K]> {
    return (this.records.get(collection) as Map<string, Collections[K]>).values()
  }

  /** As the data folder's `allFrom`: the records of months from `from` on, and those of no month. */
  allFrom<K extends CollectionName>(collection: K, from: string): Generator<Collections[K]> {
    return this.cold.allFrom(this.records.get(collection)!, collection, from) as Generator<Collections[K]>
  }

  /** The lists of a kind in the desk's files, newest month first (read with readColdList / readColdRecord). */
  listsOnDisk(collection: CollectionName): readonly ColdList[] {
    return this.cold.listsOf(collection)
  }

  count(collection: CollectionName): number {
    return (this.records.get(collection)?.size ?? 0) + this.cold.countOf(collection)
  }

  revision(collection: CollectionName): number {
    return this.revisions.get(collection) ?? 0
  }

  /** Rows that failed validation on load: reported, never silently dropped. */
  get problems(): readonly StorageProblem[] {
    return this.found
  }

  get newProblems(): readonly StorageProblem[] {
    return this.found
  }

  refreshProblems(): Promise<readonly StorageProblem[]> {
    return Promise.resolve(this.found)
  }

  dismissProblem(id: string): Promise<void> {
    return Promise.reject(
      new AppError('not_found', `No open storage problem ${id}`, {
        reason: 'storage.problem_not_found',
        params: { id },
      }),
    )
  }

  get isFullyLoaded(): boolean {
    return this.isLoaded
  }

  whenFullyLoaded(): Promise<void> {
    return this.isLoaded ? Promise.resolve() : this.loaded.promise
  }

  private markLoaded(): void {
    this.loadingStrings.clear()
    if (this.isLoaded) return
    this.isLoaded = true
    this.loaded.resolve()
  }

  /** Follows every record change in memory (the incremental sweep's indexes); returns the stop. */
  watch(watcher: RecordWatcher): () => void {
    this.watchers.add(watcher)
    return () => this.watchers.delete(watcher)
  }

  /** Called with the kinds another desk changed, once they are in memory (live screens refresh on it). */
  onChange(listener: (collections: string[]) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * Applies whole records in memory at once (reads right after see them, as with the folder) and
   * writes them in one transaction. If the write fails, memory is put back and the error thrown:
   * `conflict` when another desk changed a record first (its current copy is then loaded).
   */
  commit(changes: Change[]): Promise<void> {
    try {
      if (this.isReadOnly) {
        throw new AppError('read_only', 'The team database was opened read-only', { reason: 'store.read_only' })
      }
      if (this.isClosed) throw new AppError('storage', 'The store is closed', { reason: 'store.closed' })
      this.refuseWhileUnreachable()
      const parsed = changes.map((change) => {
        if ('removed' in change) {
          if (!kindOf(change.collection)) this.parseRecord(change.collection, undefined)
          return { collection: change.collection as string, value: { id: change.removed }, isRemoval: true }
        }
        return change.collection === 'settings'
          ? {
              collection: settingsId,
              // Each desk shows its own person as "Working as" and their own language; the shared
              // row keeps what it had.
              value: {
                ...parseUnknown(Settings, change.value),
                currentUser: this.settingsValue.currentUser,
                language: this.settingsValue.language,
                id: settingsId,
              } as AnyRecord,
            }
          : { collection: change.collection as string, value: this.parseRecord(change.collection, change.value) }
      })
      // Every version and copy read before anything is placed: one in the files a lazy open is
      // writing is read from its line, which can fail (nothing is changed then).
      const based = this.basedOn(parsed)
      const writes: Write[] = []
      for (const [index, { collection, value, isRemoval }] of parsed.entries()) {
        const { expected, before } = based[index]!
        const key = `${collection}/${value.id}`
        const w: Write = {
          collection,
          value,
          expected,
          before,
          isRemoval,
          basedOn: this.pending.get(key),
          isFailed: false,
          key,
        }
        this.pending.set(key, w)
        writes.push(w)
        if (isRemoval) this.place(collection, value.id, undefined, undefined, { isOwn: true })
        else this.place(collection, value.id, value, (expected ?? 0) + 1, { isOwn: true })
      }
      const settle = () => {
        for (const w of writes) if (this.pending.get(w.key) === w) this.pending.delete(w.key)
      }
      return this.serial(() => this.write(writes)).then(settle, async (error: unknown) => {
        for (const w of writes) w.isFailed = true
        settle()
        // Put back only what is still this commit's copy: a later change made on top of it has
        // failed too (basedOn), and the stored rows are read again below.
        for (const w of [...writes].reverse()) {
          const now = this.current(w.collection, w.value.id)
          if (w.collection === settingsId || (w.isRemoval ? now === undefined : now === w.value)) {
            // Back to the copy before the first refused write of the chain, not a refused one.
            let base = w
            while (base.basedOn?.isFailed) base = base.basedOn
            this.place(w.collection, w.value.id, base.before, base.expected, { isOwn: true })
          }
        }
        const failure = databaseError(this.url, error)
        // The retry (or the person) must see what the other desk wrote.
        if (failure.code === 'conflict') {
          const isAllCases = failure.reason === 'store.case_number_taken'
          await this.serial(() => this.reload(writes, { isAllCases, isForced: true })).catch(() => undefined)
        }
        throw failure.reason === 'store.stale_version' ? this.withWhoChanged(failure) : failure
      })
    } catch (error) {
      return Promise.reject(error)
    }
  }

  /**
   * A conflict names who made the change this desk had not seen (the newest entry of the
   * current record's timeline or history) and the version now stored, so the person is told.
   */
  private withWhoChanged(failure: AppError): AppError {
    const collection = String(failure.params?.collection ?? '')
    const id = String(failure.params?.id ?? '')
    const current = collection === settingsId ? undefined : this.records.get(collection)?.get(id)
    const entries = (current as { timeline?: { by?: string }[]; history?: { by?: string }[] } | undefined) ?? {}
    const by = (entries.timeline ?? entries.history ?? []).at(-1)?.by
    const version = this.knownVersion(collection, id)
    return new AppError('conflict', failure.message, {
      reason: 'store.stale_version',
      params: {
        ...failure.params,
        ...(by ? { by } : {}),
        ...(version !== undefined ? { version } : {}),
      },
    })
  }

  private parseRecord(collection: string, value: unknown): AnyRecord {
    const kind = kindOf(collection)
    if (!kind)
      throw new AppError('invalid_input', `Unknown record kind ${collection}`, { reason: 'store.unknown_kind' })
    return parseRecordOf(kind, value)
  }

  private current(collection: string, id: string): AnyRecord | undefined {
    if (collection === settingsId)
      return this.versions.get(settingsId)!.has(settingsId) ? { ...this.settingsValue, id } : undefined
    // A record of a month in the desk's files comes in: the copy a failed write puts back. One in
    // the files a lazy open is writing is read from its line.
    return this.get(collection as CollectionName, id) ?? this.deskMonths?.recordOf(collection, id)
  }

  /**
   * The stored version and the copy each change of a commit replaces. If the files a lazy open is
   * writing cannot be read, the commit is refused and the files are dropped (their rows read again).
   */
  private basedOn(
    changes: readonly { collection: string; value: { id: string } }[],
  ): { expected: number | undefined; before: AnyRecord | undefined }[] {
    try {
      return changes.map(({ collection, value }) => ({
        expected: this.knownVersion(collection, value.id),
        before: this.current(collection, value.id),
      }))
    } catch (error) {
      if (this.deskMonths?.unreadable) void this.serial(() => this.dropMonthFiles(error)).catch(() => undefined)
      throw error
    }
  }

  /** Sets a record and its stored version in memory (`undefined`: removes it). */
  private place(
    collection: string,
    id: string,
    value: AnyRecord | undefined,
    version: number | undefined,
    { isFirstRead = false, isOwn = false }: Placing = {},
  ): void {
    if (collection === settingsId) {
      const versions = this.versions.get(collection)!
      if (version === undefined) versions.delete(id)
      else versions.set(id, version)
      if (value) {
        const { id: _id, ...settings } = value as AnyRecord & Settings
        this.settingsValue = settings as Settings
      }
      return
    }
    // A record of a month in the desk's files: the month comes in first (its copy is `before`);
    // so does a month a record is added to, so no month is partly in memory and partly on disk.
    // (Before the version is set: the month's versions come in with it.)
    const wasInMemory = this.records.get(collection)!.has(id)
    if (!wasInMemory) this.cold.takeId(collection, id)
    // A row a lazy open may already have written to the desk's files, changed or removed: that line is stale.
    if (!wasInMemory && !isFirstRead && this.deskMonths?.isWriting && kindsLeftOnDisk.includes(collection))
      this.deskMonths.touch(collection, id)
    if (value && kindsLeftOnDisk.includes(collection)) {
      const month = shardOf(collection, value)
      this.cold.take(collection, month)
      this.placedWhileLoading.add(`${collection}/${month}`)
    }
    if (!isFirstRead) this.changesPlaced++
    this.setInMemory(collection, id, value, !isOwn)
    this.setVersion(collection, id, value, version)
  }

  /**
   * A record's stored version, kept only when it is not 1 or the record is not in memory: most
   * records are never changed, and a record held in memory without one is at version 1
   * (knownVersion). ~30 MB less at 100k cases than a number for each.
   */
  private setVersion(collection: string, id: string, value: AnyRecord | undefined, version: number | undefined): void {
    const versions = this.versions.get(collection)!
    if (version === undefined || (version === 1 && value !== undefined)) versions.delete(id)
    else versions.set(id, version)
  }

  /** The stored version of a record this desk holds, in memory or in its files (those being written too). */
  private knownVersion(collection: string, id: string): number | undefined {
    return this.heldVersion(collection, id) ?? this.deskMonths?.versionOf(collection, id)
  }

  /** As knownVersion, but for the files a lazy open is still writing. */
  private heldVersion(collection: string, id: string): number | undefined {
    const known = this.versions.get(collection)?.get(id)
    if (known !== undefined) return known
    if (this.records.get(collection)?.has(id)) return 1
    if (!this.cold.hasAny(collection)) return undefined
    const found = this.cold.locate(collection, id)
    return found?.list.versions?.[found.line]
  }

  /** Sets a record in memory and tells the watchers (its version is set by the caller). */
  private setInMemory(collection: string, id: string, value: AnyRecord | undefined, isElsewhere: boolean): void {
    const map = this.records.get(collection)!
    const before = map.get(id)
    this.bumpRevision(collection)
    if (value) map.set(id, value)
    else map.delete(id)
    for (const watcher of this.watchers) watcher.onPut(collection, before, value, isElsewhere)
  }

  private bumpRevision(collection: string): void {
    this.revisions.set(collection, (this.revisions.get(collection) ?? 0) + 1)
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work)
    this.queue = next.catch(() => undefined)
    return next
  }

  private async transaction(work: () => Promise<void>): Promise<void> {
    await this.client.query('begin')
    try {
      await work()
      await this.client.query('commit')
    } catch (error) {
      await this.client.query('rollback').catch(() => undefined)
      throw error
    }
  }

  private async write(writes: Write[]): Promise<void> {
    const only = writes.length === 1 ? writes[0]! : undefined
    // One record added or changed (a save): one statement, which is its own transaction, writes
    // it and tells the others, instead of four round trips.
    if (only && !only.isRemoval && only.collection !== settingsId && !only.basedOn?.isFailed) {
      const month = this.monthOf(only)
      const payload = this.noticeOf(writes)
      const result = await this.rejectingTakenNumber(only, () =>
        only.expected === undefined
          ? this.client.query(
              `with w as (insert into ${only.collection} (id, month, version, record) values ($1, $2, 1, $3)
               on conflict (id) do nothing returning id) select pg_notify($4, $5) from w`,
              [only.value.id, month, only.value, changesChannel, payload],
            )
          : this.client.query(
              `with w as (update ${only.collection} set record = $3, month = $2, version = version + 1
               where id = $1 and version = $4 returning id) select pg_notify($5, $6) from w`,
              [only.value.id, month, only.value, only.expected, changesChannel, payload],
            ),
      )
      if (result.rowCount === 0) throw staleVersion(only)
      return
    }
    await this.transaction(async () => {
      const batched = this.writeBatched(writes)
      for (const w of writes) {
        if (batched.has(w)) {
          if (!(await batched.get(w))) throw staleVersion(w)
          continue
        }
        // Made from a copy whose own write was refused: its version number may now name another
        // desk's change, which this write must not overwrite.
        if (w.basedOn?.isFailed) {
          throw new AppError('conflict', 'This record was changed at another desk; reload it and try again', {
            reason: 'store.stale_version',
            params: { collection: w.collection, id: w.value.id },
          })
        }
        const { id: _id, ...settings } = w.value
        const record = w.collection === settingsId ? settings : w.value
        const month = this.monthOf(w)
        const result = await this.rejectingTakenNumber(w, () =>
          w.isRemoval
            ? // Removing what is already gone changes nothing: only a newer version than ours is a conflict.
              this.client.query(`delete from ${w.collection} where id = $1 and ($2::int is null or version = $2)`, [
                w.value.id,
                w.expected ?? null,
              ])
            : w.collection === settingsId
              ? w.expected === undefined
                ? this.client.query(
                    `insert into ${settingsTable} (id, version, record) values (1, 1, $1) on conflict (id) do nothing`,
                    [record],
                  )
                : this.client.query(
                    `update ${settingsTable} set record = $1, version = version + 1 where id = 1 and version = $2`,
                    [record, w.expected],
                  )
              : w.expected === undefined
                ? this.client.query(
                    `insert into ${w.collection} (id, month, version, record) values ($1, $2, 1, $3) on conflict (id) do nothing`,
                    [w.value.id, month, record],
                  )
                : this.client.query(
                    `update ${w.collection} set record = $3, month = $2, version = version + 1 where id = $1 and version = $4`,
                    [w.value.id, month, record, w.expected],
                  ),
        )
        if (result.rowCount === 0 && !(w.isRemoval && w.expected === undefined)) throw staleVersion(w)
      }
      await this.client.query(`select pg_notify($1, $2)`, [changesChannel, this.noticeOf(writes)])
    })
  }

  /**
   * Many records of one kind in a commit (a sweep raising hundreds of escalations, a merge): one
   * statement for the added ones and one for the changed ones, not a round trip per record.
   * Answers, per write it took, whether the stored row was written. Cases keep their own
   * statements (a taken case number names its case); a record named twice, removals and the
   * settings too.
   */
  private writeBatched(writes: Write[]): Map<Write, Promise<boolean>> {
    const answers = new Map<Write, Promise<boolean>>()
    const keys = new Set(writes.map((w) => w.key))
    if (writes.length < batchFrom || keys.size !== writes.length) return answers
    const groups = new Map<string, Write[]>()
    for (const w of writes) {
      if (w.isRemoval || w.collection === settingsId || w.collection === 'cases' || w.basedOn) continue
      const group = `${w.collection}/${w.expected === undefined ? 'insert' : 'update'}`
      const list = groups.get(group)
      // Pushed, not spread into a new list per write: a full sweep may write thousands.
      if (list) list.push(w)
      else groups.set(group, [w])
    }
    for (const list of groups.values()) {
      if (list.length < batchFrom) continue
      const { collection } = list[0]!
      const isInsert = list[0]!.expected === undefined
      const params = [
        list.map((w) => w.value.id),
        list.map((w) => this.monthOf(w)),
        list.map((w) => JSON.stringify(w.value)),
        ...(isInsert ? [] : [list.map((w) => w.expected!)]),
      ]
      // Queued on this connection in order: the transaction's statements run one after another.
      const written = this.client
        .query<{ id: string }>(
          isInsert
            ? `insert into ${collection} (id, month, version, record)
               select id, month, 1, record from unnest($1::text[], $2::text[], $3::jsonb[]) as t(id, month, record)
               on conflict (id) do nothing returning id`
            : `update ${collection} as s set record = t.record, month = t.month, version = s.version + 1
               from unnest($1::text[], $2::text[], $3::jsonb[], $4::int[]) as t(id, month, record, expected)
               where s.id = t.id and s.version = t.expected returning s.id`,
          params,
        )
        .then((result) => new Set(result.rows.map((row) => row.id)))
      for (const w of list) {
        const answer = written.then((ids) => ids.has(w.value.id))
        // Awaited in the commit's order; one never awaited (an earlier write was refused) must
        // not count as an unhandled failure.
        answer.catch(() => undefined)
        answers.set(w, answer)
      }
    }
    return answers
  }

  private monthOf(w: Write): string | null {
    if (w.isRemoval) return null
    const monthOf = kindOf(w.collection)?.monthOf as ((r: AnyRecord) => string) | undefined
    return monthOf?.(w.value) ?? null
  }

  /** A case number another desk took first is a conflict of its own (the case is numbered again). */
  private async rejectingTakenNumber<T>(w: Write, query: () => Promise<T>): Promise<T> {
    try {
      return await query()
    } catch (error) {
      if (error instanceof DatabaseError && error.code === '23505' && error.constraint === 'cases_number') {
        throw new AppError(
          'conflict',
          `Case number ${(w.value as { number?: string }).number} was just taken at another desk`,
          {
            reason: 'store.case_number_taken',
            params: { collection: w.collection, id: w.value.id },
          },
        )
      }
      throw error
    }
  }

  /** The notice of these writes, as large as a notice may be (see Notice). */
  private noticeOf(writes: Write[]): string {
    const changes = writes.map((w): [string, string] => [w.collection, w.value.id])
    const rows = writes
      .filter((w) => !w.isRemoval && w.collection !== settingsId)
      .map((w): [string, string, number, unknown] => [w.collection, w.value.id, (w.expected ?? 0) + 1, w.value])
    const withRows = JSON.stringify({ desk: this.desk, changes, rows } satisfies Notice)
    if (withRows.length <= maxPayload) return withRows
    const withIds = JSON.stringify({ desk: this.desk, changes } satisfies Notice)
    if (withIds.length <= maxPayload) return withIds
    // `all` too: a desk of an earlier version reads everything again.
    const kinds = [...new Set(writes.map((w) => w.collection))]
    return JSON.stringify({ desk: this.desk, all: true, kinds } satisfies Notice)
  }

  /** Tells the other desks to read everything again (a restore, an import). */
  private async notifyAll(): Promise<void> {
    await this.client.query(`select pg_notify($1, $2)`, [
      changesChannel,
      JSON.stringify({ desk: this.desk, all: true }),
    ])
  }

  private onNotice(payload: string | undefined): void {
    let notice: Notice
    try {
      notice = JSON.parse(payload ?? '') as Notice
    } catch {
      return logger.warn('db.notice_unreadable', payload)
    }
    if (notice.desk === this.desk || this.isClosed) return
    const work = notice.people
      ? () => this.loadSession()
      : notice.kinds
        ? () => this.catchUp(notice.kinds ?? [])
        : notice.all
          ? () => this.loadAll()
          : () => this.applyNotice(notice)
    void this.serial(async () => {
      try {
        await work()
      } catch (error) {
        // The files a lazy open is writing could not be read (removed under it): dropped, their
        // rows read again, and the notice applied then.
        if (!this.deskMonths?.unreadable) throw error
        await this.dropMonthFiles(error)
        await work()
      }
    })
      .then(() => {
        const kinds = notice.people
          ? ['settings']
          : notice.kinds
            ? notice.kinds
            : notice.all
              ? names
              : [...new Set((notice.changes ?? []).map(([kind]) => kind))]
        for (const listener of this.listeners) listener(kinds)
      })
      .catch((error: unknown) => logger.error('db.reload_failed', error))
  }

  /** Places the records the notice carries; reads the others it names. */
  private async applyNotice(notice: Notice): Promise<void> {
    const carried = new Set<string>()
    for (const [collection, id, version, record] of notice.rows ?? []) {
      if (!kindOf(collection)) continue
      carried.add(`${collection}/${id}`)
      const known = this.knownVersion(collection, id)
      if (known === undefined || version > known) this.placeRow(collection, { id, version, record })
    }
    const rest = (notice.changes ?? []).filter(([collection, id]) => !carried.has(`${collection}/${id}`))
    if (rest.length > 0) await this.reload(rest.map(([collection, id]) => ({ collection, value: { id } })))
  }

  /** Reads the stored copies of these records; a newer one replaces the one in memory. */
  private async reload(
    which: { collection: string; value: { id: string } }[],
    options: { isAllCases?: boolean; isForced?: boolean } = {},
  ): Promise<void> {
    const byKind = new Map<string, string[]>()
    for (const { collection, value } of which) byKind.set(collection, [...(byKind.get(collection) ?? []), value.id])
    for (const [collection, ids] of byKind) {
      if (collection === settingsId) {
        await this.loadSettings()
        continue
      }
      if (!kindOf(collection)) continue
      // A refused case number means other cases exist this desk has not seen: read them all.
      // (Only then: reading every case on each notice made every save cost all desks a full read.)
      const isAllCases = collection === 'cases' && options.isAllCases
      const rows = await this.client.query<StoredRow>(
        isAllCases ? `select ${rowColumns} from cases` : `select ${rowColumns} from ${collection} where id = any($1)`,
        isAllCases ? [] : [ids],
      )
      await this.placeRows(
        collection,
        rows.rows.filter((row) => {
          const known = this.knownVersion(collection, row.id)
          return known === undefined || row.version > known || options.isForced
        }),
      )
      // A record another desk removed (Trash, a purge) is gone from this desk too. Only the ids
      // named: a case this desk is still writing is in memory and not yet in the table.
      const found = new Set(rows.rows.map((row) => row.id))
      for (const id of ids) {
        // (A row still on its way to the desk's files has only its version here.)
        if (!found.has(id) && this.knownVersion(collection, id) !== undefined)
          this.place(collection, id, undefined, undefined)
      }
    }
  }

  /**
   * Places rows read from a table (see placeRow), then stamps those that were not stamped but
   * are exactly what the schemas make of them, so the next open takes them as they are. Only
   * the row version read is stamped (`xmin`): a row changed meanwhile keeps no stamp.
   */
  private async placeRows(collection: string, rows: readonly StoredRow[], options: Placing = {}): Promise<void> {
    const toStamp = rows.filter((row) => this.placeRow(collection, row, options))
    if (toStamp.length === 0 || this.isReadOnly) return
    await this.client
      .query(
        // Rows another session holds are left for a later open: waiting for them would hold up
        // this desk (and, taking locks in another order than a commit, could deadlock with it).
        `update ${collection} as s set checked = $3 from unnest($1::text[], $2::text[]) as t(id, xid)
          where s.id = t.id and s.xmin::text = t.xid
            and s.id in (select id from ${collection} where id = any($1) for update skip locked)`,
        [toStamp.map((row) => row.id), toStamp.map((row) => row.xid), schemaFingerprint],
      )
      // Not stamped (an agent may not update the Trash): the next open checks these rows again.
      .catch((error: unknown) =>
        logger.info('db.stamp_skipped', error instanceof Error ? error.message : String(error)),
      )
  }

  /**
   * Puts a stored row in memory, checked against its schema unless a desk with these very schemas
   * wrote it (stamped by the trigger of team migration 8; anything else writing it clears the
   * stamp). At 100k cases checking every row was most of the CPU of opening the team database.
   * Answers whether the row was valid, unstamped and the same as what the schema made of it.
   */
  private placeRow(collection: string, row: StoredRow, options: Placing = {}): boolean {
    const takeTrusted = kindOf(collection)!.takeTrusted
    if (row.checked === schemaFingerprint) {
      this.place(collection, idOf(row, row.record as AnyRecord), row.record as AnyRecord, row.version, options)
      takeTrusted?.([row.record as never])
      return false
    }
    const parsed = kindOf(collection)!.schema.safeParse(row.record)
    if (!parsed.success) {
      const message = parsed.error.issues[0]?.message ?? 'not valid'
      this.found.push({
        file: `${collection}/${row.id}`,
        message: `A stored ${collection} record is not valid: ${message}`,
      })
      return false
    }
    this.place(collection, idOf(row, parsed.data), parsed.data, row.version, options)
    takeTrusted?.([parsed.data as never])
    // A default filled in or a text trimmed: taken as it is, the row would differ from this copy.
    return row.xid !== undefined && isDeepStrictEqual(parsed.data, row.record)
  }

  /** Who this login is, what their role lets them do and their language: on open, and when people change. */
  private async loadSession(client: Client = this.client): Promise<void> {
    this.session = await sessionOf(client)
    this.ownLanguage = await ownLanguageOf(client)
  }

  private async loadSettings(): Promise<void> {
    const rows = await this.client.query<{ version: number; record: unknown }>(
      `select version, record from ${settingsTable} where id = 1`,
    )
    const row = rows.rows[0]
    // The same version: the settings object is kept (the sweep's index is keyed by its identity).
    if (!row || this.versions.get(settingsId)!.get(settingsId) === row.version) return
    const parsed = Settings.safeParse(row.record)
    if (!parsed.success) {
      this.found.push({
        file: 'settings',
        message: `The stored settings are not valid: ${parsed.error.issues[0]?.message}`,
      })
      return
    }
    this.place(settingsId, settingsId, { ...parsed.data, id: settingsId } as AnyRecord, row.version)
  }

  /**
   * A lazy open: the settings, the kinds without a month and the two newest months now (but for
   * their grumbles and churn signals); those and the older months in the background, a few
   * thousand rows per round trip, so saves and other desks' notices are served in between. A row
   * read late never replaces a newer copy this desk already holds (a notice, its own write).
   */
  private async loadRecent(): Promise<void> {
    await this.loadSettings()
    const monthKinds = names.filter((name) => kindOf(name)?.monthOf)
    // The two newest months of any kind, each kind's read backwards on its month index.
    const newest = await this.client.query<{ month: string }>(
      monthKinds
        .map((kind) => `(select distinct month from ${kind} where month is not null order by month desc limit 2)`)
        .join(' union '),
    )
    const months = newest.rows
      .map((row) => row.month)
      .sort()
      .reverse()
    const from = months[Math.min(1, months.length - 1)]
    // As the data folder does: Today and the first pages need the newest months' cases and
    // promises, not their grumbles and churn signals (the most numerous rows), which are read
    // with the older months once the open has answered. So are the escalations, which no screen
    // shows before the whole history is in (the bench's ~15,000 open ones at 100k cases, 13 MB:
    // ~170 ms of the open).
    const isReadLater = (kind: string) => from !== undefined && readAfterOpen.includes(kind)
    // (The old months' promises too: read after the open as the other kinds' old months, then to the files.)
    const isToFiles = (kind: string) => from !== undefined && kindsLeftOnDisk.includes(kind)
    // The rows read now hold each short value once only after the open has answered, as in the
    // data folder: sharing them first took ~70 ms of the ~480 before Today at 100k cases. (A row
    // not stamped is shared first: memory holds the copy its schema makes of it. Sharing changes
    // records in place, so no kind shared later may freeze what it holds: the escalations, which
    // do, are read later; a database with no month at all, too small to matter, is not shared.)
    const sharedLater: StoredRow[][] = []
    for (const collection of names) {
      if (isReadLater(collection)) continue
      const isMonthly = monthKinds.includes(collection) && from !== undefined
      const rows = await this.client.query<StoredRow>(
        isMonthly
          ? `select ${rowColumns} from ${collection} where month >= $1 or month is null`
          : `select ${rowColumns} from ${collection}`,
        isMonthly ? [from] : [],
      )
      this.loadingStrings.share(rows.rows.filter((row) => row.checked !== schemaFingerprint))
      sharedLater.push(rows.rows)
      await this.placeRows(collection, rows.rows)
    }
    // The older months in the background, a few thousand rows of one kind per round trip in the
    // primary key's order (each read walks the index and stops after its rows: no scan or sort
    // of the whole table holds the connection), with this desk's saves and the others' notices
    // served in between.
    if (from === undefined) return this.loadingStrings.clear()
    // (Each kind a turn later: the calls waiting for the open, such as Today's, go first.)
    const shareOpened = async () => {
      for (const rows of sharedLater.splice(0)) {
        await nextTurn()
        await this.serial(async () => this.loadingStrings.share(rows))
      }
    }
    const older = await this.client.query<{ kind: string }>(
      monthKinds
        .map((kind) => `select '${kind}' as kind where exists (select 1 from ${kind} where month < $1)`)
        .join(' union all '),
      [from],
    )
    const kinds = monthKinds.filter((kind) => isReadLater(kind) || older.rows.some((row) => row.kind === kind))
    if (kinds.length === 0) return this.loadingStrings.clear()
    this.isLoaded = false
    void (async () => {
      await shareOpened()
      if (this.isClosed) return
      // The months before the seventh newest stay in the desk's files.
      await this.serial(async () => {
        this.coldBefore = await this.newestMonths(monthKinds, monthsInMemory).then((found) => found[monthsInMemory - 1])
      })
      // A read is placed while the next is on its way: two buffers, taken in turn.
      const stagings: Staging[] = [{ buffer: Buffer.alloc(0) }, { buffer: Buffer.alloc(0) }]
      let reads = 0
      for (const kind of kinds) {
        const readAfter = (after: string) => {
          const rows = copyRows(
            this.client,
            `select ${copiedColumns} from ${kind} where id > ${this.client.escapeLiteral(after)}` +
              (isReadLater(kind) ? '' : ` and month < ${this.client.escapeLiteral(from)}`) +
              ` order by id limit ${rowsPerRead}`,
            schemaFingerprint,
            stagings[reads++ % stagings.length],
          )
          // (Answered when awaited; one left behind by a load that stopped is not an error.)
          rows.catch(() => undefined)
          return { after, changesPlaced: this.changesPlaced, rows }
        }
        let next: ReturnType<typeof readAfter> | undefined
        for (let isDone = false; !isDone;) {
          if (this.isLoaded || this.isClosed) return
          await this.serial(async () => {
            // A kind read later: all its rows, the newest months' too; for one whose old months
            // go to the desk's files, their JSON bytes are written there as they are.
            let read = next ?? readAfter('')
            let rows = await read.rows
            // (Everything read again meanwhile, or a reconnect's catch-up completed the load.)
            if (this.isLoaded || this.isClosed) return
            if (read.changesPlaced !== this.changesPlaced) {
              read = readAfter(read.after)
              rows = await read.rows
            }
            isDone = rows.length < rowsPerRead
            // The database makes the next rows while this desk places these.
            next = isDone ? undefined : readAfter(rows.at(-1)!.id)
            // (Most reads have no write of this desk on the way: no key made for each row then.)
            const isPending = this.pending.size === 0 ? () => false : (id: string) => this.pending.has(`${kind}/${id}`)
            // (Not the files being written: each row is read once, so none of these is there yet.)
            const newer = rows.filter((row) => {
              const known = this.heldVersion(kind, row.id)
              return !isPending(row.id) && (known === undefined || known < row.version)
            })
            let toPlace: StoredRow[] = []
            if (isToFiles(kind)) {
              try {
                toPlace = this.leaveOldMonths(kind, newer)
              } catch (error) {
                // The rows of this read are among those read again.
                await this.dropMonthFiles(error)
              }
            } else toPlace = newer.map(parsedRow)
            this.loadingStrings.share(toPlace)
            await this.placeRows(kind, toPlace, { isFirstRead: true })
          })
          // Lets the answers and notices waiting behind this read go first.
          await nextTurn()
        }
      }
      await this.serial(() => this.finishOldMonths())
      this.markLoaded()
    })().catch((error: unknown) => {
      // A lost connection: reconnecting compares every kind with the table and completes the load.
      logger.warn('db.load_failed', error instanceof Error ? error.message : String(error))
    })
  }

  /**
   * The `count` newest months of any of these kinds, newest first: each kind's found by stepping
   * down its month index one month at a time (`distinct … limit` would read every row of them).
   */
  private async newestMonths(kinds: readonly string[], count: number): Promise<string[]> {
    const months = new Set<string>()
    for (const kind of kinds) {
      const found = await this.client.query<{ month: string }>(
        `with recursive newest (month, n) as (
           (select month, 1 from ${kind} where month is not null order by month desc limit 1)
           union all
           select (select month from ${kind} where month < newest.month order by month desc limit 1), n + 1
             from newest where n < $1 and newest.month is not null)
         select month from newest where month is not null`,
        [count],
      )
      for (const row of found.rows) months.add(row.month)
    }
    return [...months].sort().reverse().slice(0, count)
  }

  /**
   * Rows of a kind read later: those of months older than the newest seven are written to the
   * desk's files as the database gave them (checked first unless stamped, as placeRow does);
   * the others are answered parsed, to be placed in memory.
   */
  private leaveOldMonths(kind: string, rows: readonly CopiedRow[]): StoredRow[] {
    const toPlace: StoredRow[] = []
    const coldBefore = this.coldBefore
    for (const row of rows) {
      const { month } = row
      // Kept in memory instead: a row already there (a notice came first), replaced there with its
      // month read in whole; a row not stamped, checked (and stamped when exactly what the schema
      // makes of it) in memory, its month then coming whole (takeOldMonths); all rows when no
      // folder can be made for the files.
      const isOld = coldBefore !== undefined && month !== null && month < coldBefore && isMonthName(month)
      const files =
        isOld && row.checked === schemaFingerprint && !this.records.get(kind)!.has(row.id)
          ? this.monthFiles()
          : undefined
      if (files) {
        files.add(kind, month!, row.id, row.version, row)
      } else toPlace.push(parsedRow(row))
    }
    this.deskMonths?.flush()
    return toPlace
  }

  /** The desk's files of old months; none if their folder cannot be made (everything then stays in memory). */
  private monthFiles(): DeskMonths | undefined {
    if (this.deskMonths || this.coldBefore === undefined) return this.deskMonths
    try {
      this.deskMonths = DeskMonths.create(this.monthsFolder)
    } catch (error) {
      logger.warn('db.months_folder_failed', error instanceof Error ? error.message : String(error))
      this.coldBefore = undefined
    }
    return this.deskMonths
  }

  /**
   * Once every old month is read (or, after a reconnect, compared with the table): the lists are
   * left in the desk's files (takeOldMonths). If the files fail (a full disk), they are dropped
   * and their rows read again into memory.
   */
  private async finishOldMonths(): Promise<void> {
    try {
      this.takeOldMonths()
    } catch (error) {
      await this.dropMonthFiles(error)
    }
  }

  /**
   * Each list written is left in the desk's files, unless a row of it changed or was removed
   * meanwhile (another desk's notice, this desk's save) or its month was given a record in
   * memory; that month is then read into memory whole, so none is partly in both.
   */
  private takeOldMonths(): void {
    this.coldBefore = undefined
    const { lists, touched } = this.deskMonths?.finish() ?? { lists: [], touched: new Map<string, Set<string>>() }
    for (const list of lists) {
      const changed = touched.get(list.kind) ?? new Set<string>()
      const inMemory = this.records.get(list.kind)!
      const hasStaleLine = [...changed].some((id) => lineOf(list, id) !== undefined)
      if (!hasStaleLine && !this.placedWhileLoading.has(`${list.kind}/${list.month}`)) {
        this.cold.leave(list)
        // What a service worked out from the kind without this month is stale.
        this.bumpRevision(list.kind)
        continue
      }
      // A row changed or removed meanwhile is already as it now is in memory: the others join it.
      // (A row in memory came from a notice or a save after its line was written: that copy wins.)
      readColdList(list).forEach((record, line) => {
        if (changed.has(record.id) || inMemory.has(record.id)) return
        this.setInMemory(list.kind, record.id, record, false)
        this.setVersion(list.kind, record.id, record, list.versions![line])
      })
    }
    this.placedWhileLoading.clear()
  }

  /**
   * The desk's files failed: every list goes, and the rows they held (those of the kinds whose
   * version is known but which are not in memory) are read again into memory.
   */
  private async dropMonthFiles(error: unknown): Promise<void> {
    logger.error('db.month_files_failed', error)
    const files = this.dropColdLists()
    for (const kind of kindsLeftOnDisk) {
      const inMemory = this.records.get(kind)!
      const versions = this.versions.get(kind)!
      for (const id of [...versions.keys()]) if (!inMemory.has(id)) versions.delete(id)
    }
    await this.catchUp(kindsLeftOnDisk)
    this.removeMonthFiles(files)
  }

  /**
   * Every list in the desk's files, and every list being written, dropped: what was worked out
   * from them is stale at once. Answers the files, to be removed once nothing reads them.
   */
  private dropColdLists(): DeskMonths | undefined {
    const files = this.deskMonths
    this.deskMonths = undefined
    this.coldBefore = undefined
    this.cold.forget()
    this.placedWhileLoading.clear()
    for (const kind of kindsLeftOnDisk) this.bumpRevision(kind)
    return files
  }

  private async loadAll(): Promise<void> {
    await this.loadSettings()
    // Read again whole, into memory: the files go once all is read (a reader may be in one).
    const files = this.dropColdLists()
    // Each kind is cleared and read again without telling watchers of each record: the indexes
    // built on the old contents stop following now, and start over once everything is in.
    for (const watcher of this.watchers) watcher.onReset()
    for (const collection of names) {
      const rows = await this.client.query<StoredRow>(`select ${rowColumns} from ${collection}`)
      this.records.get(collection)!.clear()
      this.versions.get(collection)!.clear()
      this.bumpRevision(collection)
      this.loadingStrings.share(rows.rows)
      await this.placeRows(collection, rows.rows)
    }
    this.markLoaded()
    // Everything was read again: indexes built on the old contents start over.
    for (const watcher of this.watchers) watcher.onReset()
    this.removeMonthFiles(files)
  }

  private removeMonthFiles(files: DeskMonths | undefined): void {
    try {
      files?.remove()
    } catch (error) {
      logger.warn('db.month_files_left', error instanceof Error ? error.message : String(error))
    }
  }

  /** Every record as of now, each kind sorted by id (the same shape the folder gives export). */
  dataSet(): DataSet {
    return {
      schemaVersion: currentSchemaVersion,
      settings: this.settingsValue,
      collections: Object.fromEntries(
        names.map((name) => [name, [...this.all(name as CollectionName)].sort((a, b) => byCodeUnits(a.id, b.id))]),
      ),
    }
  }

  /** Replaces every record with a validated data set in one transaction (move-in, import, demo). */
  async replaceAll(input: unknown): Promise<void> {
    if (this.isReadOnly) {
      throw new AppError('read_only', 'The team database was opened read-only', { reason: 'store.read_only' })
    }
    this.refuseWhileUnreachable()
    const data = parseDataSet(input, 'the data set')
    await this.serial(async () => {
      try {
        await this.transaction(async () => {
          for (const collection of names) await this.client.query(`delete from ${collection}`)
          for (const collection of names) {
            const list = data.collections[collection] ?? []
            if (list.length === 0) continue
            const monthOf = kindOf(collection)!.monthOf as ((r: AnyRecord) => string) | undefined
            await this.client.query(
              `insert into ${collection} (id, month, version, record)
               select id, month, 1, record from unnest($1::text[], $2::text[], $3::jsonb[]) as t(id, month, record)`,
              [list.map((r) => r.id), list.map((r) => monthOf?.(r) ?? null), list.map((r) => JSON.stringify(r))],
            )
          }
          await this.client.query(
            `insert into ${settingsTable} (id, version, record) values (1, 1, $1)
             on conflict (id) do update set record = excluded.record, version = ${settingsTable}.version + 1`,
            [data.settings],
          )
          await this.notifyAll()
        })
        await this.loadAll()
      } catch (error) {
        throw databaseError(this.url, error)
      }
    })
  }

  async close(): Promise<void> {
    if (this.isClosed) return
    await this.queue
    this.isClosed = true
    await this.client.end().catch((error: unknown) => logger.error('db.close_failed', error))
    this.cold.forget()
    this.removeMonthFiles(this.deskMonths)
  }
}
