import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { type LogEntry, logger, stderrSink } from '../../src/main/log/logger'
import { schemaFingerprint } from '../../src/main/store/kinds'
import { PgStore } from '../../src/main/store/postgres/pgStore'
import { teamInit } from '../../src/main/store/postgres/team'
import { AppError } from '../../src/shared/core/errors'
import { byCodeUnits } from '../../src/shared/core/order'
import { parseEscalation } from '../../src/shared/escalations/schemas'
import { type Customer } from '../../src/shared/schemas'
import { asSuperuser, freshTeamDatabase } from '../helpers/pg'
import {
  escalationFields,
  makeCase,
  makeCustomer,
  makeGrumble,
  makePromise,
  makeSignal,
  monthIso,
} from '../helpers/records'

const opened: PgStore[] = []
afterEach(async () => {
  logger.setSinks([stderrSink])
  for (const store of opened.splice(0)) await store.close()
})

async function openTeam(url: string, options: { isLazy?: boolean; monthsFolder?: string } = {}): Promise<PgStore> {
  const store = await PgStore.open(url, options)
  opened.push(store)
  return store
}

/**
 * Twelve months of cases, three promises and two grumbles each, a churn signal every other case,
 * their customers, and an escalation raised in the newest month.
 */
function history() {
  const customers = Array.from({ length: 10 }, (_, i) => makeCustomer(i))
  const cases = Array.from({ length: 48 }, (_, i) => makeCase(i, monthIso(i % 12, 12), 1, `cust-${i % 10}`))
  const promises = cases.flatMap((c, i) =>
    [0, 1, 2].map((k) => makePromise(i * 3 + k, c.receivedAt, c.id, c.customerId)),
  )
  const grumbles = cases.flatMap((c, i) => [0, 1].map((k) => makeGrumble(i * 2 + k, c.receivedAt, c.customerId)))
  const signals = cases.filter((_, i) => i % 2 === 0).map((c, i) => makeSignal(i, c.receivedAt, c.customerId))
  const raisedAt = '2026-11-20T10:00:00.000Z'
  const escalation = parseEscalation(
    escalationFields({
      evidence: cases.slice(0, 2).map((c) => ({ kind: 'case', id: c.id, at: c.receivedAt })),
      firstRaisedAt: raisedAt,
      lastSeenAt: raisedAt,
      updatedAt: raisedAt,
      history: [{ at: raisedAt, by: 'MakeGood', type: 'raised', count: 2 }],
    }),
  )
  return { customers, cases, promises, grumbles, signals, escalations: [escalation] }
}

async function seeded(): Promise<string> {
  const { url } = await freshTeamDatabase()
  await teamInit(url, 'Anna Owner')
  const seeder = await openTeam(url)
  await seeder.replaceAll({ schemaVersion: 2, settings: seeder.settings, collections: history() })
  return url
}

/** The server processes of the connections to this database now (a desk's own are those it adds). */
function backends(url: string): Promise<number[]> {
  return asSuperuser((client) =>
    client
      .query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [new URL(url).pathname.slice(1)])
      .then((found) => found.rows.map((row) => row.pid)),
  )
}

/** A desk opened lazily with its whole history in, and the server processes of its connections. */
async function loadedDeskAndItsConnections(url: string): Promise<{ desk: PgStore; own: number[] }> {
  const before = await backends(url)
  const desk = await openTeam(url, { isLazy: true })
  await desk.whenFullyLoaded()
  const own = (await backends(url)).filter((pid) => !before.includes(pid))
  expect(own).not.toEqual([])
  return { desk, own }
}

/** These connections cut by the server, as a lost network would cut them. */
async function cut(pids: number[]): Promise<void> {
  await asSuperuser((client) => client.query('select pg_terminate_backend(pid) from unnest($1::int[]) as pid', [pids]))
}

/**
 * Runs `act` once, when the desk's lazy open puts its first grumble in memory: the old months'
 * grumbles of that read are in the desk's files by then, and the open goes on reading churn
 * signals and escalations after what `act` queues (its reads and the saves take turns on one
 * connection). Answers, once the whole history is in, what `act` answered and whether the open
 * was still reading when it ran.
 */
async function duringTheLoad<T>(desk: PgStore, act: () => T): Promise<{ answer: T; isLoading: boolean }> {
  let ran: { answer: T; isLoading: boolean } | undefined
  let isRunning = false
  desk.watch({
    onPut: (collection) => {
      // (Once: a save puts its records in memory at once, which tells this watcher again.)
      if (collection !== 'grumbles' || isRunning) return
      isRunning = true
      const isLoading = !desk.isFullyLoaded
      ran = { answer: act(), isLoading }
    },
    onReset: () => undefined,
  })
  await desk.whenFullyLoaded()
  expect(ran).toBeDefined()
  return ran!
}

/** The grumbles a desk holds heard in a month (`YYYY-MM`). */
const grumblesOf = (desk: PgStore, month: string) =>
  [...desk.all('grumbles')].filter((g) => g.heardAt.startsWith(month))

/** A commit's answer as a value: 'saved', or the error it was refused with. */
const answerOf = (commit: Promise<unknown>): Promise<unknown> =>
  commit.then(
    () => 'saved',
    (error: unknown) => error,
  )

describe('opening the team database and writing many records', () => {
  it('a lazy open holds the newest months at once, then exactly what a full open holds, with a change made elsewhere meanwhile', async () => {
    const url = await seeded()
    const lazy = await openTeam(url, { isLazy: true })
    // The two newest months' cases and promises and every customer now; their grumbles and churn
    // signals (read after the open, as the data folder does), the escalations (which Today does not
    // show) and the older months on the way.
    expect(lazy.isFullyLoaded).toBe(false)
    expect(lazy.count('customers')).toBe(10)
    const months = [...lazy.all('cases')].map((c) => c.receivedAt.slice(0, 7))
    expect(new Set(months).size).toBe(2)
    expect(lazy.count('cases')).toBeLessThan(48)
    expect(lazy.count('promises')).toBe(lazy.count('cases') * 3)
    expect(lazy.count('grumbles')).toBe(0)
    expect(lazy.count('signals')).toBe(0)
    expect(lazy.count('escalations')).toBe(0)
    // Another desk changes the oldest case and a newest month's grumble while this one is still
    // reading: the newer copies stay.
    const other = await openTeam(url)
    const oldest = [...other.all('cases')].sort((a, b) => (a.receivedAt < b.receivedAt ? -1 : 1))[0]!
    const byHeard = [...other.all('grumbles')].sort((a, b) => (a.heardAt < b.heardAt ? 1 : -1))
    const newest = byHeard[0]!
    const oldestGrumble = byHeard.at(-1)!
    await other.commit([
      { collection: 'cases', value: { ...oldest, summary: 'Changed at another desk' } },
      { collection: 'grumbles', value: { ...newest, text: 'Heard again at another desk' } },
      { collection: 'grumbles', value: { ...oldestGrumble, text: 'Old, heard again' } },
    ])
    await lazy.whenFullyLoaded()
    expect(lazy.isFullyLoaded).toBe(true)
    const full = await openTeam(url)
    expect(lazy.get('cases', oldest.id)?.summary).toBe('Changed at another desk')
    expect(lazy.get('grumbles', newest.id)?.text).toBe('Heard again at another desk')
    expect(lazy.get('grumbles', oldestGrumble.id)?.text).toBe('Old, heard again')
    expect(lazy.count('grumbles')).toBe(96)
    expect(lazy.count('signals')).toBe(24)
    expect(lazy.get('escalations', 'esc-1')).toEqual(full.get('escalations', 'esc-1'))
    expect(lazy.dataSet()).toEqual(full.dataSet())
    expect(lazy.problems).toEqual([])
  })

  it("a lazy open leaves the grumbles, churn signals and promises of months older than the newest seven in its own files, read like a data folder's, until one changes here or elsewhere", async () => {
    const url = await seeded()
    const desk = await openTeam(url, { isLazy: true })
    await desk.whenFullyLoaded()
    const full = await openTeam(url)
    // Twelve months: the five oldest stay out of memory (churn signals are in every other month).
    expect(desk.listsOnDisk('grumbles').map((list) => list.month)).toEqual([
      '2026-04',
      '2026-03',
      '2026-02',
      '2026-01',
      '2025-12',
    ])
    expect(desk.listsOnDisk('signals').map((list) => list.month)).toEqual(['2026-03', '2026-01'])
    expect(desk.listsOnDisk('promises').map((list) => list.month)).toEqual(
      desk.listsOnDisk('grumbles').map((list) => list.month),
    )
    expect([...desk.allInMemory('grumbles')]).toHaveLength(96 - 5 * 8)
    expect(desk.count('grumbles')).toBe(96)
    expect([...desk.allInMemory('promises')]).toHaveLength(144 - 5 * 12)
    expect(desk.count('promises')).toBe(144)
    expect(desk.dataSet()).toEqual(full.dataSet())
    // Each list is a file of this desk, laid out as a data folder's shard lists its records.
    const [list] = desk.listsOnDisk('grumbles')
    const text = readFileSync(list!.path, 'utf8')
    expect(text.startsWith('[\n{"id": "grumble-')).toBe(true)
    expect(text.endsWith('}\n  ]')).toBe(true)
    expect(JSON.parse(text)).toHaveLength(8)
    // Shown without coming in; the records of a month from its own on.
    const old = [...full.all('grumbles')].find((g) => g.heardAt.startsWith('2026-02'))!
    expect(desk.peek('grumbles', old.id)).toEqual(old)
    expect([...desk.allFrom('grumbles', '2026-03')]).toHaveLength(96 - 3 * 8)
    expect(desk.listsOnDisk('grumbles')).toHaveLength(5)

    // Another desk changes an old grumble and adds a churn signal to an old month: each month comes in.
    const heard = new Promise<void>((resolve) => desk.onChange(() => resolve()))
    await full.commit([
      { collection: 'grumbles', value: { ...old, text: 'Changed at another desk' } },
      { collection: 'signals', value: makeSignal(900, '2026-01-20T10:00:00.000Z', 'cust-1') },
    ])
    await heard
    expect(desk.getInMemory('grumbles', old.id)?.text).toBe('Changed at another desk')
    expect(desk.listsOnDisk('grumbles').map((list) => list.month)).toEqual(['2026-04', '2026-03', '2026-01', '2025-12'])
    expect(desk.listsOnDisk('signals').map((list) => list.month)).toEqual(['2026-03'])
    expect(desk.count('signals')).toBe(25)

    // This desk changes one: its month comes in, and the write names the version it was based on.
    const mine = [...full.all('grumbles')].find((g) => g.heardAt.startsWith('2025-12'))!
    await desk.commit([{ collection: 'grumbles', value: { ...mine, text: 'Changed here' } }])
    expect(desk.listsOnDisk('grumbles').map((list) => list.month)).toEqual(['2026-04', '2026-03', '2026-01'])
    // Another desk removes one: gone here too.
    const removed = [...full.all('grumbles')].find((g) => g.heardAt.startsWith('2026-04'))!
    const heardRemoval = new Promise<void>((resolve) => desk.onChange(() => resolve()))
    await full.commit([{ collection: 'grumbles', removed: removed.id }])
    await heardRemoval
    expect(desk.get('grumbles', removed.id)).toBeUndefined()
    expect(desk.count('grumbles')).toBe(95)
    expect(desk.listsOnDisk('grumbles').map((list) => list.month)).toEqual(['2026-03', '2026-01'])
    const again = await openTeam(url)
    expect(again.get('grumbles', mine.id)?.text).toBe('Changed here')
    expect(desk.dataSet()).toEqual(again.dataSet())

    // Its files go with it.
    const folder = dirname(list!.path)
    expect(existsSync(folder)).toBe(true)
    await desk.close()
    expect(existsSync(folder)).toBe(false)
  })

  it('a row this desk changes, moves to another month or removes while its lazy open is still writing the files: those months come into memory as stored, the others stay in its files', async () => {
    const url = await seeded()
    const full = await openTeam(url)
    const ofMonth = (month: string) => grumblesOf(full, month)
    const [changed] = ofMonth('2026-04')
    const [moved] = ofMonth('2026-02')
    const [removed] = ofMonth('2025-12')
    const desk = await openTeam(url, { isLazy: true })
    const { answer: saved, isLoading } = await duringTheLoad(desk, () =>
      answerOf(
        desk.commit([
          { collection: 'grumbles', value: { ...changed!, text: 'Changed while loading' } },
          { collection: 'grumbles', value: { ...moved!, heardAt: '2026-11-02T10:00:00.000Z' } },
          { collection: 'grumbles', removed: removed!.id },
        ]),
      ),
    )
    expect(isLoading).toBe(true)
    // The saves named the versions read from the lines written (no conflict).
    expect(await saved).toBe('saved')
    expect(desk.listsOnDisk('grumbles').map((list) => list.month)).toEqual(['2026-03', '2026-01'])
    expect(desk.getInMemory('grumbles', changed!.id)?.text).toBe('Changed while loading')
    expect(desk.getInMemory('grumbles', moved!.id)?.heardAt).toBe('2026-11-02T10:00:00.000Z')
    expect(desk.get('grumbles', removed!.id)).toBeUndefined()
    expect(desk.count('grumbles')).toBe(95)
    const again = await openTeam(url)
    expect(desk.dataSet()).toEqual(again.dataSet())
    // The months that came in brought their versions: a grumble of one is written again, from version 1.
    const [neighbour] = ofMonth('2025-12').filter((g) => g.id !== removed!.id)
    await desk.commit([{ collection: 'grumbles', value: { ...neighbour!, text: 'Its month came in' } }])
    expect(await desk.isCurrent('grumbles', [neighbour!.id, changed!.id, moved!.id])).toBe(true)
    expect(desk.problems).toEqual([])
  })

  /** A database with more grumbles than one read of a lazy open brings (5,000): the extra ones in the newest month. */
  async function seededBeyondOneRead() {
    const { url } = await freshTeamDatabase()
    await teamInit(url, 'Anna Owner')
    const seeder = await openTeam(url)
    const seed = history()
    const extra = Array.from({ length: 5100 }, (_, k) => makeGrumble(10_000 + k, monthIso(0, 12), 'cust-1'))
    const grumbles = [...seed.grumbles, ...extra]
    await seeder.replaceAll({ schemaVersion: 2, settings: seeder.settings, collections: { ...seed, grumbles } })
    return { url, seed, grumbles }
  }

  it('a row this desk removes while the lazy open has already asked for the rows that hold it stays removed', async () => {
    const { url, grumbles } = await seededBeyondOneRead()
    const inOrder = grumbles.map((g) => g.id).sort(byCodeUnits)
    const newestMonth = monthIso(0, 12).slice(0, 7)
    const removed = grumbles
      .filter((g) => g.heardAt.startsWith(newestMonth))
      .sort((a, b) => byCodeUnits(a.id, b.id))
      .at(-1)!
    // It comes with the second read, which the open asks for before it places the first.
    expect(inOrder.indexOf(removed.id)).toBeGreaterThanOrEqual(5000)
    const desk = await openTeam(url, { isLazy: true })
    const { answer: saved, isLoading } = await duringTheLoad(desk, () =>
      answerOf(desk.commit([{ collection: 'grumbles', removed: removed.id }])),
    )
    expect(isLoading).toBe(true)
    expect(await saved).toBe('saved')
    expect(desk.get('grumbles', removed.id)).toBeUndefined()
    expect(desk.count('grumbles')).toBe(grumbles.length - 1)
    const again = await openTeam(url)
    expect(desk.dataSet()).toEqual(again.dataSet())
    expect(desk.problems).toEqual([])
  })

  it('data this desk replaces while the lazy open has already asked for its next rows: it holds the new data, none of the rows asked for before', async () => {
    const { url, seed } = await seededBeyondOneRead()
    const desk = await openTeam(url, { isLazy: true })
    const { answer: replaced, isLoading } = await duringTheLoad(desk, () =>
      answerOf(desk.replaceAll({ schemaVersion: 2, settings: desk.settings, collections: seed })),
    )
    expect(isLoading).toBe(true)
    expect(await replaced).toBe('saved')
    expect(desk.count('grumbles')).toBe(seed.grumbles.length)
    const again = await openTeam(url)
    expect(desk.dataSet()).toEqual(again.dataSet())
    expect(desk.problems).toEqual([])
  })

  it('a save the database refuses while the lazy open is writing the files puts back the rows it changed or removed, read from their lines', async () => {
    const url = await seeded()
    const full = await openTeam(url)
    const ofMonth = (month: string) => grumblesOf(full, month)
    const [changed] = ofMonth('2026-04')
    const [removed] = ofMonth('2025-12')
    // The database refuses any write to these two rows (not a version conflict).
    await asSuperuser(async (client) => {
      await client.query(`create function refuse_write() returns trigger language plpgsql as
        $$ begin raise exception 'refused by the test'; end $$`)
      await client.query(`create trigger refuse_write before update or delete on grumbles for each row
        when (old.id in ('${changed!.id}', '${removed!.id}')) execute function refuse_write()`)
    }, new URL(url).pathname.slice(1))
    const desk = await openTeam(url, { isLazy: true })
    const { answer: refused, isLoading } = await duringTheLoad(desk, () =>
      Promise.all([
        answerOf(desk.commit([{ collection: 'grumbles', value: { ...changed!, text: 'Never stored' } }])),
        answerOf(desk.commit([{ collection: 'grumbles', removed: removed!.id }])),
      ]),
    )
    expect(isLoading).toBe(true)
    const answers = await refused
    expect(answers).toHaveLength(2)
    for (const answer of answers) expect(answer).toBeInstanceOf(AppError)
    expect(desk.get('grumbles', changed!.id)).toEqual(changed)
    expect(desk.get('grumbles', removed!.id)).toEqual(removed)
    expect(desk.count('grumbles')).toBe(96)
    expect(desk.dataSet()).toEqual((await openTeam(url)).dataSet())
    expect(await desk.isCurrent('grumbles', [changed!.id, removed!.id])).toBe(true)
  })

  it('a save whose row is in a file of the lazy open that something removed is refused, changes nothing, and the desk reads those rows again', async () => {
    const url = await seeded()
    const full = await openTeam(url)
    const [old] = [...full.all('grumbles')].filter((g) => g.heardAt.startsWith('2026-04'))
    const parent = join(tmpdir(), `makegood-team-load-${process.pid}-unreadable`)
    const desk = await openTeam(url, { isLazy: true, monthsFolder: parent })
    const [someCase] = [...desk.all('cases')]
    const logged: LogEntry[] = []
    logger.setSinks([(entry) => logged.push(entry)])
    const { answer: refused, isLoading } = await duringTheLoad(desk, () => {
      const [folder] = readdirSync(parent)
      rmSync(join(parent, folder!, 'grumbles-2026-04.json'))
      // A case and the grumble in one commit: neither is placed.
      return answerOf(
        desk.commit([
          { collection: 'cases', value: { ...someCase!, summary: 'Half applied' } },
          { collection: 'grumbles', value: { ...old!, text: 'Never stored' } },
        ]),
      )
    })
    expect(isLoading).toBe(true)
    const answer = await refused
    expect(answer).toBeInstanceOf(AppError)
    expect((answer as AppError).message).toMatch(/changed on disk while MakeGood had it open/)
    expect(desk.get('cases', someCase!.id)).toEqual(someCase)
    expect(logged.filter((entry) => entry.event === 'db.month_files_failed')).toHaveLength(1)
    expect(desk.listsOnDisk('grumbles')).toEqual([])
    expect(desk.dataSet()).toEqual((await openTeam(url)).dataSet())
    // Written again once the files went: from the versions read again.
    await desk.commit([{ collection: 'grumbles', value: { ...old!, text: 'Stored after the files went' } }])
    expect((await openTeam(url)).get('grumbles', old!.id)?.text).toBe('Stored after the files went')
    rmSync(parent, { recursive: true, force: true })
  })

  it('after a lost connection, catches up on the rows of its files changed or removed meanwhile, from the versions it keeps of them, and leaves the other months in its files', async () => {
    const url = await seeded()
    const { desk, own } = await loadedDeskAndItsConnections(url)
    const full = await openTeam(url)
    const ofMonth = (month: string) => grumblesOf(full, month)
    const [changed] = ofMonth('2026-02')
    const [removed] = ofMonth('2025-12')
    const [untouched] = ofMonth('2026-03')
    // The versions of the rows in its files are known without their months coming in.
    expect(await desk.isCurrent('grumbles', [changed!.id, removed!.id, untouched!.id])).toBe(true)
    expect(desk.listsOnDisk('grumbles')).toHaveLength(5)
    // Changed and removed in the database by no desk (so no desk is told), then this desk's
    // connection is cut: it finds them by comparing versions once it is back.
    await asSuperuser(async (client) => {
      await client.query(
        `update grumbles set record = jsonb_set(record, '{text}', '"Changed while away"'), version = version + 1 where id = $1`,
        [changed!.id],
      )
      await client.query('delete from grumbles where id = $1', [removed!.id])
    }, new URL(url).pathname.slice(1))
    expect(await desk.isCurrent('grumbles', [changed!.id])).toBe(false)
    expect(await desk.isCurrent('grumbles', [untouched!.id])).toBe(true)
    const states: string[] = []
    const back = new Promise<void>((resolve) =>
      desk.onConnection((state) => {
        states.push(state)
        if (state === 'connected') resolve()
      }),
    )
    await cut(own)
    await back
    expect(states).toEqual(['reconnecting', 'connected'])
    expect(desk.getInMemory('grumbles', changed!.id)?.text).toBe('Changed while away')
    expect(desk.get('grumbles', removed!.id)).toBeUndefined()
    expect(desk.listsOnDisk('grumbles').map((list) => list.month)).toEqual(['2026-04', '2026-03', '2026-01'])
    expect(await desk.isCurrent('grumbles', [changed!.id, untouched!.id])).toBe(true)
    const again = await openTeam(url)
    expect(desk.dataSet()).toEqual(again.dataSet())
    expect(desk.count('grumbles')).toBe(95)
    expect(desk.problems).toEqual([])
  })

  it('when a file of its own cannot be read as it catches up after a lost connection, says so and reads those months again into memory', async () => {
    const url = await seeded()
    const { desk, own } = await loadedDeskAndItsConnections(url)
    const lists = desk.listsOnDisk('grumbles')
    expect(lists).toHaveLength(5)
    const gone = lists.find((list) => list.month === '2026-02')!
    rmSync(gone.path)
    const logged: LogEntry[] = []
    logger.setSinks([(entry) => logged.push(entry)])
    const back = new Promise<void>((resolve) => desk.onConnection((state) => state === 'connected' && resolve()))
    await cut(own)
    await back
    expect(logged.filter((entry) => entry.event === 'db.month_files_failed')).toHaveLength(1)
    // Every month of its files is in memory now, as the database holds it; the folder is gone.
    expect(desk.listsOnDisk('grumbles')).toEqual([])
    expect(desk.listsOnDisk('signals')).toEqual([])
    expect([...desk.allInMemory('grumbles')]).toHaveLength(96)
    expect(existsSync(dirname(gone.path))).toBe(false)
    const full = await openTeam(url)
    expect(desk.dataSet()).toEqual(full.dataSet())
    // It writes as before, from the versions it read again.
    const old = [...full.all('grumbles')].find((g) => g.heardAt.startsWith('2026-02'))!
    await desk.commit([{ collection: 'grumbles', value: { ...old, text: 'Changed after the files went' } }])
    expect((await openTeam(url)).get('grumbles', old.id)?.text).toBe('Changed after the files went')
  })

  it('keeps its files in the folder it is given; where none can be made there, it holds every month in memory', async () => {
    const url = await seeded()
    const parent = join(tmpdir(), `makegood-team-load-${process.pid}`)
    try {
      const desk = await openTeam(url, { isLazy: true, monthsFolder: join(parent, 'desk') })
      await desk.whenFullyLoaded()
      expect(dirname(dirname(desk.listsOnDisk('grumbles')[0]!.path))).toBe(join(parent, 'desk'))
      // A file where the folder should be: nothing can be made under it.
      writeFileSync(join(parent, 'blocked'), '')
      const inMemory = await openTeam(url, { isLazy: true, monthsFolder: join(parent, 'blocked', 'desk') })
      await inMemory.whenFullyLoaded()
      expect(inMemory.listsOnDisk('grumbles')).toEqual([])
      expect([...inMemory.allInMemory('grumbles')]).toHaveLength(96)
      expect(inMemory.dataSet()).toEqual(desk.dataSet())
    } finally {
      rmSync(parent, { recursive: true, force: true })
    }
  })

  it('reads everything again into memory when another desk replaces the data, and removes its files once that is done', async () => {
    const url = await seeded()
    const desk = await openTeam(url, { isLazy: true })
    await desk.whenFullyLoaded()
    const folder = dirname(desk.listsOnDisk('grumbles')[0]!.path)
    const other = await openTeam(url)
    const data = other.dataSet()
    const grumbles = [...other.all('grumbles')].filter((g) => !g.heardAt.startsWith('2026-02'))
    const heard = new Promise<void>((resolve) => desk.onChange(() => resolve()))
    await other.replaceAll({ ...data, collections: { ...data.collections, grumbles } })
    await heard
    expect(desk.listsOnDisk('grumbles')).toEqual([])
    expect(desk.count('grumbles')).toBe(96 - 8)
    expect(desk.dataSet()).toEqual(other.dataSet())
    expect(existsSync(folder)).toBe(false)
  })

  it('removes the files a desk whose process is gone left behind, and nothing else', async () => {
    const url = await seeded()
    const gone = spawnSync(process.execPath, ['-e', '']).pid!
    const abandoned = join(tmpdir(), `makegood-team-months-${gone}-AbC123`)
    const other = join(tmpdir(), `makegood-team-months-${gone}-notes`)
    for (const folder of [abandoned, other]) mkdirSync(folder, { recursive: true })
    try {
      const desk = await openTeam(url, { isLazy: true })
      await desk.whenFullyLoaded()
      expect(existsSync(abandoned)).toBe(false)
      expect(existsSync(other)).toBe(true)
    } finally {
      for (const folder of [abandoned, other]) rmSync(folder, { recursive: true, force: true })
    }
  })

  it('each kind with a month has an index on it, so a lazy open finds the newest months without scanning the tables', async () => {
    const url = await seeded()
    const database = new URL(url).pathname.slice(1)
    const indexed = await asSuperuser(
      async (client) =>
        (
          await client.query<{ tablename: string }>(
            `select tablename from pg_indexes where indexname = tablename || '_month' order by 1`,
          )
        ).rows.map((r) => r.tablename),
      database,
    )
    expect(indexed).toEqual([
      'activities',
      'attachments',
      'cases',
      'escalations',
      'failures',
      'grumbles',
      'promises',
      'rubrics',
      'signals',
      'trash',
    ])
  })

  it('many records of one kind in a commit are written together, and one stale record refuses them all', async () => {
    const url = await seeded()
    const desk = await openTeam(url)
    const renamed = (suffix: string) =>
      [...desk.all('customers')].map((c): Customer => ({ ...c, name: `${c.name} ${suffix}` }))
    await desk.commit(renamed('A').map((value) => ({ collection: 'customers' as const, value })))
    const stored = await asSuperuser(
      (db) =>
        db
          .query<{ version: number; name: string }>(`select version, record->>'name' as name from customers`)
          .then((r) => r.rows),
      new URL(url).pathname.slice(1),
    )
    expect(stored).toHaveLength(10)
    expect(stored.every((row) => row.version === 2 && row.name.endsWith(' A'))).toBe(true)

    // Another writer changes one customer without telling this desk: the next commit of all ten is refused whole.
    await asSuperuser(
      (db) => db.query(`update customers set version = version + 1 where id = 'cust-3'`),
      new URL(url).pathname.slice(1),
    )
    const refused = await desk.commit(renamed('B').map((value) => ({ collection: 'customers' as const, value }))).then(
      () => undefined,
      (error: unknown) => error,
    )
    expect(refused).toBeInstanceOf(AppError)
    expect((refused as AppError).reason).toBe('store.stale_version')
    const after = await asSuperuser(
      (db) => db.query<{ name: string }>(`select record->>'name' as name from customers`).then((r) => r.rows),
      new URL(url).pathname.slice(1),
    )
    expect(after.filter((row) => row.name.endsWith(' B'))).toEqual([])
  })

  it('says whether its copies are the stored ones: a change, an addition or a removal elsewhere makes them not', async () => {
    const url = await seeded()
    const desk = await openTeam(url)
    const database = new URL(url).pathname.slice(1)
    expect(await desk.isCurrent('customers', ['cust-1', 'cust-2', 'cust-404'])).toBe(true)
    // Written straight into the table: no notice reaches the desk, so only the read can tell.
    await asSuperuser((db) => db.query(`update customers set version = version + 1 where id = 'cust-2'`), database)
    expect(await desk.isCurrent('customers', ['cust-1', 'cust-2'])).toBe(false)
    expect(await desk.isCurrent('customers', ['cust-1'])).toBe(true)
    await asSuperuser(
      (db) =>
        db.query(`insert into customers (id, month, version, record) values ('cust-404', null, 1, $1)`, [
          makeCustomer(404),
        ]),
      database,
    )
    expect(await desk.isCurrent('customers', ['cust-404'])).toBe(false)
    await asSuperuser((db) => db.query(`delete from customers where id = 'cust-1'`), database)
    expect(await desk.isCurrent('customers', ['cust-1'])).toBe(false)
  })
  it('takes rows a desk wrote as they are; a row anything else changed is checked again, its damage reported, and stamped when it is exactly what the schema makes of it', async () => {
    const url = await seeded()
    const database = new URL(url).pathname.slice(1)
    const stamps = (ids: string[]) =>
      asSuperuser(
        async (client) =>
          (
            await client.query<{ id: string; checked: string | null }>(
              `select id, checked from cases where id = any($1) order by id`,
              [ids],
            )
          ).rows,
        database,
      )
    // Every row the seeding desk wrote carries the fingerprint of the schemas it checked them with.
    const unstamped = await asSuperuser(
      async (client) =>
        (
          await client.query<{ n: number }>(`select count(*)::int as n from cases where checked is distinct from $1`, [
            schemaFingerprint,
          ])
        ).rows[0]!.n,
      database,
    )
    expect(unstamped).toBe(0)
    // A psql session (no fingerprint declared) breaks one case, edits another's summary and gives a
    // third a key no schema knows; none of them bumps the version.
    await asSuperuser(async (client) => {
      await client.query(`update cases set record = jsonb_set(record, '{status}', '"lost"') where id = 'case-1'`)
      await client.query(
        `update cases set record = jsonb_set(record, '{summary}', '"Edited in psql"') where id = 'case-2'`,
      )
      await client.query(`update cases set record = record || '{"note": "by hand"}' where id = 'case-3'`)
    }, database)
    expect(await stamps(['case-1', 'case-2', 'case-3'])).toEqual([
      { id: 'case-1', checked: null },
      { id: 'case-2', checked: null },
      { id: 'case-3', checked: null },
    ])
    // A session in the middle of a transaction holds the edited row: the desk opens without
    // waiting for it, and leaves that row unstamped.
    const desk = await asSuperuser(async (holder) => {
      await holder.query('begin')
      await holder.query(`select 1 from cases where id = 'case-2' for share`)
      const opened = await openTeam(url)
      await holder.query('commit')
      return opened
    }, database)
    expect(desk.problems.map((p) => [p.file, p.message])).toEqual([
      ['cases/case-1', expect.stringMatching(/^A stored cases record is not valid: /) as unknown as string],
    ])
    expect(desk.get('cases', 'case-1')).toBeUndefined()
    expect(desk.get('cases', 'case-2')?.summary).toBe('Edited in psql')
    expect(desk.get('cases', 'case-3')).not.toHaveProperty('note')
    expect(await stamps(['case-1', 'case-2', 'case-3'])).toEqual([
      { id: 'case-1', checked: null },
      { id: 'case-2', checked: null },
      { id: 'case-3', checked: null },
    ])
    // The next open stamps the valid edit; the broken row and the one with an unknown key (taken
    // as it is, it would bring the key back) are checked again every time.
    const next = await openTeam(url)
    expect(await stamps(['case-1', 'case-2', 'case-3'])).toEqual([
      { id: 'case-1', checked: null },
      { id: 'case-2', checked: schemaFingerprint },
      { id: 'case-3', checked: null },
    ])
    expect(next.problems.map((p) => p.file)).toEqual(['cases/case-1'])
    expect(next.dataSet()).toEqual(desk.dataSet())
  })
})
