import { z } from 'zod'
import { collectionNames, collections } from '../src/main/store/collections'

/**
 * Promise and signal schemas are being written in other branches, so the bench registers two
 * placeholder kinds of the same size and shape class (a promise ~300 B, a grumble/churn signal
 * ~200 B as JSON), sharded by month like cases. Registered only in this process, before the
 * store module is loaded: the store reads the registry generically and never names a kind.
 */
export const BenchPromise = z.object({
  id: z.string(),
  caseId: z.string(),
  text: z.string(),
  owner: z.string(),
  dueAt: z.iso.datetime(),
  status: z.enum(['open', 'kept', 'broken']),
  createdAt: z.iso.datetime(),
})
export const BenchSignal = z.object({
  id: z.string(),
  kind: z.enum(['grumble', 'churn']),
  text: z.string(),
  department: z.string(),
  by: z.string(),
  at: z.iso.datetime(),
})

export function registerBenchKinds(): void {
  const registry = collections as unknown as Record<string, unknown>
  if (registry.benchPromises) return
  registry.benchPromises = { schema: BenchPromise, monthOf: (r: { createdAt: string }) => r.createdAt.slice(0, 7) }
  registry.benchSignals = { schema: BenchSignal, monthOf: (r: { at: string }) => r.at.slice(0, 7) }
  ;(collectionNames as string[]).push('benchPromises', 'benchSignals')
}
