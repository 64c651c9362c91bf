import { AppError } from '../../../shared/core/errors'
import { type BackupInfo, backupTime, backupsToPrune, isDailyBackupDue } from '../../../shared/storage/storage'
import {
  backupFilePath,
  deleteBackupFiles,
  listBackupFiles,
  readBackupFile,
  writeBackupFile,
} from '../../store/backupFiles'
import { exportPieces, parseExport } from '../../store/exchange'
import { writeBlobsBeside } from '../../store/blobs'
import { type Attachment } from '../../../shared/attachments/attachments'
import { restoreDataSetFiles } from './exchange'
import { logger } from '../../log/logger'
import { fileStamp } from '../../store/layout'
import { type ServiceContext, filesDirOf } from '../context'

export type BackupPreview = {
  backup: BackupInfo
  counts: { kind: string; current: number; inBackup: number }[]
}

/** Newest first (the store lists them in that order). */
export async function listBackups(ctx: ServiceContext): Promise<BackupInfo[]> {
  return (await listBackupFiles(filesDirOf(ctx))).flatMap(({ name, bytes }) => {
    const createdAt = backupTime(name)
    return createdAt ? [{ name, createdAt, bytes, isAutomatic: name.startsWith('makegood-auto-') }] : []
  })
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
  const name = `makegood-${kind}-${fileStamp(now)}.json`
  const data = ctx.store.dataSet()
  // The attached files first, beside the backup: a backup that names a file has it. The copy
  // kept before a restore is the exception: the restore may be what brings a lost file back.
  const hashes = ((data.collections.attachments ?? []) as Attachment[]).map((a) => a.sha256)
  const path = backupFilePath(filesDirOf(ctx), name)
  const skipped = await writeBlobsBeside(path, hashes, ctx.store.blobs, kind === 'before-restore')
  if (skipped.length > 0) logger.warn('backups.attachments_skipped', `${name}: ${skipped.join(', ')}`)
  const bytes = await writeBackupFile(filesDirOf(ctx), name, exportPieces(data))
  const keep = ctx.store.settings.storage.backupsToKeep
  const toPrune = backupsToPrune(await listBackups(ctx), keep).map((old) => old.name)
  await deleteBackupFiles(filesDirOf(ctx), toPrune)
  return { name, createdAt: now.toISOString(), bytes, isAutomatic: kind === 'auto' }
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
  // Only a name the store listed is read: a path or an unknown name is simply not found.
  const backup = (await listBackups(ctx)).find((b) => b.name === name)
  if (!backup) throw new AppError('not_found', `No backup ${name}`, { reason: 'backup.not_found', params: { name } })
  const data = parseExport(await readBackupFile(filesDirOf(ctx), name), name)
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
  await restoreDataSetFiles(ctx, backupFilePath(filesDirOf(ctx), input.name), data)
  await ctx.store.replaceAll(data)
  return { keptAs: kept.name }
}
