import { z } from 'zod'

/** Storage settings: automatic daily backups and how many to keep. */
export const StorageSettings = z.object({
  isDailyBackupOn: z.boolean().default(true),
  backupsToKeep: z.number().int().min(1).max(365).default(7),
})
export type StorageSettings = z.infer<typeof StorageSettings>

export function defaultStorageSettings(): StorageSettings {
  return { isDailyBackupOn: true, backupsToKeep: 7 }
}

export const BackupInfo = z.object({
  name: z.string(),
  createdAt: z.iso.datetime(),
  bytes: z.number(),
  isAutomatic: z.boolean(),
})
export type BackupInfo = z.infer<typeof BackupInfo>

export const backupNamePattern =
  /^makegood-(auto|manual|before-restore)-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z)\.json$/

/** `2026-11-23T10-00-00-000Z` (file-name safe) back to an ISO time. */
export function backupTime(name: string): string | undefined {
  const stamp = backupNamePattern.exec(name)?.[2]
  if (!stamp) return undefined
  const [day, time] = stamp.split('T') as [string, string]
  const [h, m, s, ms] = time.replace('Z', '').split('-')
  return `${day}T${h}:${m}:${s}.${ms}Z`
}

/** Whether a daily backup is due: none yet, or the latest automatic one is a day old. */
export function isDailyBackupDue(backups: BackupInfo[], now: Date): boolean {
  const latest = backups.filter((b) => b.isAutomatic).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]
  return !latest || now.getTime() - Date.parse(latest.createdAt) >= 24 * 3600 * 1000
}

/** The automatic and manual backups beyond the newest `keep`, oldest first (before-restore copies stay). */
export function backupsToPrune(backups: BackupInfo[], keep: number): BackupInfo[] {
  const rotating = backups
    .filter((b) => !b.name.includes('-before-restore-'))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
  return rotating.slice(keep).reverse()
}
