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
