import { createHash } from 'node:crypto'
import { type FileHandle, open, readFile, rename, rm } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { type Adapter } from 'lowdb'
import { logger } from '../log/logger'

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

/** Text gathered before each write: large enough for few system calls, small beside the file. */
const piecesPerWrite = 1 << 20

/**
 * Like writeFileDurable, for a text made piece by piece: an export of 100,000 cases is longer
 * than the longest string JavaScript can hold, and would need it twice over in memory. Answers
 * the bytes written.
 */
export async function writePiecesDurable(
  path: string,
  pieces: Iterable<string>,
  onChunk?: (chunk: Buffer) => void,
): Promise<number> {
  let bytes = 0
  await writeDurably(path, async (handle) => {
    let gathered: string[] = []
    let length = 0
    const flush = async () => {
      const chunk = Buffer.from(gathered.join(''), 'utf8')
      gathered = []
      length = 0
      for (let written = 0; written < chunk.length;) {
        written += (await handle.write(chunk, written, chunk.length - written)).bytesWritten
      }
      bytes += chunk.length
      onChunk?.(chunk)
    }
    for (const piece of pieces) {
      gathered.push(piece)
      length += piece.length
      if (length >= piecesPerWrite) await flush()
    }
    await flush()
  })
  return bytes
}

/** tmp → write → fsync → rename → fsync(dir); a failed write leaves the old file and no tmp. */
async function writeDurably(path: string, write: (handle: FileHandle) => Promise<unknown>): Promise<void> {
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
  await rename(tmp, path)
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

  constructor(path: string) {
    this.path = path
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
    this.lastBytes = await writePiecesDurable(this.path, readablePieces(data), (chunk) => hash.update(chunk))
    this.lastHash = hash.digest('hex')
  }
}

/**
 * A shard's text, a record (or a top-level key) at a time: top-level keys on their own lines,
 * arrays of records one record per line.
 */
export function* readablePieces(data: unknown): Generator<string> {
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
    if (Array.isArray(value) && value.length > 0) {
      yield `  ${JSON.stringify(key)}: [\n`
      for (let i = 0; i < value.length; i++) yield `${i > 0 ? ',\n' : ''}    ${JSON.stringify(value[i])}`
      yield '\n  ]'
    } else {
      yield `  ${JSON.stringify(key)}: ${JSON.stringify(value)}`
    }
  }
  yield '\n}\n'
}
