import { createHash } from 'node:crypto'
import { link, mkdir, readFile, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { AppError } from '../../shared/core/errors'
import { fsyncDir, writeFileDurable } from './durable'
import { attachmentsDirName } from './layout'

/**
 * Content-addressed bytes (attachments): each content is stored once, under its SHA-256, and
 * never changes. The folder keeps files `attachments/ab/abcdef…`; the team database a table.
 */
export type BlobStore = {
  /** Stores the bytes (once: the same content again is a no-op) and answers their SHA-256. */
  put(bytes: Uint8Array): Promise<string>
  /** The bytes, checked against their hash: damage is an error, never silently served. */
  get(sha256: string): Promise<Buffer>
  has(sha256: string): Promise<boolean>
  /** The file on disk (folder only): the system viewer opens a copy of it. */
  readonly isFolder: boolean
}

export const sha256Of = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex')

const shaPattern = /^[0-9a-f]{64}$/

export function blobDamaged(sha256: string, where: string): AppError {
  return new AppError('storage', `The stored file ${sha256} in ${where} is damaged: its content no longer matches`, {
    reason: 'attachments.damaged',
    params: { sha256 },
  })
}

export function blobMissing(sha256: string): AppError {
  return new AppError('not_found', `The stored file ${sha256} is missing`, {
    reason: 'attachments.missing',
    params: { sha256 },
  })
}

/** Only a hash reaches the disk as a name: `attachments/ab/abcdef…`. */
export function blobPath(dir: string, sha256: string): string {
  return contentPath(join(dir, attachmentsDirName), sha256)
}

/** `root/ab/abcdef…`: the layout of the data folder's attachments/ and of the folder beside an export. */
function contentPath(root: string, sha256: string): string {
  if (!shaPattern.test(sha256)) throw blobMissing(sha256)
  return join(root, sha256.slice(0, 2), sha256)
}

export class FolderBlobs implements BlobStore {
  readonly isFolder = true
  constructor(private readonly dir: string) {}

  async put(bytes: Uint8Array): Promise<string> {
    const sha256 = sha256Of(bytes)
    const path = blobPath(this.dir, sha256)
    // Same hash, same size: the content is already there (a damaged copy is caught when read).
    const found = await stat(path).catch(() => undefined)
    if (found?.size === bytes.length) return sha256
    await mkdir(join(this.dir, attachmentsDirName, sha256.slice(0, 2)), { recursive: true, mode: 0o700 })
    await writeFileDurable(path, bytes)
    return sha256
  }

  async get(sha256: string): Promise<Buffer> {
    const bytes = await readFile(blobPath(this.dir, sha256)).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' ? blobMissing(sha256) : error
    })
    if (sha256Of(bytes) !== sha256) throw blobDamaged(sha256, this.dir)
    return bytes
  }

  async has(sha256: string): Promise<boolean> {
    return stat(blobPath(this.dir, sha256)).then(
      () => true,
      () => false,
    )
  }

  /** Where the bytes are: only after `get` has checked them. */
  pathOf(sha256: string): string {
    return blobPath(this.dir, sha256)
  }
}

/**
 * Export files and backups carry attachment bytes in a folder beside the JSON, named after it
 * (`export.json` → `export.json.attachments/ab/abcdef…`): no size ceiling (a JSON string has
 * one), and the same layout as the data folder's, so a backup can hard-link instead of copy.
 */
export const besideDir = (jsonPath: string): string => `${jsonPath}.${attachmentsDirName}`

/**
 * Writes each content into the folder beside an export or backup; answers the hashes it could
 * not (missing or damaged in the store) when `isLenient`, and otherwise throws at the first.
 */
export async function writeBlobsBeside(
  jsonPath: string,
  hashes: Iterable<string>,
  source: BlobStore,
  isLenient = false,
): Promise<string[]> {
  const dir = besideDir(jsonPath)
  let count = 0
  const skipped: string[] = []
  for (const sha256 of new Set(hashes)) {
    // Read (and so checked against its hash) before copying: a backup never carries damage silently.
    const bytes = await source.get(sha256).catch((error: unknown) => {
      if (
        !isLenient ||
        !(error instanceof AppError) ||
        (error.code === 'storage' && error.reason !== 'attachments.damaged')
      )
        throw error
      skipped.push(sha256)
      return undefined
    })
    if (!bytes) continue
    const target = contentPath(dir, sha256)
    await mkdir(join(dir, sha256.slice(0, 2)), { recursive: true, mode: 0o700 })
    const found = await stat(target).catch(() => undefined)
    if (found?.size !== bytes.length) {
      // A hard link costs no space (content-addressed files never change); another disk copies.
      const linked =
        source instanceof FolderBlobs &&
        (await rm(target, { force: true })
          .then(() => link(source.pathOf(sha256), target))
          .then(
            () => true,
            () => false,
          ))
      if (!linked) await writeFileDurable(target, bytes)
    }
    count++
  }
  if (count > 0) await fsyncDir(dir)
  return skipped
}

/** Reads the contents an export or backup names from the folder beside it, each checked against its hash. */
export async function readBlobsBeside(jsonPath: string, sha256: string): Promise<Buffer> {
  const dir = besideDir(jsonPath)
  const bytes = await readFile(contentPath(dir, sha256)).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error
    throw new AppError('invalid_input', `${dir} lacks the attached file ${sha256}`, {
      reason: 'import.attachment_missing',
      params: { path: dir, sha256 },
    })
  })
  if (sha256Of(bytes) !== sha256) throw blobDamaged(sha256, dir)
  return bytes
}
