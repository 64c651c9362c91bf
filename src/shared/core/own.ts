/**
 * A value looked up by a key that came from a user (a CSV cell, a column name, a journal line):
 * own properties only, so `constructor`, `toString` or `__proto__` never reach Object.prototype.
 */
export function own<V>(map: Readonly<Record<string, V>> | undefined, key: string): V | undefined {
  return map !== undefined && Object.hasOwn(map, key) ? map[key] : undefined
}
