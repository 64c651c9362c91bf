import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Store } from '../../src/main/store/store'
import { tempDir } from '../helpers/temp'

const root = join(__dirname, '..', '..')
const racerScript = join(root, 'test', 'helpers', 'lock-racer.ts')

/** A process that tries to become the writer each time it is told `go`. */
type Racer = { child: ChildProcessWithoutNullStreams; ready: Promise<void>; next: () => Promise<string> }

function startRacer(dir: string): Racer {
  const child = spawn(process.execPath, ['--import', 'tsx', racerScript, dir], { cwd: root })
  let err = ''
  let buffer = ''
  const answers: string[] = []
  const waiting: ((line: string) => void)[] = []
  let markReady: () => void = () => undefined
  const ready = new Promise<void>((resolve) => (markReady = resolve))
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString()
    const lines = buffer.split('\n')
    buffer = lines.pop() ?? ''
    for (const line of lines) {
      if (line === 'ready') markReady()
      else if (waiting.length > 0) waiting.shift()!(line)
      else answers.push(line)
    }
  })
  child.once('exit', (code, signal) => {
    if (signal !== 'SIGKILL') for (const w of waiting.splice(0)) w(`error exited ${code}: ${err}`)
  })
  const next = () => {
    child.stdin.write('go\n')
    const queued = answers.shift()
    return queued !== undefined ? Promise.resolve(queued) : new Promise<string>((resolve) => waiting.push(resolve))
  }
  return { child, ready, next }
}

function kill(racer: Racer): Promise<void> {
  if (racer.child.exitCode !== null || racer.child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    racer.child.once('exit', () => resolve())
    racer.child.kill('SIGKILL')
  })
}

describe('one writer per data folder', () => {
  it(
    'lets exactly one of 6 processes racing over a stale lock write, in each of 20 rounds',
    { timeout: 240_000 },
    async () => {
      const dir = await tempDir()
      const racers = Array.from({ length: 6 }, () => startRacer(dir))
      try {
        await Promise.all(racers.map((r) => r.ready))
        // The first stale lock: a writer killed while it held the folder.
        const first = racers[0]!
        expect(await first.next()).toMatch(/^got /)
        await kill(first)
        racers[0] = startRacer(dir)
        const winners = new Set<string>()
        for (let round = 0; round < 20; round++) {
          await Promise.all(racers.map((r) => r.ready))
          // All six are told at once; each has its code loaded, so they reach the lock together.
          const results = await Promise.all(racers.map((r) => r.next()))
          const got = results.filter((r) => r.startsWith('got'))
          expect(
            results.filter((r) => r.startsWith('error')),
            `round ${round}`,
          ).toEqual([])
          expect(got, `round ${round}: ${results.join(', ')}`).toHaveLength(1)
          expect(results.filter((r) => r === 'locked')).toHaveLength(5)
          winners.add(got[0]!)
          // While the winner lives, this process is refused too, and a reader still gets in.
          await expect(Store.open(dir)).rejects.toMatchObject({ code: 'locked' })
          const reader = await Store.open(dir, { isReadOnly: true })
          await reader.close()
          // The winner dies holding the lock: the next round races over a stale one.
          const index = results.findIndex((r) => r.startsWith('got'))
          await kill(racers[index]!)
          racers[index] = startRacer(dir)
        }
        expect(winners.size).toBe(20)
      } finally {
        await Promise.all(racers.map(kill))
      }
    },
  )

  it('takes over a lock left by a process that is gone, in the old and the new format', async () => {
    const dir = await tempDir()
    // An older MakeGood's plain lock file naming a pid that cannot exist (above Linux's pid_max).
    await writeFile(join(dir, 'makegood.lock'), '999999999')
    const store = await Store.open(dir)
    expect(store.isReadOnly).toBe(false)
    await expect(Store.open(dir)).rejects.toMatchObject({ code: 'locked' })
    await store.close()

    const other = await tempDir()
    await mkdir(join(other, 'makegood.lock'))
    await writeFile(join(other, 'makegood.lock', '000000000041'), '999999999\n')
    const taken = await Store.open(other)
    await expect(Store.open(other)).rejects.toMatchObject({ code: 'locked', params: { pid: process.pid } })
    await taken.close()
    // Released cleanly: the next writer gets in at once.
    const again = await Store.open(other)
    await again.close()
  })

  it('refuses a writer while an older MakeGood that is still running holds its plain lock file', async () => {
    const dir = await tempDir()
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'])
    try {
      await writeFile(join(dir, 'makegood.lock'), String(holder.pid))
      await expect(Store.open(dir)).rejects.toMatchObject({ code: 'locked', params: { pid: holder.pid } })
    } finally {
      holder.kill('SIGKILL')
    }
  })
})
