/**
 * The page's log for a failure that is not the person's to act on (a remembered preference that
 * was not saved): the browser's console, the only log a renderer has. Failures a person must act
 * on are shown on the page instead.
 */
export function logFailure(what: string, caught: unknown): void {
  // eslint-disable-next-line no-console -- the renderer has no file log; DevTools shows this
  console.error(`MakeGood: ${what}`, caught)
}
