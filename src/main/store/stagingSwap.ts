import { rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { logger } from '../log/logger'
import { fsyncDir } from './durable'
import { dataDirName, exists, manifestName } from './layout'

/**
 * A restore writes the new shards into `data.staging/` and swaps it in with two renames
 * (data → data.old, data.staging → data). The staged manifest is written last, so a staging
 * folder that has one is complete; a crash at any point leaves either the old or the new data.
 */
const folders = (dir: string) => ({
  dataDir: join(dir, dataDirName),
  staging: join(dir, `${dataDirName}.staging`),
  old: join(dir, `${dataDirName}.old`),
})

/**
 * A restore cut off between its two renames: a writer finishes it. A read-only open cannot
 * rename: it reads the staged data where it is. Returns the folder to read the shards from.
 */
export async function finishInterruptedSwap(dir: string, isReadOnly: boolean): Promise<string> {
  const { dataDir, staging, old } = folders(dir)
  const isCutBetweenRenames = !(await exists(dataDir)) && (await exists(join(staging, manifestName)))
  if (isReadOnly) return isCutBetweenRenames ? staging : dataDir
  if (isCutBetweenRenames) {
    await rename(staging, dataDir)
    await fsyncDir(dir)
  }
  await rm(staging, { recursive: true, force: true })
  if (await exists(dataDir)) await rm(old, { recursive: true, force: true })
  return dataDir
}

/** Stages the new data with `write(stagingDir)`, then swaps it in. Answers the new data folder. */
export async function swapInStaged(dir: string, write: (stagingDir: string) => Promise<void>): Promise<string> {
  const { dataDir, staging, old } = folders(dir)
  await rm(staging, { recursive: true, force: true })
  await write(staging)
  await rm(old, { recursive: true, force: true })
  await rename(dataDir, old).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error
  })
  await rename(staging, dataDir)
  await fsyncDir(dir)
  return dataDir
}

/**
 * Tidying after a failed swap: the restore's own error is what the caller throws; these are
 * logged. If data/ cannot be put back, the next open finishes or undoes the swap.
 */
export async function undoFailedSwap(dir: string): Promise<void> {
  const { dataDir, staging, old } = folders(dir)
  await rm(staging, { recursive: true, force: true }).catch((e: unknown) =>
    logger.error('store.restore_cleanup_failed', e),
  )
  if (!(await exists(dataDir)) && (await exists(old)))
    await rename(old, dataDir).catch((e: unknown) => logger.error('store.restore_undo_failed', e))
}

/** After a successful swap the old data is no longer needed; a failure to remove it is only logged. */
export async function removeOldData(dir: string): Promise<void> {
  await rm(folders(dir).old, { recursive: true, force: true }).catch((e: unknown) =>
    logger.warn('store.restore_cleanup_failed', e),
  )
}
