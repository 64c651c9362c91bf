import { readFile, readdir } from 'node:fs/promises'
import { join, relative } from 'node:path'

/** Every stored file (shards, manifest, journal) with its content: equal digests, equal data on disk. */
export async function folderDigest(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  async function walk(path: string): Promise<void> {
    const entries = await readdir(path, { withFileTypes: true }).catch(() => [])
    for (const entry of entries) {
      const full = join(path, entry.name)
      if (entry.isDirectory()) await walk(full)
      else out[relative(dir, full)] = await readFile(full, 'utf8')
    }
  }
  await walk(join(dir, 'data'))
  await walk(join(dir, 'journal'))
  return out
}
