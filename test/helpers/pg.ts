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
      await client.query(`drop database if exists ${database} with (force)`)
      for (const role of ['agent', 'supervisor', 'owner']) await client.query(`drop role if exists ${database}_${role}`)
      await client.query(`drop role if exists ${login}`)
    }),
  )
  const url = new URL(inject('pgUrl'))
  url.username = login
  url.pathname = `/${database}`
  return { url: url.toString(), database, login }
}
