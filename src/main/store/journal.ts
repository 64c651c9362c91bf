import { type FileHandle, mkdir, open, readFile, readdir, rm, truncate } from 'node:fs/promises'
import { join } from 'node:path'
import { fsyncDir, writeFileDurable } from './durable'

/** One acknowledged commit: the full new records, so replaying it twice changes nothing. */
export type JournalEntry = { seq: number; changes: { collection: string; value: unknown }[] }

export type JournalProblem = { file: string; message: string }

export type JournalReplay = {
  entries: JournalEntry[]
  lastSeq: number
  segments: number[]
  problems: JournalProblem[]
}

const segmentPattern = /^(\d{12})\.jsonl$/

export function segmentName(number: number): string {
  return `${String(number).padStart(12, '0')}.jsonl`
}

function isEntry(value: unknown): value is JournalEntry {
  if (typeof value !== 'object' || value === null) return false
  const entry = value as Partial<JournalEntry>
  return (
    typeof entry.seq === 'number' &&
    Array.isArray(entry.changes) &&
    entry.changes.every(
      (c) => typeof c === 'object' && c !== null && typeof (c as { collection?: unknown }).collection === 'string',
    )
  )
}

export async function listSegments(dir: string): Promise<number[]> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[]
    throw error
  })
  return names
    .map((name) => segmentPattern.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b)
}

/**
 * Reads every segment in order. A bad last line of the last segment is a write that was torn by
 * a crash before it was acknowledged: it is dropped (and cut off the file when writable). A bad
 * line anywhere else means the file was damaged or edited: the original goes to quarantine and a
 * cleaned copy with every readable entry takes its place.
 */
export async function readJournal(
  dir: string,
  options: { isReadOnly: boolean; from: number; quarantine: (path: string, reason: string) => Promise<string> },
): Promise<JournalReplay> {
  // Segments below `from` are covered by the shards (a checkpoint ended before deleting them).
  const segments = (await listSegments(dir)).filter((n) => n >= options.from)
  const entries: JournalEntry[] = []
  const problems: JournalProblem[] = []
  let lastSeq = 0
  for (const [index, number] of segments.entries()) {
    const path = join(dir, segmentName(number))
    const text = await readFile(path, 'utf8')
    const isLastSegment = index === segments.length - 1
    const lines = text.split('\n')
    // A complete write ends with '\n': anything after the last one was torn by a crash before
    // it was acknowledged (including the zeros some file systems leave after a power cut).
    const tail = lines.pop() ?? ''
    const bad: number[] = []
    const good: string[] = []
    for (const [lineIndex, line] of lines.entries()) {
      if (line.trim() === '') continue
      let parsed: unknown
      try {
        parsed = JSON.parse(line)
      } catch {
        parsed = undefined
      }
      if (isEntry(parsed)) {
        entries.push(parsed)
        lastSeq = Math.max(lastSeq, parsed.seq)
        good.push(line)
      } else {
        bad.push(lineIndex + 1)
      }
    }
    if (bad.length > 0 || (tail !== '' && !isLastSegment)) {
      const which = bad.length > 0 ? `lines ${bad.slice(0, 10).join(', ')}${bad.length > 10 ? '…' : ''}` : 'its end'
      problems.push({ file: path, message: `journal ${which} could not be read` })
      if (!options.isReadOnly) {
        await options.quarantine(path, `unreadable ${which}`)
        await writeFileDurable(path, good.map((l) => `${l}\n`).join(''))
      }
    } else if (tail !== '' && !options.isReadOnly) {
      await truncate(path, Buffer.byteLength(text) - Buffer.byteLength(tail))
    }
  }
  return { entries, lastSeq, segments, problems }
}

/**
 * The append side of the write-ahead journal: one open file descriptor, every append followed by
 * fdatasync before the caller is told it is done. A failed append is cut back off the file, so
 * the file never holds a line whose commit was reported as failed.
 */
export class JournalWriter {
  readonly dir: string
  private handle: FileHandle | undefined
  private size = 0
  segment = 0
  private brokenError: Error | undefined

  constructor(dir: string) {
    this.dir = dir
  }

  async openSegment(number: number): Promise<void> {
    await mkdir(this.dir, { recursive: true })
    // 'a' (not 'wx'): reopening the last segment after a restart appends to it.
    const handle = await open(join(this.dir, segmentName(number)), 'a')
    try {
      const stat = await handle.stat()
      await fsyncDir(this.dir)
      const previous = this.handle
      this.handle = handle
      this.size = stat.size
      this.segment = number
      await previous?.close()
    } catch (error) {
      await handle.close().catch(() => undefined)
      throw error
    }
  }

  /** Appends and syncs; if either fails, the file is cut back to where it was. */
  async append(text: string): Promise<void> {
    if (this.brokenError) throw this.brokenError
    const handle = this.handle
    if (!handle) throw new Error('The journal is not open')
    const before = this.size
    try {
      const bytes = Buffer.from(text, 'utf8')
      let written = 0
      while (written < bytes.length) {
        const { bytesWritten } = await handle.write(bytes, written, bytes.length - written)
        written += bytesWritten
      }
      await handle.datasync()
      this.size = before + bytes.length
    } catch (error) {
      try {
        await handle.truncate(before)
        await handle.datasync()
      } catch {
        this.brokenError = new Error(
          `The journal ${join(this.dir, segmentName(this.segment))} could not be repaired after a failed write`,
        )
      }
      throw error
    }
  }

  /** Starts a new segment: later appends go there, older segments can go once snapshots cover them. */
  async rotate(): Promise<number> {
    await this.openSegment(this.segment + 1)
    return this.segment
  }

  get isBroken(): boolean {
    return this.brokenError !== undefined
  }

  async close(): Promise<void> {
    await this.handle?.close()
    this.handle = undefined
  }
}

/** Deletes segments older than `before`, oldest first, then makes the deletions durable. */
export async function deleteSegmentsBefore(dir: string, before: number): Promise<void> {
  for (const number of await listSegments(dir)) {
    if (number >= before) break
    await rm(join(dir, segmentName(number)), { force: true })
  }
  await fsyncDir(dir)
}
