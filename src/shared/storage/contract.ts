import { z } from 'zod'
import { everything, method, nothing } from '../core/contract'
import { BackupInfo } from './storage'

export const BackupName = z.object({ name: z.string().min(1).max(200) }).strict()

export const StorageStatus = z.object({
  /** Files found damaged on open: moved to quarantine/, the rest opened. */
  problems: z.array(z.object({ file: z.string(), message: z.string(), quarantinedAs: z.string().optional() })),
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
