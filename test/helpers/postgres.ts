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

/** Vitest global setup: one throwaway cluster for the whole run, stopped at the end. */
export default async function setup(project: TestProject): Promise<() => void> {
  const { url, stop } = await startCluster()
  project.provide('pgUrl', url)
  process.env.MAKEGOOD_TEST_PG_URL = url
  return stop
}
