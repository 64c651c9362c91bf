import { chmod, readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'

/** The single file of schema version 1; opening a folder that has it migrates it to shards. */
export const dataFileName = 'makegood.json'
export const dataDirName = 'data'
export const monthsDirName = 'months'
export const journalDirName = 'journal'
export const manifestName = 'manifest.json'
export const quarantineDirName = 'quarantine'
export const backupsDirName = 'backups'
/** Attachment bytes, one file per content: `attachments/ab/abcdef…` (src/main/store/blobs.ts). */
export const attachmentsDirName = 'attachments'
/** The shard of the kinds without a month (customers) and of the settings. */
export const globalShard = 'global'

export function shardPath(dataDir: string, shard: string): string {
  return shard === globalShard ? join(dataDir, 'global.json') : join(dataDir, monthsDirName, `${shard}.json`)
}

/** Month shards, newest first: the months a user works in are loaded first. */
export async function listMonths(dir: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[])
  return names
    .filter((n) => n.endsWith('.json') && !n.startsWith('.'))
    .map((n) => n.slice(0, -5))
    .sort()
    .reverse()
}

export async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  )
}

/** Files MakeGood writes hold customer data: owner only (POSIX; Windows ignores the mode). */
export async function chmodOwnerOnly(path: string): Promise<void> {
  if (process.platform !== 'win32') await chmod(path, 0o600)
}

/** An ISO time that is safe in a file name on every platform. */
export function fileStamp(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-')
}
