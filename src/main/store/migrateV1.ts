import { readFile } from 'node:fs/promises'
import { copyIntoBackups, moveIntoBackups } from './backupFiles'
import { parseDataSet } from './dataSet'
import { type JournalWriter } from './journal'
import { type Memory } from './memory'
import { currentSchemaVersion, migrate, versionOf } from './migrations'
import { invalidFile } from './storeErrors'

/**
 * Version 1: the single `makegood.json`. Loaded into memory; a writer then keeps a copy in
 * backups/, writes the shards and moves the old file into backups/ too (the copy comes first,
 * so a cut-off migration never loses the only file).
 */
export async function migrateV1(
  path: string,
  store: {
    dir: string
    isReadOnly: boolean
    memory: Memory
    journal: JournalWriter
    /** Called once the data is in memory, before anything is written. */
    markLoaded: () => void
    checkpoint: () => Promise<void>
  },
): Promise<void> {
  let raw: unknown
  try {
    raw = JSON.parse(await readFile(path, 'utf8'))
  } catch (error) {
    throw invalidFile(path, [{ path: '', message: (error as Error).message }])
  }
  const data = parseDataSet(migrate(raw, path), path)
  store.memory.settings = data.settings
  store.memory.putAll(data)
  store.markLoaded()
  if (store.isReadOnly) return
  await copyIntoBackups(store.dir, path, `before-migration-v${versionOf(raw) || 1}-to-v${currentSchemaVersion}`)
  store.memory.markAllDirty()
  await store.journal.openSegment(1)
  await store.checkpoint()
  await moveIntoBackups(store.dir, path, 'migrated')
}

/** A migration finished but was cut off before it moved the old file away. */
export async function finishCutMigration(dir: string, path: string): Promise<void> {
  await moveIntoBackups(dir, path, 'after-migration')
}
