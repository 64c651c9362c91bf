/**
 * Resolves on the next turn of the event loop, after the I/O that came back meanwhile: long
 * background work (a load, a checkpoint, an import) awaits it between stretches, so that the
 * answers waiting behind it go first.
 */
export const nextTurn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve))
