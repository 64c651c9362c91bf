import { type FileHandle, appendFile, mkdir, open, readFile, readdir, rm, truncate } from 'node:fs/promises'
import { join } from 'node:path'
import { fsyncDir, writeFileDurable } from './durable'
import { type Grown } from './growth'

/**
 * One acknowledged commit: the full new records (or the ids of records removed), so replaying it
 * twice changes nothing; a record whose lists only grew holds just the pieces added, with
 * `grown` saying where they go (growth.ts).
 */
export type JournalChange = { collection: string; value?: unknown; removed?: string; grown?: unknown }
export type JournalEntry = { seq: number; changes: JournalChange[] }

export type JournalProblem = { file: string; message: string; quarantinedAs?: string }

export type JournalReplay = {
  entries: JournalEntry[]
  lastSeq: number
  segments: number[]
  problems: JournalProblem[]
}

const segmentPattern = /^(\d{12})\.jsonl$/

/** One entry as a line of a segment. */
export function journalLine(seq: number, changes: readonly unknown[]): string {
  return `${JSON.stringify({ seq, changes })}\n`
}

/** The first five of a problem's details, and how many more there are: a message stays readable. */
export function firstFive(details: readonly string[]): string {
  return `${details.slice(0, 5).join('; ')}${details.length > 5 ? ` (and ${details.length - 5} more)` : ''}`
}

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

/** A change checked against the record schemas: its parsed value, or why it cannot be used. */
export type ChangeCheck = { value: unknown; grown?: Grown } | { removed: string } | { issue: string }

/**
 * Reads every segment in order. An entry is kept when its line is complete JSON, with or without
 * its final newline (a crash right after the write, before nothing else). Everything else is
 * damage, recorded as a problem: a line that does not parse (a torn last line included: it was
 * never acknowledged, but the person must still hear that a write was lost), and a change naming
 * an unknown kind or holding a record that is not valid. The original segment goes to quarantine
 * and a cleaned copy with every readable change takes its place.
 */
export async function readJournal(
  dir: string,
  options: {
    isReadOnly: boolean
    from: number
    quarantine: (path: string, reason: string) => Promise<string>
    check: (change: JournalChange) => ChangeCheck
  },
): Promise<JournalReplay> {
  // Segments below `from` are covered by the shards (a checkpoint ended before deleting them).
  const segments = (await listSegments(dir)).filter((n) => n >= options.from)
  const entries: JournalEntry[] = []
  const problems: JournalProblem[] = []
  let lastSeq = 0
  for (const number of segments) {
    const path = join(dir, segmentName(number))
    const text = await readFile(path, 'utf8')
    const lines = text.split('\n')
    // After the last '\n': a write cut by a crash (or the zeros some file systems leave after a
    // power cut), or a complete line whose newline never made it.
    const tail = lines.pop() ?? ''
    const issues: string[] = []
    const good: string[] = []
    const take = (line: string, lineNumber: number) => {
      let parsed: unknown
      try {
        parsed = JSON.parse(line)
      } catch {
        parsed = undefined
      }
      if (!isEntry(parsed)) return false
      const changes: JournalEntry['changes'] = []
      for (const change of parsed.changes) {
        const checked = options.check(change)
        if ('issue' in checked) issues.push(`line ${lineNumber} (entry ${parsed.seq}): ${checked.issue}`)
        else changes.push({ collection: change.collection, ...checked })
      }
      if (changes.length === 0 && parsed.changes.length > 0) return true
      const entry = { seq: parsed.seq, changes }
      entries.push(entry)
      lastSeq = Math.max(lastSeq, entry.seq)
      good.push(changes.length === parsed.changes.length ? line : JSON.stringify(entry))
      return true
    }
    for (const [index, line] of lines.entries()) {
      if (line.trim() === '') continue
      if (!take(line, index + 1)) issues.push(`line ${index + 1} is not a journal entry`)
    }
    const hasTail = tail.replace(/\0/g, '').trim() !== ''
    if (hasTail && !take(tail, lines.length + 1)) {
      issues.push(
        `its last line (${Buffer.byteLength(tail)} bytes) was cut off and dropped; that write had not been confirmed`,
      )
    }
    if (issues.length > 0) {
      const message = `journal ${segmentName(number)}: ${firstFive(issues)}`
      if (options.isReadOnly) problems.push({ file: path, message })
      else {
        const quarantinedAs = await options.quarantine(path, message)
        await writeFileDurable(path, good.map((l) => `${l}\n`).join(''))
        problems.push({ file: path, message, quarantinedAs })
      }
    } else if (tail !== '' && !options.isReadOnly) {
      // Only zeros after the last newline, or a complete last line: make the file end cleanly so
      // the next append starts on a line of its own.
      if (hasTail) await appendFile(path, '\n')
      else await truncate(path, Buffer.byteLength(text) - Buffer.byteLength(tail))
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
    await mkdir(this.dir, { recursive: true, mode: 0o700 })
    // 'a' (not 'wx'): reopening the last segment after a restart appends to it.
    const handle = await open(join(this.dir, segmentName(number)), 'a', 0o600)
    try {
      const stat = await handle.stat()
      await fsyncDir(this.dir)
      const previous = this.handle
      this.handle = handle
      this.size = stat.size
      this.segment = number
      await previous?.close()
    } catch (error) {
      // The error that matters is the one thrown below; a failed close of this handle adds nothing.
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
      // The text goes as it is: a sweep's line can be ~200 KB (a ladder's evidence), and a Buffer
      // of it at every save is memory the collector must then find. Only a short write (a full
      // disk) needs the bytes, to write the rest.
      const length = Buffer.byteLength(text, 'utf8')
      let written = (await handle.write(text, null, 'utf8')).bytesWritten
      if (written < length) {
        const bytes = Buffer.from(text, 'utf8')
        while (written < length) written += (await handle.write(bytes, written, length - written)).bytesWritten
      }
      await handle.datasync()
      this.size = before + length
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
