import { z } from 'zod'
import { everything, method, nothing } from '../core/contract'
import { BackupInfo } from './storage'

export const BackupName = z.object({ name: z.string().min(1).max(200) }).strict()

/**
 * Something found damaged in the data folder. It stays open, in every process, until a backup is
 * restored or `storage:dismissProblem` is called with its `id` (the file stays in quarantine/).
 */
export const StorageProblem = z.object({
  /** Absent while the damage was only seen by a read-only process and not set aside yet. */
  id: z.string().optional(),
  file: z.string(),
  message: z.string(),
  quarantinedAs: z.string().optional(),
  foundAt: z.iso.datetime().optional(),
  /** For a damaged month or global file: records brought back from a backup, and records lost. */
  recovered: z.number().int().min(0).optional(),
  missing: z.number().int().min(0).optional(),
})
export type StorageProblem = z.infer<typeof StorageProblem>

export const StorageStatus = z.object({
  /** Open problems: damaged files set aside in quarantine/ (the rest of the data opened). */
  problems: z.array(StorageProblem),
  isFullyLoaded: z.boolean(),
  latestBackup: BackupInfo.nullable(),
})

/** A background job failed in a way a person must act on; shown until the job next succeeds. */
export const BackgroundAlert = z.object({
  kind: z.enum(['backup_failed', 'export_failed']),
  at: z.iso.datetime(),
  message: z.string().max(10_000),
})
export type BackgroundAlert = z.infer<typeof BackgroundAlert>

export const storageContract = {
  'storage:status': method(nothing, StorageStatus, { reads: ['backups'], isUsableWhileLoading: true }),
  /** "I have dealt with it": closes one problem; its file stays in quarantine/dealt-with/. */
  'storage:dismissProblem': method(
    z.object({ id: z.string().min(1).max(300) }).strict(),
    StorageStatus.pick({ problems: true }),
    { changes: ['backups'] },
  ),
  'alerts:list': method(nothing, z.array(BackgroundAlert), { reads: ['backups'], isUsableWhileLoading: true }),
  'backups:list': method(nothing, z.array(BackupInfo), { reads: ['backups'] }),
  'backups:create': method(nothing, BackupInfo, { changes: ['backups'] }),
  'backups:preview': method(
    BackupName,
    z.object({
      backup: BackupInfo,
      counts: z.array(z.object({ kind: z.string(), current: z.number(), inBackup: z.number() })),
    }),
    { reads: everything },
  ),
  'backups:restore': method(BackupName, z.object({ keptAs: z.string() }), { changes: everything }),
}
