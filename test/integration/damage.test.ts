import { execFile } from 'node:child_process'
import { appendFile, readFile, readdir, stat, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/services'
import { backUpIfDue, createBackup } from '../../src/main/services/storage/backups'
import { segmentName } from '../../src/main/store/journal'
import { Store } from '../../src/main/store/store'
import { makeCase, makeCustomer } from '../helpers/records'
import { openContext, tempDir } from '../helpers/temp'

const run = promisify(execFile)
const bin = join(__dirname, '..', '..', 'bin', 'makegood.cjs')
const now = '2026-11-23T10:00:00Z'

type Ran = { code: number; stdout: string; stderr: string }

/** The real CLI in its own process; resolves with the exit code instead of throwing. */
function makegood(args: string[]): Promise<Ran> {
  return run(process.execPath, [bin, ...args], {
    cwd: tmpdir(),
    env: { ...process.env, LC_ALL: 'en_US.UTF-8', LANG: 'en_US.UTF-8', TZ: 'UTC' },
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      code: error.code,
      stdout: error.stdout,
      stderr: error.stderr,
    }),
  )
}

/** The journal segment a closed store appends to next (the manifest's `journalFrom`). */
async function liveSegment(dir: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(dir, 'data', 'manifest.json'), 'utf8')) as { journalFrom: number }
  return join(dir, 'journal', segmentName(manifest.journalFrom))
}

describe('damage found by the CLI is never silent and never forgotten', () => {
  it(
    'says so on stderr, exits 3 when the damage is new, and keeps it open across processes',
    { timeout: 120_000 },
    async () => {
      const dir = await tempDir()
      expect((await makegood(['--data', dir, '--now', now, 'demo'])).code).toBe(0)
      await writeFile(join(dir, 'data', 'months', '2026-10.json'), 'garbage, not a shard at all')

      // A read-only command: it cannot set the file aside, but it does its work and tells.
      const list = await makegood(['--data', dir, 'cases', 'list', '--json'])
      expect(list.code).toBe(3)
      expect((JSON.parse(list.stdout) as unknown[]).length).toBeLessThan(150)
      expect(list.stderr).toContain('Storage problem:')
      expect(list.stderr).toContain('2026-10.json')

      // The first writer sets it aside: new damage again (exit 3), said on stderr.
      const sweep = await makegood(['--data', dir, '--now', now, 'sweep'])
      expect(sweep.code).toBe(3)
      expect(sweep.stderr).toContain('2026-10.json')
      expect(sweep.stderr).toContain('New damage was found')
      expect((await readdir(join(dir, 'quarantine'))).some((n) => n.endsWith('2026-10.json'))).toBe(true)

      // Known now: still told on every command, but not new, so the command's own exit code.
      const again = await makegood(['--data', dir, 'cases', 'list'])
      expect(again.code).toBe(0)
      expect(again.stderr).toContain('2026-10.json')

      const status = await makegood(['--data', dir, 'storage', 'status', '--json'])
      expect(status.code).toBe(0)
      const parsed = JSON.parse(status.stdout) as { dataDir: string; problems: { id: string; file: string }[] }
      expect(parsed.dataDir).toBe(dir)
      expect(parsed.problems).toHaveLength(1)
      expect(parsed.problems[0]!.file).toBe(join(dir, 'data', 'months', '2026-10.json'))

      // Another process (the app or `serve`) sees it too: storage:status reads quarantine/.
      const ctx = await openContext(dir)
      const answer = await dispatch(ctx, 'storage:status', {})
      expect(answer.ok && answer.value.problems.map((p) => p.id)).toEqual([parsed.problems[0]!.id])
      // And its automatic backups stay paused, though this process found nothing itself.
      expect(await backUpIfDue(ctx)).toBeUndefined()
      expect(await readdir(join(dir, 'backups')).catch(() => [])).toEqual([])
      await ctx.store.close()

      const dismissed = await makegood(['--data', dir, 'storage', 'dismiss', parsed.problems[0]!.id])
      expect(dismissed).toMatchObject({ code: 0, stderr: '' })
      const quiet = await makegood(['--data', dir, 'cases', 'list'])
      expect(quiet).toMatchObject({ code: 0, stderr: '' })
      expect(await makegood(['--data', dir, 'storage', 'status'])).toMatchObject({ stdout: 'No storage problems.\n' })
    },
  )
})

describe('a damaged month shard is salvaged, not dropped', () => {
  it('keeps the records before the cut, recovers the rest from the journal and the backup, and counts the lost', async () => {
    const dir = await tempDir()
    const month = '2026-10-14T09:00:00.000Z'
    let store = await Store.open(dir)
    const ctx = { store, now: () => new Date('2026-11-01T09:00:00.000Z') }
    await store.commit([{ collection: 'customers', value: makeCustomer(1) }])
    for (let i = 0; i < 20; i++) await store.commit([{ collection: 'cases', value: makeCase(i, month, 1, 'cust-1') }])
    await createBackup(ctx, 'manual')
    for (let i = 20; i < 40; i++) await store.commit([{ collection: 'cases', value: makeCase(i, month, 1, 'cust-1') }])
    await store.close()
    // A change acknowledged after the last checkpoint lives only in the journal.
    await appendFile(
      await liveSegment(dir),
      `${JSON.stringify({ seq: 1000, changes: [{ collection: 'cases', value: makeCase(35, month, 2, 'cust-1') }] })}\n`,
    )
    const shard = join(dir, 'data', 'months', '2026-10.json')
    const text = await readFile(shard, 'utf8')
    const cut = Math.floor(Buffer.byteLength(text) / 2)
    await truncate(shard, cut)
    const kept = new Set<string>()
    for (const line of Buffer.from(text).subarray(0, cut).toString('utf8').split('\n')) {
      try {
        kept.add((JSON.parse(line.trim().replace(/,$/, '')) as { id: string }).id)
      } catch {
        // The half line at the cut, and the lines that are not records.
      }
    }
    expect(kept.size).toBeGreaterThan(5)
    expect(kept.size).toBeLessThan(35)
    const all = Array.from({ length: 40 }, (_, i) => `case-${i}`)
    const lost = all.filter((id) => !kept.has(id))
    const fromBackup = lost.filter((id) => Number(id.slice(5)) < 20)
    const missing = lost.filter((id) => Number(id.slice(5)) >= 20 && id !== 'case-35')

    store = await Store.open(dir)
    try {
      const ids = new Set([...store.all('cases')].map((c) => c.id))
      expect([...ids].sort()).toEqual(all.filter((id) => !missing.includes(id)).sort())
      expect(store.get('cases', 'case-35')?.summary).toMatch(/^v2 /)
      expect(store.problems).toHaveLength(1)
      expect(store.problems[0]).toMatchObject({ recovered: fromBackup.length, missing: missing.length })
      expect(store.problems[0]!.message).toContain(`${missing.length} are missing`)
      // The damaged original is kept as it was, never simply dropped.
      expect((await readFile(store.problems[0]!.quarantinedAs!)).length).toBe(cut)
    } finally {
      await store.close()
    }
    // The counts survive the process: another open reads them from the note in quarantine/.
    const reader = await Store.open(dir, { isReadOnly: true })
    expect(reader.problems[0]).toMatchObject({ recovered: fromBackup.length, missing: missing.length })
    await reader.close()
  })
})

describe('the journal', () => {
  it('sets aside entries naming an unknown kind (constructor, __proto__, toString) and opens the folder', async () => {
    const dir = await tempDir()
    const store = await Store.open(dir)
    await store.commit([{ collection: 'customers', value: makeCustomer(1) }])
    await store.close()
    const lines = ['constructor', '__proto__', 'toString'].map(
      (name, i) =>
        `{"seq":${500 + i},"changes":[{"collection":"${name}","value":{"id":"x"}},{"collection":"customers","value":${JSON.stringify(makeCustomer(10 + i))}}]}\n`,
    )
    await appendFile(await liveSegment(dir), lines.join(''))
    const reopened = await Store.open(dir)
    try {
      expect(reopened.count('customers')).toBe(4)
      expect(reopened.problems).toHaveLength(1)
      expect(reopened.problems[0]!.message).toContain('unknown record kind "constructor"')
      expect(reopened.problems[0]!.message).toContain('unknown record kind "__proto__"')
      expect(reopened.problems[0]!.message).toContain('unknown record kind "toString"')
      expect(({} as { polluted?: unknown }).polluted).toBeUndefined()
    } finally {
      await reopened.close()
    }
  })

  it('keeps a complete last line that lost only its newline, and reports invalid settings', async () => {
    const dir = await tempDir()
    const store = await Store.open(dir)
    await store.commit([{ collection: 'customers', value: makeCustomer(1) }])
    await store.close()
    const segment = await liveSegment(dir)
    await appendFile(
      segment,
      `{"seq":700,"changes":[{"collection":"customers","value":${JSON.stringify(makeCustomer(2))}}]}`,
    )
    const reopened = await Store.open(dir)
    expect(reopened.get('customers', 'cust-2')).toBeDefined()
    expect(reopened.problems).toEqual([])
    await reopened.commit([{ collection: 'customers', value: makeCustomer(3) }])
    await reopened.close()
    const afterAppend = await Store.open(dir, { isReadOnly: true })
    expect(afterAppend.count('customers')).toBe(3)
    expect(afterAppend.problems).toEqual([])
    await afterAppend.close()

    const before = (await Store.open(dir, { isReadOnly: true })).settings
    await appendFile(
      await liveSegment(dir),
      '{"seq":800,"changes":[{"collection":"settings","value":{"locale":"xx"}}]}\n',
    )
    const withBadSettings = await Store.open(dir)
    try {
      expect(withBadSettings.settings).toEqual(before)
      expect(withBadSettings.problems).toHaveLength(1)
      expect(withBadSettings.problems[0]!.message).toContain('settings not valid')
    } finally {
      await withBadSettings.close()
    }
  })
})

describe('files on disk are the owner’s only', () => {
  it.skipIf(process.platform === 'win32')(
    'creates folders 0700 and files 0600, quarantine and lock included',
    async () => {
      const dir = join(await tempDir(), 'new-folder')
      const store = await Store.open(dir)
      const ctx = { store, now: () => new Date('2026-11-01T09:00:00.000Z') }
      await store.commit([{ collection: 'customers', value: makeCustomer(1) }])
      await store.commit([{ collection: 'cases', value: makeCase(1, '2026-10-14T09:00:00.000Z', 1, 'cust-1') }])
      await store.checkpoint()
      await createBackup(ctx, 'manual')
      await store.close()
      await writeFile(join(dir, 'data', 'months', '2026-10.json'), 'damaged', { mode: 0o644 })
      const again = await Store.open(dir)
      await again.commit([{ collection: 'customers', value: makeCustomer(2) }])
      const folders: string[] = []
      const files: string[] = []
      const walk = async (path: string): Promise<void> => {
        for (const entry of await readdir(path, { withFileTypes: true })) {
          const child = join(path, entry.name)
          if (entry.isDirectory()) {
            folders.push(child)
            await walk(child)
          } else files.push(child)
        }
      }
      await walk(dir)
      try {
        const mode = async (path: string) => ((await stat(path)).mode & 0o777).toString(8)
        expect(await mode(dir)).toBe('700')
        for (const name of ['data', 'journal', 'backups', 'quarantine', 'makegood.lock'])
          expect(folders).toContain(join(dir, name))
        for (const folder of folders) expect(`${folder} ${await mode(folder)}`).toBe(`${folder} 700`)
        expect(files.some((f) => f.includes('quarantine'))).toBe(true)
        expect(files.some((f) => f.includes('makegood.lock'))).toBe(true)
        expect(files.some((f) => f.includes('backups'))).toBe(true)
        for (const file of files) expect(`${file} ${await mode(file)}`).toBe(`${file} 600`)
      } finally {
        await again.close()
      }
    },
  )
})

describe('user text used as a key', () => {
  it('imports a CSV whose cell is named constructor or toString, and says which rows are wrong', async () => {
    const ctx = await openContext(await tempDir())
    const csv =
      'When,What,Severity\n2026-11-20,Cold soup,High\n2026-11-21,Long wait,constructor\n2026-11-22,Rude,toString\n'
    const mapping = {
      columns: { receivedAt: 'When', summary: 'What', severity: 'Severity' },
      values: { severity: { High: 'major' } },
    }
    const answer = await dispatch(ctx, 'imports:complaints', { csv, mapping, isSkipInvalid: true })
    expect(answer.ok, JSON.stringify(answer)).toBe(true)
    if (!answer.ok) return
    expect(answer.value).toMatchObject({ rows: 3, created: 1, invalid: 2 })
    expect(answer.value.errors.map((e) => [e.row, e.reason, e.params.value])).toEqual([
      [3, 'not_one_of', 'constructor'],
      [4, 'not_one_of', 'toString'],
    ])
    expect([...ctx.store.all('cases')].map((c) => c.severity)).toEqual(['major'])
  })
})
