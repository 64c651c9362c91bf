import { randomBytes } from 'node:crypto'
import { Client } from 'pg'
import { afterEach, inject } from 'vitest'

const cleanups: (() => Promise<void>)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** Runs statements as the cluster's superuser. */
export async function asSuperuser<T>(work: (client: Client) => Promise<T>, database = 'postgres'): Promise<T> {
  const url = new URL(inject('pgUrl'))
  url.pathname = `/${database}`
  const client = new Client({ connectionString: url.toString() })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/**
 * A fresh empty database owned by a fresh login that may create roles, the way the README sets
 * one up (`createuser --createrole anna; createdb -O anna makegood`). Answers that login's URL;
 * the database and its roles are dropped after the test.
 */
export async function freshTeamDatabase(): Promise<{ url: string; database: string; login: string }> {
  const suffix = randomBytes(4).toString('hex')
  const database = `makegood_${suffix}`
  const login = `anna_${suffix}`
  await asSuperuser(async (client) => {
    await client.query(`create role ${login} login createrole`)
    await client.query(`create database ${database} owner ${login}`)
  })
  cleanups.push(() =>
    asSuperuser(async (client) => {
      // The logins `team add-person` made (removed ones too: they are no longer in any group).
      const people = await asSuperuser(
        (db) =>
          db
            .query<{ login: string }>(`select login from makegood_people where login <> $1`, [login])
            .then((r) => r.rows.map((row) => row.login))
            .catch(() => [] as string[]),
        database,
      ).catch(() => [] as string[])
      await client.query(`drop database if exists ${database} with (force)`)
      for (const person of people) await client.query(`drop role if exists ${client.escapeIdentifier(person)}`)
      for (const role of ['agent', 'supervisor', 'owner']) await client.query(`drop role if exists ${database}_${role}`)
      await client.query(`drop role if exists ${login}`)
    }),
  )
  const url = new URL(inject('pgUrl'))
  url.username = login
  url.pathname = `/${database}`
  return { url: url.toString(), database, login }
}

/** The URL of a team database for another login (a person `team add-person` made). */
export function urlAs(url: string, login: string, password: string): string {
  const as = new URL(url)
  as.username = login
  as.password = password
  return as.toString()
}
