import { copyFile, mkdir, open as openFile, readFile, readdir, rm, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { AppError } from '../../shared/core/errors'
import { backupNamePattern } from '../../shared/storage/storage'
import { logger } from '../log/logger'
import { besideDir } from './blobs'
import { type DataSet } from './dataSet'
import { fsyncDir, writePiecesDurable } from './durable'
import { rawExportOf } from './exchange'
import { backupsDirName, chmodOwnerOnly, fileStamp } from './layout'
import { currentSchemaVersion, migrate } from './migrations'
import { storageError } from './storeErrors'

/**
 * The files in `backups/`. Which backups to make and which to prune is the backups service's
 * policy; reading, writing and deleting the files is done here, with the rest of the folder.
 */
export type BackupFile = { name: string; bytes: number; mtimeMs: number }

const backupsDir = (storeDir: string) => join(storeDir, backupsDirName)

/** Only a backup's own name (never a path) reaches the disk. */
function backupPath(storeDir: string, name: string): string {
  if (!backupNamePattern.test(name))
    throw new AppError('not_found', `No backup ${name}`, { reason: 'backup.not_found', params: { name } })
  return join(backupsDir(storeDir), name)
}

/** The path of a listed backup's JSON (its attached files are in the folder beside it). */
export const backupFilePath = (storeDir: string, name: string): string => backupPath(storeDir, name)

const backupStamp = (name: string) => backupNamePattern.exec(name)?.[2] ?? ''

/** Every backup file, newest first (two in the same millisecond, a fixed clock, told apart by the disk). */
export async function listBackupFiles(storeDir: string): Promise<BackupFile[]> {
  const names = await readdir(backupsDir(storeDir)).catch((error: NodeJS.ErrnoException) => {
    // No folder yet is no backups yet; anything else (a file in its place, no permission) is logged.
    if (error.code !== 'ENOENT') logger.warn('backups.list_failed', error)
    return [] as string[]
  })
  const out: BackupFile[] = []
  for (const name of names.filter((n) => backupNamePattern.test(n))) {
    const { size, mtimeMs } = await stat(join(backupsDir(storeDir), name))
    out.push({ name, bytes: size, mtimeMs })
  }
  return out.sort((a, b) => backupStamp(b.name).localeCompare(backupStamp(a.name)) || b.mtimeMs - a.mtimeMs)
}

/**
 * Writes one backup durably, piece by piece (exportPieces); answers its size in bytes. A failure
 * is the typed storage error (disk full, not writable).
 */
export async function writeBackupFile(storeDir: string, name: string, pieces: Iterable<string>): Promise<number> {
  const path = backupPath(storeDir, name)
  try {
    await mkdir(backupsDir(storeDir), { recursive: true, mode: 0o700 })
    return await writePiecesDurable(path, pieces)
  } catch (error) {
    throw storageError(storeDir, error)
  }
}

export async function readBackupFile(storeDir: string, name: string): Promise<Buffer> {
  return readFile(backupPath(storeDir, name))
}

export async function deleteBackupFiles(storeDir: string, names: string[]): Promise<void> {
  for (const name of names) {
    await rm(backupPath(storeDir, name), { force: true })
    // The attached files beside it (hard links where the disk allows: the data folder keeps its own).
    await rm(besideDir(backupPath(storeDir, name)), { recursive: true, force: true })
  }
}

/** The newest backup that can be read, leniently: the caller checks its records one by one. */
export async function newestReadableBackup(storeDir: string): Promise<{ name: string; data: DataSet } | undefined> {
  for (const { name } of await listBackupFiles(storeDir)) {
    try {
      const raw = rawExportOf(await readBackupFile(storeDir, name), name)
      const data = migrate(raw, name) as Partial<DataSet>
      if (typeof data !== 'object' || data === null || typeof data.collections !== 'object') continue
      return {
        name,
        data: { schemaVersion: currentSchemaVersion, settings: data.settings!, collections: data.collections },
      }
    } catch (error) {
      logger.warn('store.backup_unreadable', error)
    }
  }
  return undefined
}

/** A copy of a data file kept in its own `backups/<time>-<label>/` folder (migrations). */
export async function copyIntoBackups(storeDir: string, path: string, label: string): Promise<string> {
  const dir = join(backupsDir(storeDir), `${fileStamp(new Date())}-${label}`)
  await mkdir(dir, { recursive: true, mode: 0o700 })
  const target = join(dir, basename(path))
  await copyFile(path, target)
  await chmodOwnerOnly(target)
  const handle = await openFile(target, 'r+')
  await handle.sync()
  await handle.close()
  await fsyncDir(dir)
  return target
}

export async function moveIntoBackups(storeDir: string, path: string, label: string): Promise<void> {
  await copyIntoBackups(storeDir, path, label)
  await rm(path, { force: true })
  await fsyncDir(storeDir)
}
