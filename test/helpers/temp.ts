import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { type ServiceContext } from '../../src/main/services/context'
import { Store } from '../../src/main/store/store'

const cleanups: (() => Promise<void>)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** A fresh real folder on disk, removed after the test. */
export async function tempDir(prefix = 'makegood-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix))
  cleanups.push(() => rm(dir, { recursive: true, force: true }))
  return dir
}

/** A real store on a real folder, with a clock the test controls. */
export async function openContext(
  dir: string,
  options: { now?: string; isReadOnly?: boolean } = {},
): Promise<ServiceContext & { store: Store; setNow: (iso: string) => void }> {
  const store = await Store.open(dir, { isReadOnly: options.isReadOnly ?? false })
  cleanups.push(() => store.close())
  let now = new Date(options.now ?? '2026-11-23T10:00:00.000Z')
  return { store, now: () => now, setNow: (iso) => (now = new Date(iso)) }
}
