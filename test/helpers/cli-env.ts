/**
 * The environment of a spawned `makegood`: the CLI takes its language from LC_ALL first, then
 * LC_MESSAGES, then LANG, so a test that set only LANG would follow whatever LC_ALL the machine
 * has. Both are set, and LC_MESSAGES is dropped.
 */
export function cliEnv(locale = 'en_US.UTF-8', extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: locale, LANG: locale, ...extra }
  delete env.LC_MESSAGES
  return env
}

/**
 * The time limit of a test that starts the CLI several times in a row: each start compiles the
 * TypeScript entry afresh, which on a machine busy with other work takes many seconds. A limit
 * that catches hangs, not a speed requirement.
 */
export const cliTestTimeout = 180_000
