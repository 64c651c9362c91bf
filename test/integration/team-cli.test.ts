import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { asSuperuser, freshTeamDatabase } from '../helpers/pg'
import { tempDir } from '../helpers/temp'

const run = promisify(execFile)
const bin = join(__dirname, '..', '..', 'bin', 'makegood.cjs')
const now = '2026-11-23T10:00:00Z'

/** The test cluster trusts local logins, so a password in the URL is never checked: it must never be printed either. */
function withPassword(url: string): string {
  const parsed = new URL(url)
  parsed.password = 'never-printed-secret'
  return parsed.toString()
}

/** The CLI as a person runs it, with the language, locale and time zone fixed. */
function makegood(args: string[], env: NodeJS.ProcessEnv = {}) {
  const { MAKEGOOD_DB: _db, MAKEGOOD_DATA: _data, ...rest } = process.env
  return run(process.execPath, [bin, ...args], {
    cwd: tmpdir(),
    // A command that never exits fails with its output instead of hanging the test.
    timeout: 60_000,
    env: { ...rest, LANG: 'en_US.UTF-8', LC_ALL: 'en_US.UTF-8', TZ: 'Europe/Budapest', ...env },
  })
}

async function failure(promise: Promise<unknown>): Promise<{ code: number; stderr: string }> {
  const error = (await promise.then(
    () => expect.unreachable('the command succeeded'),
    (e: unknown) => e,
  )) as { code: number; stderr: string }
  return { code: error.code, stderr: error.stderr }
}

// Each spawn starts tsx afresh (seconds on a busy machine): these tests run many.
describe('team mode from the CLI, spawned, on a real PostgreSQL server', { timeout: 180_000 }, () => {
  it('team init, move-in, and an export byte-identical to the folder’s', async () => {
    const dir = await tempDir()
    await makegood(['--data', dir, '--now', now, 'demo'])
    const fresh = await freshTeamDatabase()
    const { database, login } = fresh
    const url = withPassword(fresh.url)

    const init = await makegood(['team', 'init', '--db', url, '--owner', 'Anna Kovács'])
    expect(init.stdout).toContain(`Set up ${database} for a team: ${login} is the owner`)
    const moved = await makegood(['team', 'move-in', '--from', dir, '--db', url])
    expect(moved.stdout).toMatch(/^Moved \d+ records from /)
    expect(moved.stdout).not.toContain('never-printed-secret')

    const out = await tempDir()
    await makegood(['--data', dir, '--now', now, 'export', '--out', join(out, 'folder.json')])
    await makegood(['--now', now, 'export', '--out', join(out, 'team.json')], { MAKEGOOD_DB: url })
    const folder = await readFile(join(out, 'folder.json'))
    const team = await readFile(join(out, 'team.json'))
    expect(team.length).toBeGreaterThan(10_000)
    expect(team.equals(folder)).toBe(true)

    // Every other command reads the team database too, with the same output as the folder.
    const fromFolder = await makegood(['--data', dir, '--now', now, 'cases', 'list', '--json'])
    const fromTeam = await makegood(['--db', url, '--now', now, 'cases', 'list', '--json'])
    expect(fromTeam.stdout).toBe(fromFolder.stdout)

    // A second move-in would overwrite the team's data: refused.
    const again = await failure(makegood(['team', 'move-in', '--from', dir, '--db', url]))
    expect(again.code).toBe(1)
    expect(again.stderr).toContain('already holds')
  })

  it('team init refuses a database that holds other tables, and leaves it as it was', async () => {
    const { url, database } = await freshTeamDatabase()
    await asSuperuser((client) => client.query(`create table invoices (id int)`), database)
    const refused = await failure(makegood(['team', 'init', '--db', url, '--owner', 'Anna']))
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('team init sets up an empty database only')
    const tables = await asSuperuser(
      (client) => client.query<{ name: string }>(`select tablename as name from pg_tables where schemaname = 'public'`),
      database,
    )
    expect(tables.rows).toEqual([{ name: 'invoices' }])
  })

  it('demo --db loads the sample data into a team database', async () => {
    const url = withPassword((await freshTeamDatabase()).url)
    await makegood(['team', 'init', '--db', url, '--owner', 'Anna'])
    const demo = await makegood(['--db', url, '--now', now, 'demo'])
    expect(demo.stdout).toContain('Loaded 133 customers and 150 cases')
    expect(demo.stdout).not.toContain('never-printed-secret')
    const list = JSON.parse((await makegood(['--db', url, 'cases', 'list', '--json'])).stdout) as unknown[]
    expect(list).toHaveLength(150)
  })

  it('says what is missing: team commands without --db', async () => {
    const noDb = await failure(makegood(['team', 'init', '--owner', 'Anna']))
    expect(noDb.code).toBe(2)
    expect(noDb.stderr).toContain('needs --db URL')
  })
})
