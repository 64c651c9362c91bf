import { randomBytes } from 'node:crypto'
import { link, mkdir, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { AppError } from '../../shared/core/errors'

/**
 * One writer per data folder, with a takeover of a dead writer's lock that cannot let two in.
 *
 * `makegood.lock/` holds numbered lock files (`000000000007`), each naming the pid that created
 * it. The highest number is the lock. To take it, a process reads the highest file: a live pid
 * means "locked"; a dead pid or `released` means free, and the process creates the NEXT number
 * with `link()` (which fails if the name exists, so of all racers exactly one creates it, and a
 * file appears only with its pid already written: it never reads as empty). The winner then
 * checks that no higher number appeared (a racer that listed late may create a lower one; it
 * sees the higher one and backs off). Nothing ever deletes the highest file except its own
 * creator backing off, so the highest number only grows and a late racer cannot reuse it.
 * See docs/architecture.md ("One writer per folder") for why no library is used.
 */
export const lockDirName = 'makegood.lock'
const released = 'released'
const namePattern = /^\d{12}$/
const tmpPattern = /^tmp-(\d+)-[0-9a-f]+$/

/** Folders this process holds or is taking: a second writer in the same process is refused too. */
const heldByThisProcess = new Set<string>()

/** Whether a process with this id runs (another user's counts: it exists). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export function lockedError(pid: number, dir: string): AppError {
  return new AppError(
    'locked',
    `Another MakeGood (process ${pid}) is already writing to ${dir}. Close it first, or use read-only commands.`,
    { reason: 'store.locked', params: { pid, dir } },
  )
}

async function generations(lockDir: string): Promise<number[]> {
  const names = await readdir(lockDir)
  return names
    .filter((name) => namePattern.test(name))
    .map(Number)
    .sort((a, b) => a - b)
}

const fileOf = (lockDir: string, n: number) => join(lockDir, String(n).padStart(12, '0'))

/** The pid a lock file names, or 0 when released or unreadable (only a crash leaves it so). */
async function holderOf(path: string): Promise<number | undefined> {
  let text: string
  try {
    text = (await readFile(path, 'utf8')).trim()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  const pid = Number(text)
  return text !== released && Number.isInteger(pid) && pid > 0 ? pid : 0
}

/** A live pid other than ours; our own pid left by an earlier process (pid reuse, containers) is stale. */
const isLiveHolder = (pid: number) => pid > 0 && pid !== process.pid && isProcessAlive(pid)

/** The lock file an older MakeGood wrote (`makegood.lock` as a plain file): honoured while its pid lives. */
async function retireLegacyLock(path: string, dir: string): Promise<void> {
  const info = await stat(path).catch(() => undefined)
  if (!info?.isFile()) return
  const pid = (await holderOf(path)) ?? 0
  if (isLiveHolder(pid)) throw lockedError(pid, dir)
  await rm(path, { force: true })
}

/** Takes the folder's lock or throws a `locked` error naming the live writer. Returns the release. */
export async function acquireLock(dir: string): Promise<() => Promise<void>> {
  const lockDir = join(dir, lockDirName)
  if (heldByThisProcess.has(lockDir)) throw lockedError(process.pid, dir)
  heldByThisProcess.add(lockDir)
  try {
    await retireLegacyLock(lockDir, dir)
    await mkdir(lockDir, { recursive: true, mode: 0o700 })
    const mine = await take(lockDir, dir)
    await sweep(lockDir, mine)
    return async () => {
      // Marked released, not deleted: the highest number must stay so it is never reused.
      const tmp = await writeTmp(lockDir, released)
      await rename(tmp, fileOf(lockDir, mine))
      heldByThisProcess.delete(lockDir)
    }
  } catch (error) {
    heldByThisProcess.delete(lockDir)
    throw error
  }
}

async function writeTmp(lockDir: string, text: string): Promise<string> {
  const tmp = join(lockDir, `tmp-${process.pid}-${randomBytes(6).toString('hex')}`)
  await writeFile(tmp, `${text}\n`, { mode: 0o600 })
  return tmp
}

async function take(lockDir: string, dir: string): Promise<number> {
  // Each failed round means another process moved the lock on meanwhile; it then holds it (and
  // the next round says "locked") or backs off. A bound keeps a pathological folder from spinning.
  for (let round = 0; round < 100; round++) {
    const top = (await generations(lockDir)).at(-1) ?? 0
    if (top > 0) {
      const holder = await holderOf(fileOf(lockDir, top))
      if (holder === undefined) continue
      if (isLiveHolder(holder)) throw lockedError(holder, dir)
    }
    const next = top + 1
    const tmp = await writeTmp(lockDir, String(process.pid))
    try {
      await link(tmp, fileOf(lockDir, next))
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      continue
    } finally {
      await rm(tmp, { force: true })
    }
    // Created from a stale listing below a newer lock: that one stands, ours goes.
    if ((await generations(lockDir)).some((n) => n > next)) {
      await rm(fileOf(lockDir, next), { force: true })
      continue
    }
    return next
  }
  throw lockedError(0, dir)
}

/** Older numbers and the temporary files of dead processes: leftovers, never a lock. */
async function sweep(lockDir: string, mine: number): Promise<void> {
  for (const name of await readdir(lockDir)) {
    const tmpPid = tmpPattern.exec(name)?.[1]
    const isOld = namePattern.test(name) && Number(name) < mine
    if (isOld || (tmpPid !== undefined && !isLiveHolder(Number(tmpPid)) && Number(tmpPid) !== process.pid)) {
      await rm(join(lockDir, name), { force: true })
    }
  }
}
