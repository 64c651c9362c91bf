import { execFileSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * PostgreSQL's own programs: on PATH, else Debian's versioned folder (the `postgresql` package
 * does not put initdb on PATH). A missing install fails the run: CI installs it, nothing is skipped.
 */
export function pgBin(name: string): string {
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir && existsSync(join(dir, name))) return join(dir, name)
  const root = '/usr/lib/postgresql'
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : []
  for (const version of versions)
    if (existsSync(join(root, version, 'bin', name))) return join(root, version, 'bin', name)
  throw new Error(
    `PostgreSQL is not installed (${name} not found on PATH or in ${root}/*/bin): apt-get install postgresql`,
  )
}

/** A port free a moment ago: a server about to start takes it, and nobody listens on it until then. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** PostgreSQL refuses to run as root: as root, its programs run as the `postgres` user. */
function run(program: string, args: string[]): void {
  const isRoot = process.getuid?.() === 0
  const [file, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args]
  execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C', TZ: 'UTC' } })
}

/**
 * Starts a throwaway cluster (initdb in a temporary folder, a free port, 127.0.0.1 only, trust
 * authentication) and answers its superuser URL and how to stop and remove it. Used by the
 * vitest global setup and by the Playwright specs that need a team database.
 */
export async function startCluster(
  options: { isPasswordRequired?: boolean } = {},
): Promise<{ url: string; stop: () => void }> {
  const initdb = pgBin('initdb')
  const pgCtl = pgBin('pg_ctl')
  const dir = mkdtempSync(join(tmpdir(), 'makegood-pg-'))
  const isRoot = process.getuid?.() === 0
  if (isRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim())
    chownSync(dir, uid, gid)
  }
  const data = join(dir, 'data')
  const port = await freePort()
  // With isPasswordRequired every TCP login must give its password (SCRAM), as on a real server:
  // what a wrong password does can then be seen.
  const superPassword = 'makegood-test-superuser'
  const auth = options.isPasswordRequired ? ['--auth-local=trust', '--auth-host=scram-sha-256'] : ['--auth=trust']
  if (options.isPasswordRequired) {
    writeFileSync(join(dir, 'pwfile'), `${superPassword}\n`, { mode: 0o644 })
    auth.push(`--pwfile=${join(dir, 'pwfile')}`)
  }
  run(initdb, ['-D', data, '-U', 'postgres', ...auth, '-E', 'UTF8', '--locale=C', '--no-sync'])
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`
  run(pgCtl, ['-D', data, '-o', serverOptions, '-l', join(dir, 'server.log'), '-w', 'start'])
  return {
    url: options.isPasswordRequired
      ? `postgres://postgres:${superPassword}@127.0.0.1:${port}/postgres`
      : `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => {
      try {
        run(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop'])
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    },
  }
}
