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
