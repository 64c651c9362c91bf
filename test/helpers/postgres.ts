import { type TestProject } from 'vitest/node'
import { startCluster } from './cluster'

declare module 'vitest' {
  // Vitest's provide/inject is typed by merging into this interface; a type alias cannot merge.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  export interface ProvidedContext {
    /** A superuser URL on the throwaway cluster (trust authentication, 127.0.0.1 only). */
    pgUrl: string
  }
}

type Shared = { cluster: ReturnType<typeof startCluster>; users: number }
/**
 * Vitest runs a global setup once per project (and once for the root), each loading this file
 * anew: the projects share one cluster through the process, started by the first setup and
 * stopped when the last is done.
 */
const process_ = globalThis as { makegoodTestCluster?: Shared }

/** Vitest global setup: one throwaway cluster for the whole run, stopped at the end. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const shared = (process_.makegoodTestCluster ??= { cluster: startCluster(), users: 0 })
  shared.users++
  const { url } = await shared.cluster
  project.provide('pgUrl', url)
  process.env.MAKEGOOD_TEST_PG_URL = url
  return async () => {
    if (--shared.users > 0) return
    const { stop } = await shared.cluster
    process_.makegoodTestCluster = undefined
    stop()
  }
}
