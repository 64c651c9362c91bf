/** The parts of a team database URL shown to people: never the password. */
export type UrlParts = { url: string; host: string; port: string; database: string; login: string }

export function urlParts(text: string): UrlParts {
  const url = new URL(text)
  url.password = ''
  return {
    url: url.toString(),
    host: decodeURIComponent(url.hostname),
    port: url.port || '5432',
    database: decodeURIComponent(url.pathname.replace(/^\//, '')),
    login: decodeURIComponent(url.username),
  }
}

/** The URL the client connects with: the password goes in only here, in memory. */
export function withPassword(text: string, password: string): string {
  const url = new URL(text)
  if (password !== '') url.password = encodeURIComponent(password)
  return url.toString()
}
