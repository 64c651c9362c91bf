import { spawn } from 'node:child_process'
import { cp } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createBackup } from '../../src/main/services/storage/backups'
import { exportText } from '../../src/main/store/exchange'
import { Store } from '../../src/main/store/store'
import { makeCase, makeCustomer, monthIso } from '../helpers/records'
import { tempDir } from '../helpers/temp'

const root = join(__dirname, '..', '..')
const script = join(root, 'test', 'helpers', 'restore-crasher.ts')

/** Runs a restore in its own process; with a point, SIGKILLs it there. Returns what it printed. */
function restoreIn(dir: string, backup: string, point = -1, side: 'before' | 'after' = 'before'): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, dir, backup, String(point), side], { cwd: root })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      if (out.includes('halted ')) child.kill('SIGKILL')
    })
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
    child.once('exit', (code, signal) => {
      if (point >= 0 && signal !== 'SIGKILL') reject(new Error(`not killed at ${point} (${code}):\n${out}\n${err}`))
      else if (point < 0 && code !== 0) reject(new Error(`restore failed (${code}):\n${out}\n${err}`))
      else resolve(out)
    })
  })
}

async function exported(dir: string, isReadOnly: boolean): Promise<string> {
  const store = await Store.open(dir, { isReadOnly })
  try {
    return exportText(store.dataSet())
  } finally {
    await store.close()
  }
}

describe('a restore killed during its staging swap', () => {
  it('leaves a folder that opens with the old or the new data, never a mix', { timeout: 300_000 }, async () => {
    // The backup (new data after the restore) has 24 cases; the folder (old data) has 36, 12 of
    // them changed since, across six months: a mix would show in the export.
    const template = await tempDir()
    const store = await Store.open(template)
    const ctx = { store, now: () => new Date('2026-11-19T09:00:00.000Z') }
    await store.commit([{ collection: 'customers', value: makeCustomer(1) }])
    for (let i = 0; i < 24; i++)
      await store.commit([{ collection: 'cases', value: makeCase(i, monthIso(i, 6), 1, 'cust-1') }])
    const backup = await createBackup(ctx, 'manual')
    const restored = exportText(store.dataSet())
    for (let i = 12; i < 36; i++)
      await store.commit([{ collection: 'cases', value: makeCase(i, monthIso(i, 6), 2, 'cust-1') }])
    const original = exportText(store.dataSet())
    await store.close()
    expect(original).not.toBe(restored)

    // A full run lists every rename and removal the restore makes.
    const full = await tempDir()
    await cp(template, full, { recursive: true })
    const ops = (await restoreIn(full, backup.name)).split('\n').filter((l) => l.startsWith('op '))
    expect(await exported(full, false)).toBe(restored)
    const swap = ops.filter((l) => /\bdata(\.old|\.staging)?\b/.test(l.replace(/^op \d+ \w+ /, '')))
    const stagedShards = ops.filter((l) => /^op \d+ rename \..*\.tmp -> /.test(l))
    const journal = ops.filter((l) => /\.jsonl/.test(l))
    // Every step of the swap itself, the first and last shard written into staging, and the
    // journal clean-up after it.
    const points = [...new Set([...swap, stagedShards[0], stagedShards.at(-1), journal[0]])]
      .filter((l): l is string => l !== undefined)
      .map((l) => Number(l.split(' ')[1]))
      .sort((a, b) => a - b)
    expect(swap.length).toBeGreaterThanOrEqual(4)
    const outcomes = { old: 0, new: 0 }
    for (const point of points) {
      for (const side of ['before', 'after'] as const) {
        const dir = await tempDir()
        await cp(template, dir, { recursive: true })
        const out = await restoreIn(dir, backup.name, point, side)
        const where = `killed ${side} ${out.split('\n').find((l) => l.startsWith('halted '))}`
        // A reader first (it must not repair anything), then the next writer, then a reader again.
        const seen = await exported(dir, true)
        expect([original, restored], where).toContain(seen)
        const opened = await exported(dir, false)
        expect(opened, where).toBe(seen)
        expect(await exported(dir, true), where).toBe(seen)
        outcomes[seen === original ? 'old' : 'new']++
      }
    }
    process.stdout.write(`restore kills: ${points.length * 2} (old data ${outcomes.old}, new data ${outcomes.new})\n`)
    expect(outcomes.old).toBeGreaterThan(0)
    expect(outcomes.new).toBeGreaterThan(0)
  })
})
