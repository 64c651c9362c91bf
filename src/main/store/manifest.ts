import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Low } from 'lowdb'
import { z } from 'zod'
import { DurableJSONFile } from './durable'
import { schemaFingerprint } from './kinds'
import { exists, manifestName } from './layout'
import { currentSchemaVersion, newerVersionError, versionOf } from './migrations'

/** `data/manifest.json`: which shards MakeGood wrote, and which journal segments they cover. */
export const Manifest = z.object({
  schemaVersion: z.number(),
  schemaFingerprint: z.string().default(''),
  /** Journal segments below this number are covered by the shards and ignored on replay. */
  journalFrom: z.number().int().min(0).default(0),
  shards: z
    .record(
      z.string(),
      z.object({
        sha1: z.string(),
        bytes: z.number(),
        mtimeMs: z.number().optional(),
        /** Records per kind as written: after damage, how many could not be recovered. */
        counts: z.record(z.string(), z.number()).optional(),
      }),
    )
    .default({}),
})
export type Manifest = z.infer<typeof Manifest>

export function emptyManifest(): Manifest {
  return { schemaVersion: currentSchemaVersion, schemaFingerprint, journalFrom: 0, shards: {} }
}

/**
 * Reads the manifest at start-up: none yet (a new folder), a valid one, or what is wrong with
 * it (the caller sets the file aside and loads the shards untrusted). A newer version is refused.
 */
export async function readManifest(path: string): Promise<{ manifest: Manifest } | { damage: string } | undefined> {
  if (!(await exists(path))) return undefined
  let raw: unknown
  try {
    raw = JSON.parse(await readFile(path, 'utf8'))
  } catch (error) {
    return { damage: `it is not valid JSON (${(error as Error).message})` }
  }
  if (versionOf(raw) > currentSchemaVersion) throw newerVersionError(path, versionOf(raw))
  const parsed = Manifest.safeParse(raw)
  return parsed.success ? { manifest: parsed.data } : { damage: 'it is not a MakeGood manifest' }
}

/** Reads back a manifest this process has just written; anything wrong with it is an error. */
export async function readWrittenManifest(dataDir: string): Promise<Manifest> {
  return Manifest.parse(JSON.parse(await readFile(join(dataDir, manifestName), 'utf8')))
}

/** Written last, after every shard it lists (durably: tmp → fsync → rename → fsync dir). */
export async function writeManifest(dataDir: string, manifest: Manifest): Promise<void> {
  await new Low<Manifest>(new DurableJSONFile(join(dataDir, manifestName)), manifest).write()
}
