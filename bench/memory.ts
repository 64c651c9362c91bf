import { getHeapStatistics } from 'node:v8'

/**
 * Resident memory after a full collection and a second for V8 to hand the freed pages back: read at
 * once, RSS still counts what the collection freed. Needs `--expose-gc` (without it, no collection).
 */
export async function settledRss(): Promise<number> {
  global.gc?.()
  await new Promise((resolve) => setTimeout(resolve, 1000))
  global.gc?.()
  await new Promise((resolve) => setTimeout(resolve, 200))
  return process.memoryUsage().rss / 1e6
}

/**
 * Resident memory once the process is left alone, no collection forced: what a person sees in the
 * system's monitor a while after the app is ready. Some seconds after the allocation stops, V8's
 * memory reducer (on by default, in Node as in Electron) runs collections that compact the old
 * generation and shrink the young one, which a forced `gc()` does not. Read once the heap V8
 * reserves has shrunk and then held still for `stillMs`, or at `limitMs` if it never shrank.
 */
export async function idleRss(
  limitMs = 90_000,
  stillMs = 5_000,
): Promise<{ rssMb: number; waitedMs: number; isReduced: boolean }> {
  const start = performance.now()
  let reserved = getHeapStatistics().total_heap_size
  let shrankAt: number | undefined
  while (performance.now() - start < limitMs) {
    await new Promise((resolve) => setTimeout(resolve, 1000))
    const now = getHeapStatistics().total_heap_size
    // (Not every shrink: a scavenge alone moves the figure by a page or two.)
    if (now < reserved * 0.98) shrankAt = performance.now()
    reserved = now
    if (shrankAt !== undefined && performance.now() - shrankAt >= stillMs) break
  }
  return {
    rssMb: process.memoryUsage().rss / 1e6,
    waitedMs: performance.now() - start,
    isReduced: shrankAt !== undefined,
  }
}
