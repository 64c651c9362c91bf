import { createHash } from 'node:crypto'
import { type FileHandle, open, readFile, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { type Adapter } from 'lowdb'
import { logger } from '../log/logger'
import { nextTurn } from '../eventLoop'

/**
 * Makes a directory entry (a rename, a new or deleted file) durable. Windows cannot open a
 * directory for fsync and its renames are already journalled by NTFS, so there it is a no-op.
 */
export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/**
 * Writes a whole file so that after a crash either the old or the new content is there:
 * tmp → fsync → rename → fsync(dir). lowdb's own writer (steno) does tmp → rename but never
 * fsyncs, so a power cut could leave an empty or stale file behind an acknowledged write.
 */
export async function writeFileDurable(path: string, text: string | Uint8Array): Promise<void> {
  await writeDurably(path, (handle) => handle.writeFile(text, 'utf8'))
}

/** Bytes gathered before each write: enough for few system calls, small beside the file. */
const bytesPerWrite = 1 << 20

/**
 * Longest stretch of encoding without a turn of the event loop. A checkpoint runs beside saves:
 * gathering and encoding a 1 MB write in one go (~10 ms on a slow laptop) is a wait for every
 * save whose fsync came back meanwhile, and a save awaits several.
 */
const encodeSliceMs = 2

export type PieceWriteOptions = {
  /** Sees each chunk as written (a running hash); the chunk's memory is reused once it returns. */
  onChunk?: (chunk: Buffer) => void
  /** Awaited between stretches of work; a background writer waits here for the saves to pass. */
  giveWay?: () => Promise<void>
} & RenameHooks

/** Told when the written file is about to take the old one's place (its size and time), and when it has. */
export type RenameHooks = {
  beforeRename?: (written: { bytes: number; mtimeMs: number }) => void
  afterRename?: () => void
}

/** A piece of a file: text, bytes as they are, or a mark told the offset it falls at. */
export type Piece = string | Uint8Array | ((offset: number) => void)

/**
 * A list of records written as lines copied from the file it replaces, not from memory (a month's
 * grumbles left on disk when a case of that month changed: see coldMonths.ts). `lines` gives the
 * bytes of its record lines as the shard holds them; `placedAt` hears where they start in the new
 * file, `moving` and `moved` when that file takes the old one's place.
 */
export type CopiedLines = {
  readonly [copied]: true
  readonly count: number
  lines(): Iterable<Buffer>
  placedAt(offset: number): void
  moving(written: { bytes: number; mtimeMs: number }): void
  moved(): void
}
export const copied = Symbol('copied lines')

export function isCopiedLines(value: unknown): value is CopiedLines {
  return typeof value === 'object' && value !== null && copied in value
}

/** How many records a shard's list holds, written from memory or copied. */
export function listLength(value: unknown): number {
  return isCopiedLines(value) ? value.count : (value as unknown[]).length
}

/**
 * Like writeFileDurable, for a text made piece by piece: an export of 100,000 cases is longer
 * than the longest string JavaScript can hold, and would need it twice over in memory. Each piece
 * is encoded straight into one reused buffer (joining the pieces first, then encoding, did the
 * work twice). Answers the bytes written.
 */
export async function writePiecesDurable(
  path: string,
  pieces: Iterable<Piece>,
  { onChunk, giveWay = nextTurn, ...hooks }: PieceWriteOptions = {},
): Promise<number> {
  let bytes = 0
  const writePieces = async (handle: FileHandle) => {
    const buffer = Buffer.allocUnsafe(bytesPerWrite)
    let used = 0
    const writeOut = async (chunk: Buffer) => {
      for (let written = 0; written < chunk.length;) {
        written += (await handle.write(chunk, written, chunk.length - written)).bytesWritten
      }
      bytes += chunk.length
      onChunk?.(chunk)
    }
    let sliceStart = performance.now()
    let sinceCheck = 0
    for (const piece of pieces) {
      if (typeof piece === 'function') {
        piece(bytes + used)
        continue
      }
      const isText = typeof piece === 'string'
      // UTF-8 takes at most three bytes for a UTF-16 unit: a piece that may not fit goes after a write.
      const mostBytes = isText ? piece.length * 3 : piece.length
      if (used + mostBytes > bytesPerWrite) {
        if (used > 0) await writeOut(buffer.subarray(0, used))
        used = 0
        await giveWay()
        sliceStart = performance.now()
      }
      if (mostBytes > bytesPerWrite) {
        await writeOut(isText ? Buffer.from(piece, 'utf8') : Buffer.from(piece.buffer, piece.byteOffset, piece.length))
        continue
      }
      if (isText) used += buffer.write(piece, used)
      else {
        buffer.set(piece, used)
        used += piece.length
      }
      if (++sinceCheck === 64) {
        sinceCheck = 0
        if (performance.now() - sliceStart > encodeSliceMs) {
          await giveWay()
          sliceStart = performance.now()
        }
      }
    }
    if (used > 0) await writeOut(buffer.subarray(0, used))
  }
  await writeDurably(path, writePieces, hooks)
  return bytes
}

/** tmp → write → fsync → rename → fsync(dir); a failed write leaves the old file and no tmp. */
async function writeDurably(
  path: string,
  write: (handle: FileHandle) => Promise<unknown>,
  { beforeRename, afterRename }: RenameHooks = {},
): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.tmp`)
  // Customer data is personal data: readable by its owner only (POSIX; Windows ignores the mode).
  const handle = await open(tmp, 'w', 0o600)
  try {
    await write(handle)
    await handle.sync()
  } catch (error) {
    // The write error is what the caller must see; failing to tidy up after it is only logged.
    await handle.close().catch((closeError: unknown) => logger.warn('store.tmp_close_failed', closeError))
    await rm(tmp, { force: true }).catch((rmError: unknown) => logger.warn('store.tmp_remove_failed', rmError))
    throw error
  }
  await handle.close()
  if (beforeRename) {
    // A rename keeps the file's time: what readers will find at `path` once it is done.
    const { size, mtimeMs } = await stat(tmp)
    beforeRename({ bytes: size, mtimeMs })
  }
  await rename(tmp, path)
  afterRename?.()
  await fsyncDir(dirname(path))
}

export function sha1(text: string | Buffer): string {
  return createHash('sha1').update(text).digest('hex')
}

/**
 * A lowdb adapter with the durable writer above and a hand-written serializer: one record per
 * line, so a shard stays readable (and diffable) without the 30–40 % weight of full indentation.
 * It remembers the hash of what it last read or wrote, which lets the store skip re-validating
 * a shard it wrote itself.
 */
export class DurableJSONFile<T> implements Adapter<T> {
  readonly path: string
  lastHash = ''
  lastBytes = 0
  private readonly giveWay: (() => Promise<void>) | undefined

  constructor(path: string, options: { giveWay?: () => Promise<void> } = {}) {
    this.path = path
    this.giveWay = options.giveWay
  }

  async read(): Promise<T | null> {
    let text: string
    try {
      text = await readFile(this.path, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw error
    }
    this.lastHash = sha1(text)
    this.lastBytes = Buffer.byteLength(text)
    return JSON.parse(text) as T
  }

  /**
   * Written a record at a time through a small buffer, and hashed as it goes: a month of a large
   * shop is tens of megabytes, which a whole text (twice that where a line holds Chinese), its
   * bytes and its hash would each hold again for as long as the checkpoint runs.
   */
  async write(data: T): Promise<void> {
    const hash = createHash('sha1')
    // Lists copied from the file being replaced follow their lines to the new one.
    const copiedLists = Object.values(data as object).filter(isCopiedLines)
    this.lastBytes = await writePiecesDurable(this.path, readablePieces(data), {
      onChunk: (chunk) => hash.update(chunk),
      giveWay: this.giveWay,
      ...(copiedLists.length > 0
        ? {
            beforeRename: (written) => {
              for (const list of copiedLists) list.moving(written)
            },
            afterRename: () => {
              for (const list of copiedLists) list.moved()
            },
          }
        : {}),
    })
    this.lastHash = hash.digest('hex')
  }
}

/**
 * A shard's text, a record (or a top-level key) at a time: top-level keys on their own lines,
 * arrays of records one record per line.
 */
export function* readablePieces(data: unknown): Generator<Piece> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    yield `${JSON.stringify(data)}\n`
    return
  }
  yield '{\n'
  let isFirst = true
  for (const [key, value] of Object.entries(data)) {
    if (value === undefined) continue
    if (!isFirst) yield ',\n'
    isFirst = false
    if (isCopiedLines(value)) {
      if (value.count === 0) {
        yield `  ${JSON.stringify(key)}: []`
        continue
      }
      yield `  ${JSON.stringify(key)}: [\n`
      yield (offset) => value.placedAt(offset)
      yield* value.lines()
      yield '\n  ]'
    } else if (Array.isArray(value) && value.length > 0) {
      yield `  ${JSON.stringify(key)}: [\n`
      for (let i = 0; i < value.length; i++) yield `${i > 0 ? ',\n' : ''}    ${JSON.stringify(value[i])}`
      yield '\n  ]'
    } else {
      yield `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`
    }
  }
  yield '\n}\n'
}
