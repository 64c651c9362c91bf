import { execFile } from 'node:child_process'
import { appendFile, chmod, copyFile, readFile, readdir, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { listSegments, segmentName } from '../../src/main/store/journal'
import { currentSchemaVersion, migrations } from '../../src/main/store/migrations'
import { Store } from '../../src/main/store/store'
import { makeCase, makeCustomer, monthIso } from '../helpers/records'
import { tempDir } from '../helpers/temp'
import { cliEnv } from '../helpers/cli-env'

const fixtureV1 = join(__dirname, '..', 'fixtures', 'storage', 'v1-makegood.json')
const run = promisify(execFile)

async function seeded(dir: string, cases = 30): Promise<Store> {
  const store = await Store.open(dir)
  await store.commit([{ collection: 'customers', value: makeCustomer(1) }])
  for (let i = 0; i < cases; i++) {
    await store.commit([{ collection: 'cases', value: makeCase(i, monthIso(i, 6), 1, 'cust-1') }])
  }
  return store
}

describe('migrations', () => {
  it('migration 2 turns the version-1 single file into a data set, purely', async () => {
    const v1 = JSON.parse(await readFile(fixtureV1, 'utf8')) as Record<string, unknown>
    const copy = structuredClone(v1)
    const v2 = migrations[2]!(v1) as { schemaVersion: number; collections: Record<string, unknown[]> }
    expect(v1).toEqual(copy)
    expect(v2.schemaVersion).toBe(2)
    expect(v2.collections.cases).toHaveLength(10)
    expect(v2.collections.customers).toHaveLength(9)
    expect(Object.keys(v2).sort()).toEqual(['collections', 'schemaVersion', 'settings'])
  })

  it('opens a version-1 folder: backup first, then month shards, and the old file moved away', async () => {
    const dir = await tempDir()
    await copyFile(fixtureV1, join(dir, 'makegood.json'))
    const original = await readFile(fixtureV1, 'utf8')
    const store = await Store.open(dir)
    expect(store.count('cases')).toBe(10)
    expect(store.count('customers')).toBe(9)
    expect(store.settings.businessName).toBe('Harbour Street Bistro')
    const written = store.snapshot()
    await store.close()
    const backups = await readdir(join(dir, 'backups'))
    const before = backups.find((b) => b.includes(`before-migration-v1-to-v${currentSchemaVersion}`))
    expect(before).toBeDefined()
    expect(await readFile(join(dir, 'backups', before!, 'makegood.json'), 'utf8')).toBe(original)
    await expect(readFile(join(dir, 'makegood.json'))).rejects.toMatchObject({ code: 'ENOENT' })
    expect((await readdir(join(dir, 'data', 'months'))).length).toBeGreaterThan(1)
    const reopened = await Store.open(dir)
    expect(reopened.snapshot()).toEqual(written)
    expect(reopened.snapshot().schemaVersion).toBe(currentSchemaVersion)
    await reopened.close()
  })

  it('refuses a sharded folder written by a newer MakeGood', async () => {
    const dir = await tempDir()
    await (await seeded(dir, 2)).close()
    const manifest = JSON.parse(await readFile(join(dir, 'data', 'manifest.json'), 'utf8')) as Record<string, unknown>
    await writeFile(
      join(dir, 'data', 'manifest.json'),
      JSON.stringify({ ...manifest, schemaVersion: currentSchemaVersion + 1 }),
    )
    await expect(Store.open(dir)).rejects.toMatchObject({ code: 'storage', reason: 'store.newer_version' })
  })
})

describe('damaged files', () => {
  it('quarantines a shard that is not JSON, names it, and opens the rest', async () => {
    const dir = await tempDir()
    await (await seeded(dir)).close()
    const months = await readdir(join(dir, 'data', 'months'))
    const victim = join(dir, 'data', 'months', months[0]!)
    await writeFile(victim, '{ "schemaVersion": 2, "cases": [ {"id": "broken", ')
    const store = await Store.open(dir)
    expect(store.problems).toHaveLength(1)
    expect(store.problems[0]?.file).toBe(victim)
    expect(store.problems[0]?.message).toMatch(/not valid JSON/)
    const kept = await readFile(store.problems[0]!.quarantinedAs!, 'utf8')
    expect(kept).toBe('{ "schemaVersion": 2, "cases": [ {"id": "broken", ')
    expect(store.count('cases')).toBeGreaterThan(0)
    expect(store.count('cases')).toBeLessThan(30)
    expect(store.count('customers')).toBe(1)
    await store.commit([{ collection: 'cases', value: makeCase(500, monthIso(0, 6)) }])
    await store.close()
    // Not forgotten on the next start: the problem lives in quarantine/ until it is dealt with.
    const again = await Store.open(dir)
    expect(again.problems).toHaveLength(1)
    expect(again.newProblems).toEqual([])
    expect(again.get('cases', 'case-500')).toBeDefined()
    await again.dismissProblem(again.problems[0]!.id!)
    expect(again.problems).toEqual([])
    await again.close()
    const later = await Store.open(dir, { isReadOnly: true })
    expect(later.problems).toEqual([])
    expect(await readdir(join(dir, 'quarantine', 'dealt-with'))).toHaveLength(2)
    await later.close()
  })

  it('keeps the valid records of a hand-edited shard and quarantines the original', async () => {
    const dir = await tempDir()
    await (await seeded(dir, 12)).close()
    const months = await readdir(join(dir, 'data', 'months'))
    const victim = join(dir, 'data', 'months', months[0]!)
    const shard = JSON.parse(await readFile(victim, 'utf8')) as { cases: { id: string; severity: string }[] }
    const total = shard.cases.length
    shard.cases[0]!.severity = 'catastrophic'
    await writeFile(victim, JSON.stringify(shard))
    const store = await Store.open(dir)
    expect(store.problems[0]).toMatchObject({ file: victim })
    expect(store.problems[0]?.message).toMatch(/1 record\(s\) are not valid: cases\[0\]\.severity/)
    const ids = new Set([...store.all('cases')].map((c) => c.id))
    expect(ids.has(shard.cases[0]!.id)).toBe(false)
    for (const c of shard.cases.slice(1)) expect(ids.has(c.id)).toBe(true)
    expect(total).toBeGreaterThan(1)
    await store.close()
  })

  it('drops a torn last journal line and says so, and quarantines a damaged middle line', async () => {
    const dir = await tempDir()
    const store = await seeded(dir, 5)
    await store.idle()
    const journalDir = join(dir, 'journal')
    const [first] = await listSegments(journalDir)
    const text = await readFile(join(journalDir, segmentName(first!)), 'utf8')
    await store.close()
    // The close checkpointed; put the entries back into the live segment, as after a crash.
    const { journalFrom } = JSON.parse(await readFile(join(dir, 'data', 'manifest.json'), 'utf8')) as {
      journalFrom: number
    }
    const segment = journalFrom
    const path = join(journalDir, segmentName(segment))
    await writeFile(path, `${text}{"seq":99,"changes":[{"collection":"cases","va`)
    const torn = await Store.open(dir)
    expect(torn.newProblems).toHaveLength(1)
    expect(torn.problems[0]?.message).toMatch(/last line \(\d+ bytes\) was cut off and dropped/)
    expect(torn.count('cases')).toBe(5)
    await torn.dismissProblem(torn.problems[0]!.id!)
    await torn.close()
    const lines = text.trimEnd().split('\n')
    lines.splice(2, 0, 'not json at all')
    await writeFile(path, `${lines.join('\n')}\n`)
    await writeFile(join(dir, 'data', 'manifest.json'), JSON.stringify({ schemaVersion: 2, journalFrom }))
    const damaged = await Store.open(dir)
    expect(damaged.problems[0]).toMatchObject({ file: path })
    expect(damaged.problems[0]?.message).toMatch(/line 3 is not a journal entry/)
    expect(damaged.count('cases')).toBe(5)
    expect(await readdir(join(dir, 'quarantine'))).toEqual(
      expect.arrayContaining([expect.stringContaining(segmentName(segment))]),
    )
    await damaged.close()
  })
})

/** The store's next journal segment made /dev/full: every write to it fails with a real ENOSPC. */
async function refuseNextWrites(store: Store, dir: string): Promise<void> {
  const journalDir = join(dir, 'journal')
  const last = (await listSegments(journalDir)).at(-1)!
  await symlink('/dev/full', join(journalDir, segmentName(last + 1)))
  await store.checkpoint()
}

describe('a write the disk refuses', () => {
  it('fails with a typed storage error when the disk is full; memory and disk stay as they were', async () => {
    const dir = await tempDir()
    const store = await seeded(dir, 3)
    const before = JSON.stringify(store.snapshot())
    await refuseNextWrites(store, dir)
    const changed = { ...makeCase(1, monthIso(1, 6), 7, 'cust-1') }
    await expect(store.commit([{ collection: 'cases', value: changed }])).rejects.toMatchObject({
      code: 'storage',
      reason: 'store.disk_full',
    })
    await expect(store.commit([{ collection: 'cases', value: makeCase(77, monthIso(1, 6)) }])).rejects.toMatchObject({
      code: 'storage',
    })
    expect(JSON.stringify(store.snapshot())).toBe(before)
    await store.close()
    const reopened = await Store.open(dir)
    expect(JSON.stringify(reopened.snapshot())).toBe(before)
    await reopened.close()
  })

  it('says clearly that a read-only folder cannot be written to', async () => {
    const dir = await tempDir()
    await (await seeded(dir, 2)).close()
    const bin = join(__dirname, '..', '..', 'bin', 'makegood.cjs')
    // As root, permissions do not bind: run the CLI as an unprivileged user instead.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {}
    await chmod(dir, 0o555)
    const refused = await run(process.execPath, [bin, '--data', dir, 'demo'], {
      ...asUser,
      env: cliEnv('en_US.UTF-8', { HOME: '/tmp' }),
    }).catch((error: { code: number; stderr: string }) => error)
    await chmod(dir, 0o755)
    expect(refused).toMatchObject({ code: 1 })
    expect((refused as { stderr: string }).stderr).toContain('cannot be written to')
    expect((refused as { stderr: string }).stderr).toContain(dir)
    const store = await Store.open(dir)
    expect(store.count('cases')).toBe(2)
    await store.close()
  })
})

describe('appending after a restart', () => {
  it('keeps appending to the last segment and replays everything', async () => {
    const dir = await tempDir()
    const store = await Store.open(dir, { checkpointEntries: 1_000_000, checkpointIdleMs: 1_000_000 })
    for (let i = 0; i < 20; i++) await store.commit([{ collection: 'cases', value: makeCase(i, monthIso(i, 3)) }])
    await appendFile(join(dir, 'journal', segmentName(1)), '')
    const snapshot = store.snapshot()
    await store.close()
    const reopened = await Store.open(dir)
    expect(reopened.snapshot()).toEqual(snapshot)
    await reopened.close()
  })
})

describe('a commit that may wait for the next sync', () => {
  const journalText = async (dir: string) => {
    const segments = await listSegments(join(dir, 'journal'))
    const texts = await Promise.all(segments.map((n) => readFile(join(dir, 'journal', segmentName(n)), 'utf8')))
    return texts.join('')
  }
  const quiet = { checkpointEntries: 1_000_000, checkpointIdleMs: 1_000_000 }

  it('is in memory at once and reaches the disk with the next commit, in the same append', async () => {
    const dir = await tempDir()
    // Held for a minute: only the next commit can bring it to disk.
    const store = await Store.open(dir, { ...quiet, heldSyncMs: 60_000 })
    let isHeldSynced = false
    const held = store
      .commit([{ collection: 'cases', value: makeCase(1, monthIso(1, 3)) }], { mayWait: true })
      .then(() => (isHeldSynced = true))
    expect(store.get('cases', 'case-1')?.id).toBe('case-1')
    expect(await journalText(dir)).not.toContain('"case-1"')
    await store.commit([{ collection: 'cases', value: makeCase(2, monthIso(2, 3)) }])
    expect(isHeldSynced).toBe(true)
    const text = await journalText(dir)
    expect(text).toContain('"case-1"')
    expect(text).toContain('"case-2"')
    await held
    await store.close()
  })

  it('on its own, is on disk a moment later, and closing does not leave it behind', async () => {
    const dir = await tempDir()
    const store = await Store.open(dir, quiet)
    await store.commit([{ collection: 'cases', value: makeCase(1, monthIso(1, 3)) }], { mayWait: true })
    expect(await journalText(dir)).toContain('"case-1"')
    void store.commit([{ collection: 'cases', value: makeCase(2, monthIso(2, 3)) }], { mayWait: true })
    const snapshot = store.snapshot()
    await store.close()
    const reopened = await Store.open(dir)
    expect(reopened.snapshot()).toEqual(snapshot)
    expect(reopened.get('cases', 'case-2')?.id).toBe('case-2')
    await reopened.close()
  })

  it('fails with the commit it shared a refused write with, and memory goes back', async () => {
    const dir = await tempDir()
    const store = await seeded(dir, 3)
    const before = JSON.stringify(store.snapshot())
    await refuseNextWrites(store, dir)
    const held = store.commit([{ collection: 'cases', value: makeCase(40, monthIso(1, 6)) }], { mayWait: true })
    const next = store.commit([{ collection: 'cases', value: makeCase(41, monthIso(1, 6)) }])
    await expect(held).rejects.toMatchObject({ code: 'storage', reason: 'store.disk_full' })
    await expect(next).rejects.toMatchObject({ code: 'storage' })
    expect(JSON.stringify(store.snapshot())).toBe(before)
    await store.close()
  })
})
