/** A contract call's value; a refusal fails the test with the error it carried. */
export async function ok<T>(
  promise: Promise<{ ok: true; value: unknown } | { ok: false; error: unknown }>,
): Promise<T> {
  const result = await promise
  if (!result.ok) throw new Error(JSON.stringify(result.error))
  return result.value as T
}

/**
 * Resolves once `check` holds, polling every 10 ms, with how long that took; fails after `ms`.
 * A limit that catches a hang (another desk's change never arriving), not a speed requirement.
 */
export async function within(ms: number, check: () => boolean | Promise<boolean>): Promise<number> {
  const started = performance.now()
  while (!(await check())) {
    if (performance.now() - started > ms) throw new Error(`not within ${ms} ms`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  return performance.now() - started
}
