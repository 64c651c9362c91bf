import { mkdir, readFile, readdir, rename, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { AppError } from '../../shared/core/errors'
import { fsyncDir, writeFileDurable } from './durable'
import { type JournalProblem } from './journal'
import { chmodOwnerOnly, exists, fileStamp, quarantineDirName } from './layout'
import { readOnlyError } from './storeErrors'

/**
 * Something found wrong in the data folder. A writer moves the damaged file to quarantine/ with a
 * `.why.txt` beside it, and the problem stays open (in every process, read from that folder) until
 * a backup is restored or the person says it was dealt with (the pair moves to
 * quarantine/dealt-with/). A read-only open cannot move files: what it finds is reported each time.
 */
export type StorageProblem = {
  /** The name in quarantine/, which `dismissProblem` takes; absent while not yet set aside. */
  id?: string
  file: string
  message: string
  quarantinedAs?: string
  /** When the file was set aside. */
  foundAt?: string
  /** For a damaged shard: records brought back from a backup, and records that are lost. */
  recovered?: number
  missing?: number
}

/** A shard found damaged on this open, completed from a backup once everything is loaded. */
export type DamagedShard = { problem: StorageProblem; read: number; hasSettings: boolean }

const dealtWithDirName = 'dealt-with'
const whySuffix = '.why.txt'

/** The open problems of one data folder: those in quarantine/ and those this open found. */
export class Problems {
  /** Found by this open (new damage); the ones it set aside are also in `onDisk`. */
  readonly found: StorageProblem[] = []
  /** The open problems in quarantine/ as last read. */
  private onDisk: StorageProblem[] = []
  readonly damaged = new Map<string, DamagedShard>()
  private readonly quarantineDir: string

  constructor(
    private readonly dir: string,
    private readonly isReadOnly: boolean,
  ) {
    this.quarantineDir = join(dir, quarantineDirName)
  }

  /** Every open problem: those set aside in quarantine/ and those found now but not set aside. */
  get all(): readonly StorageProblem[] {
    return [...this.onDisk, ...this.found.filter((p) => p.quarantinedAs === undefined)]
  }

  /** Reads quarantine/ again: another process may have found or dismissed a problem. */
  async refresh(): Promise<readonly StorageProblem[]> {
    this.onDisk = await readQuarantine(this.quarantineDir)
    return this.all
  }

  /** "I have dealt with it": the file and its note move to quarantine/dealt-with/, kept. */
  async dismiss(id: string): Promise<void> {
    if (this.isReadOnly) throw readOnlyError()
    const isName = /^[^/\\]+$/.test(id) && id !== '.' && id !== '..' && !id.endsWith(whySuffix)
    if (!isName || !(await exists(join(this.quarantineDir, `${id}${whySuffix}`)))) {
      throw new AppError('not_found', `No open storage problem ${id}`, {
        reason: 'storage.problem_not_found',
        params: { id },
      })
    }
    await this.moveToDealtWith([id])
    await this.refresh()
  }

  /** After a restore nothing found before describes the data: every open problem is dealt with. */
  async dealWithAll(): Promise<void> {
    this.found.length = 0
    this.damaged.clear()
    await this.refresh()
    await this.moveToDealtWith(this.onDisk.flatMap((p) => (p.id ? [p.id] : [])))
    await this.refresh()
  }

  /** Records a damaged file; a writer also sets it aside in quarantine/. */
  async report(path: string, message: string): Promise<StorageProblem> {
    const problem: StorageProblem = { file: path, message }
    if (!this.isReadOnly) {
      problem.quarantinedAs = await this.quarantine(path, message)
      problem.id = basename(problem.quarantinedAs)
    }
    this.found.push(problem)
    return problem
  }

  /** What the journal replay found (it sets damaged segments aside itself, through `quarantine`). */
  addFromJournal(problems: JournalProblem[]): void {
    for (const p of problems) this.found.push(p.quarantinedAs ? { ...p, id: basename(p.quarantinedAs) } : p)
  }

  /** Moves a damaged file into quarantine/ (never overwriting anything there), with a note why. */
  async quarantine(path: string, reason: string): Promise<string> {
    const target = await this.freeTarget(basename(path))
    await rename(path, target)
    // The damaged file may have come from anywhere; it still holds customer data.
    await chmodOwnerOnly(target)
    await writeWhy(target, { file: path, message: reason })
    await fsyncDir(join(path, '..'))
    return target
  }

  /**
   * Records what the open could not apply (no file of its own is damaged): a writer keeps it in
   * quarantine/ as `name`, so what was left out can still be read there.
   */
  async reportLeftOut(file: string, name: string, content: string, message: string): Promise<void> {
    const problem: StorageProblem = { file, message }
    if (!this.isReadOnly) {
      const target = await this.freeTarget(name)
      await writeFileDurable(target, content)
      await chmodOwnerOnly(target)
      await writeWhy(target, problem)
      problem.quarantinedAs = target
      problem.id = basename(target)
    }
    this.found.push(problem)
  }

  /** A path in quarantine/ for `name`, stamped with the time and never one already there. */
  private async freeTarget(name: string): Promise<string> {
    const dir = this.quarantineDir
    await mkdir(dir, { recursive: true, mode: 0o700 })
    const stamp = fileStamp(new Date())
    let target = join(dir, `${stamp}-${name}`)
    for (let n = 2; await exists(target); n++) target = join(dir, `${stamp}-${n}-${name}`)
    return target
  }

  private async moveToDealtWith(ids: string[]): Promise<void> {
    if (ids.length === 0) return
    const dir = this.quarantineDir
    const target = join(dir, dealtWithDirName)
    await mkdir(target, { recursive: true, mode: 0o700 })
    for (const id of ids) {
      for (const name of [id, `${id}${whySuffix}`]) {
        await rename(join(dir, name), join(target, name)).catch((error: NodeJS.ErrnoException) => {
          // A note whose file was removed by hand: the note alone is moved.
          if (error.code !== 'ENOENT') throw error
        })
      }
    }
    await fsyncDir(target)
    await fsyncDir(dir)
  }
}

/** The problem note beside a quarantined file: the original path, then what was wrong. */
export async function writeWhy(target: string, problem: StorageProblem): Promise<void> {
  const lines = [problem.file, problem.message.replace(/\n/g, ' ')]
  if (problem.recovered !== undefined) lines.push(`recovered: ${problem.recovered}`)
  if (problem.missing !== undefined) lines.push(`missing: ${problem.missing}`)
  await writeFileDurable(`${target}${whySuffix}`, `${lines.join('\n')}\n`)
}

/** The open problems: every `*.why.txt` directly in quarantine/ (dealt-with/ holds the closed ones). */
export async function readQuarantine(dir: string): Promise<StorageProblem[]> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[]
    throw error
  })
  const out: StorageProblem[] = []
  for (const name of names.filter((n) => n.endsWith(whySuffix)).sort()) {
    const path = join(dir, name)
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)])
    const [file = '', message = '', ...rest] = text.split('\n')
    const id = name.slice(0, -whySuffix.length)
    const problem: StorageProblem = {
      id,
      file,
      message,
      quarantinedAs: join(dir, id),
      foundAt: info.mtime.toISOString(),
    }
    for (const line of rest) {
      const [key, value] = line.split(': ')
      if ((key === 'recovered' || key === 'missing') && /^\d+$/.test(value ?? '')) problem[key] = Number(value)
    }
    out.push(problem)
  }
  return out
}
