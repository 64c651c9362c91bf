import { own } from '../../shared/core/own'
import { Settings } from '../../shared/schemas'
import { newestReadableBackup } from './backupFiles'
import { kindOf, kindsOf, shardOf } from './kinds'
import { globalShard } from './layout'
import { type Manifest } from './manifest'
import { type Memory } from './memory'
import { type DamagedShard, writeWhy } from './quarantine'

/**
 * What can still be read from a shard that is not valid JSON. Shards are written one record per
 * line (durable.ts, readablePieces): a `"kind": [` line opens a list, each following line is
 * one record, `"key": value` lines are single values. A line cut in half is skipped.
 */
export function salvageShard(text: string): Record<string, unknown> {
  // No prototype: a key read from a damaged file is data, never Object.prototype.
  const raw: Record<string, unknown> = Object.create(null)
  let current: unknown[] | undefined
  for (const line of text.split('\n')) {
    const trimmed = line.trim()
    if (trimmed === '' || trimmed === '{' || trimmed === '}') continue
    if (trimmed === ']' || trimmed === '],') {
      current = undefined
      continue
    }
    const opens = /^"([^"\\]+)":\s*\[$/.exec(trimmed)
    if (opens) {
      current = []
      raw[opens[1]!] = current
      continue
    }
    try {
      if (current && trimmed.startsWith('{')) {
        current.push(JSON.parse(trimmed.replace(/,$/, '')))
        continue
      }
      const single = /^"([^"\\]+)":\s*(.*?),?$/.exec(trimmed)
      if (single) {
        current = undefined
        raw[single[1]!] = JSON.parse(single[2]!)
      }
    } catch {
      // Torn or overwritten: this line is lost; the records around it are still read.
    }
  }
  return raw
}

/**
 * A damaged shard is completed once everything is loaded: the journal's records are already
 * in; what is still missing is taken from the newest backup; the problem then says how many
 * records were read, recovered and lost (against the counts the manifest recorded).
 */
export async function recoverDamaged(
  storeDir: string,
  memory: Memory,
  damaged: ReadonlyMap<string, DamagedShard>,
  manifest: Manifest,
): Promise<void> {
  if (damaged.size === 0) return
  const backup = await newestReadableBackup(storeDir)
  for (const [shard, { problem, read, hasSettings }] of damaged) {
    const kinds = kindsOf(shard)
    let recovered = 0
    if (backup) {
      if (shard === globalShard && !hasSettings) {
        const settings = Settings.safeParse(backup.data.settings)
        if (settings.success) memory.settings = settings.data
      }
      for (const kind of kinds) {
        const map = memory.records.get(kind)!
        const list = own(backup.data.collections, kind)
        for (const item of Array.isArray(list) ? list : []) {
          const parsed = kindOf(kind)!.schema.safeParse(item)
          if (!parsed.success || map.has(parsed.data.id) || shardOf(kind, parsed.data) !== shard) continue
          memory.put(kind, parsed.data.id, parsed.data)
          recovered++
        }
      }
    }
    let present = 0
    for (const kind of kinds) {
      if (shard === globalShard) present += memory.records.get(kind)!.size
      else present += memory.membersOf(shard, kind).size
    }
    const counts = own(manifest.shards, shard)?.counts
    const expected = counts ? kinds.reduce((sum, kind) => sum + (own(counts, kind) ?? 0), 0) : undefined
    const missing = expected === undefined ? undefined : Math.max(0, expected - present)
    const parts = [`${read} record(s) were read from it`]
    if (present - read - recovered > 0) parts.push(`${present - read - recovered} came from the journal`)
    if (backup) parts.push(`${recovered} were recovered from the backup ${backup.name}`)
    else parts.push('no backup was found to recover the rest from')
    parts.push(
      missing === undefined
        ? 'how many are missing is not known (the manifest kept no count)'
        : `${missing} are missing`,
    )
    problem.message = `${problem.message}. ${parts.join(', ')}.`
    problem.recovered = recovered
    if (missing !== undefined) problem.missing = missing
    if (problem.quarantinedAs) await writeWhy(problem.quarantinedAs, problem)
  }
}
