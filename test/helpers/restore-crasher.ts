// Spawned by test/integration/restore-crash.test.ts: restores a backup into a data folder and,
// when told a point, stops for good at that file operation (before or after it) so the test can
// SIGKILL it there. Node's own fs functions are wrapped to find the point; MakeGood runs as is.
import fsPromises from 'node:fs/promises'
import { basename } from 'node:path'
import { restoreBackup } from '../../src/main/services/storage/backups'
import { Store } from '../../src/main/store/store'

type Op = 'rename' | 'rm'

async function main(): Promise<void> {
  const [dir = '', name = '', pointText = '-1', side = 'before'] = process.argv.slice(2)
  const stopAt = Number(pointText)
  const store = await Store.open(dir)
  const ctx = { store, now: () => new Date('2026-11-20T09:00:00.000Z') }
  let index = 0
  let isRestoring = false
  const wrap = (op: Op) => {
    const original = fsPromises[op] as (...args: unknown[]) => Promise<void>
    ;(fsPromises as Record<Op, unknown>)[op] = async (...args: unknown[]) => {
      if (!isRestoring) return original(...args)
      const here = index++
      const what = `${op} ${args
        .filter((a) => typeof a === 'string')
        .map((a) => basename(a as string))
        .join(' -> ')}`
      process.stdout.write(`op ${here} ${what}\n`)
      if (here === stopAt && side === 'before') await halt(what)
      await original(...args)
      if (here === stopAt && side === 'after') await halt(what)
    }
  }
  wrap('rename')
  wrap('rm')
  process.stdout.write('ready\n')
  isRestoring = true
  await restoreBackup(ctx, { name })
  isRestoring = false
  process.stdout.write('restored\n')
  await store.close()
}

/** Waits here until the test kills the process. */
function halt(what: string): Promise<never> {
  process.stdout.write(`halted ${what}\n`)
  setInterval(() => undefined, 1000)
  return new Promise<never>(() => undefined)
}

void main()
