import { mkdir, readFile, readdir, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { AppError } from '../../../shared/core/errors'
import {
  type BackupInfo,
  backupNamePattern,
  backupTime,
  backupsToPrune,
  isDailyBackupDue,
} from '../../../shared/storage/storage'
import { writeFileDurable } from '../../store/durable'
import { exportText, parseExport } from '../../store/exchange'
import { storageError } from '../../store/store'
import { type ServiceContext } from '../context'
import { logger } from '../../log/logger'

export type BackupPreview = {
  backup: BackupInfo
  counts: { kind: string; current: number; inBackup: number }[]
}

const backupsDir = (ctx: ServiceContext) => join(ctx.store.dir, 'backups')
const stampOf = (date: Date) => date.toISOString().replace(/[:.]/g, '-')

export async function listBackups(ctx: ServiceContext): Promise<BackupInfo[]> {
  const names = await readdir(backupsDir(ctx)).catch((error: NodeJS.ErrnoException) => {
    // No folder yet is no backups yet; anything else (a file in its place, no permission) is logged.
    if (error.code !== 'ENOENT') logger.warn('backups.list_failed', error)
    return [] as string[]
  })
  const out: (BackupInfo & { mtimeMs: number })[] = []
  for (const name of names) {
    const createdAt = backupTime(name)
    if (!createdAt) continue
    const { size, mtimeMs } = await stat(join(backupsDir(ctx), name))
    out.push({ name, createdAt, bytes: size, isAutomatic: name.startsWith('makegood-auto-'), mtimeMs })
  }
  // Newest first; two backups in the same millisecond (a fixed clock) are told apart by the disk.
  return out
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.mtimeMs - a.mtimeMs)
    .map(({ mtimeMs: _mtimeMs, ...backup }) => backup)
}

/**
 * One backup = the export file of the whole data set at one instant, written durably into
 * `backups/`; then the oldest beyond the number to keep are removed.
 */
export async function createBackup(
  ctx: ServiceContext,
  kind: 'auto' | 'manual' | 'before-restore' = 'manual',
): Promise<BackupInfo> {
  if (ctx.store.isReadOnly)
    throw new AppError('read_only', 'This data folder is open read-only', { reason: 'store.read_only' })
  const now = ctx.now()
  const name = `makegood-${kind}-${stampOf(now)}.json`
  const text = exportText(ctx.store.dataSet())
  try {
    await mkdir(backupsDir(ctx), { recursive: true, mode: 0o700 })
    await writeFileDurable(join(backupsDir(ctx), name), text)
  } catch (error) {
    throw storageError(ctx.store.dir, error)
  }
  for (const old of backupsToPrune(await listBackups(ctx), ctx.store.settings.storage.backupsToKeep)) {
    await rm(join(backupsDir(ctx), old.name), { force: true })
  }
  return { name, createdAt: now.toISOString(), bytes: Buffer.byteLength(text), isAutomatic: kind === 'auto' }
}

/** Called by the runtime (src/main/runtime) on start and hourly: a backup a day when the setting is on. */
export async function backUpIfDue(ctx: ServiceContext): Promise<BackupInfo | undefined> {
  if (ctx.store.isReadOnly || !ctx.store.settings.storage.isDailyBackupOn) return undefined
  await ctx.store.whenFullyLoaded()
  // After a damaged file was set aside, daily copies of what is left must not push the good
  // backups out of the kept ones: automatic backups pause while any problem is open (in any
  // process: read from quarantine/), until a restore or the person says it was dealt with.
  if ((await ctx.store.refreshProblems()).length > 0) return undefined
  if (!isDailyBackupDue(await listBackups(ctx), ctx.now())) return undefined
  return createBackup(ctx, 'auto')
}

async function readBackup(ctx: ServiceContext, name: string) {
  if (!backupNamePattern.test(name)) {
    throw new AppError('not_found', `No backup ${name}`, { reason: 'backup.not_found', params: { name } })
  }
  const backup = (await listBackups(ctx)).find((b) => b.name === name)
  if (!backup) throw new AppError('not_found', `No backup ${name}`, { reason: 'backup.not_found', params: { name } })
  const data = parseExport(await readFile(join(backupsDir(ctx), name), 'utf8'), name)
  return { backup, data }
}

/** What a restore would replace: record counts now and in the backup, per kind. */
export async function previewBackup(ctx: ServiceContext, input: { name: string }): Promise<BackupPreview> {
  const { backup, data } = await readBackup(ctx, input.name)
  const current = ctx.store.dataSet().collections
  const kinds = [...new Set([...Object.keys(current), ...Object.keys(data.collections)])].sort()
  return {
    backup,
    counts: kinds.map((kind) => ({
      kind,
      current: current[kind]?.length ?? 0,
      inBackup: data.collections[kind]?.length ?? 0,
    })),
  }
}

/** Keeps a copy of the current data first, then replaces everything with the backup. */
export async function restoreBackup(ctx: ServiceContext, input: { name: string }): Promise<{ keptAs: string }> {
  const { data } = await readBackup(ctx, input.name)
  const kept = await createBackup(ctx, 'before-restore')
  await ctx.store.replaceAll(data)
  return { keptAs: kept.name }
}
