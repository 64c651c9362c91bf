import { afterEach, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/services'
import { type ServiceContext } from '../../src/main/services/context'
import { PgStore } from '../../src/main/store/postgres/pgStore'
import { teamInit } from '../../src/main/store/postgres/team'
import { currentTeamVersion } from '../../src/main/store/postgres/schema'
import { type Case } from '../../src/shared/schemas'
import { type TrashItem } from '../../src/shared/trash/schemas'
import { asSuperuser, freshTeamDatabase } from '../helpers/pg'
import { ok, within } from '../helpers/results'

const opened: PgStore[] = []
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close()
})

async function openTeam(url: string): Promise<PgStore> {
  const store = await PgStore.open(url)
  opened.push(store)
  return store
}

const contextOf = (store: PgStore): ServiceContext => {
  const now = new Date('2026-11-23T10:00:00.000Z')
  return { store, now: () => now }
}

describe('Trash on the team database', () => {
  it('a case deleted at one desk leaves the other; restored there, it comes back at the first', async () => {
    const { url } = await freshTeamDatabase()
    await teamInit(url, 'Anna Owner')
    const desk1 = await openTeam(url)
    const desk2 = await openTeam(url)
    const created = await ok<Case>(
      dispatch(contextOf(desk1), 'cases:create', {
        customerName: 'Margaret Smith',
        summary: 'Cold soup',
        category: 'poor-quality',
        severity: 'minor',
      }),
    )
    await within(2000, () => desk2.get('cases', created.id) !== undefined)
    const item = await ok<TrashItem>(dispatch(contextOf(desk1), 'cases:delete', { id: created.id }))
    await within(2000, () => desk2.get('cases', created.id) === undefined && desk2.get('trash', item.id) !== undefined)
    expect([...desk2.all('promises')].filter((p) => p.caseId === created.id)).toEqual([])

    await ok(dispatch(contextOf(desk2), 'trash:restore', { id: item.id }))
    await within(2000, () => desk1.get('cases', created.id) !== undefined && desk1.get('trash', item.id) === undefined)
    expect(desk1.get('cases', created.id)).toEqual(created)
    const fresh = await openTeam(url)
    expect(fresh.get('cases', created.id)).toEqual(created)
    expect(fresh.count('trash')).toBe(0)
  })

  it('migration 4 adds the trash table to a database set up before it, with the roles’ rights', async () => {
    const { url, database } = await freshTeamDatabase()
    await teamInit(url, 'Anna Owner')
    // What a database set up by the build before Trash looks like.
    await asSuperuser(async (client) => {
      await client.query('drop table trash, failures')
      await client.query('delete from makegood_migrations where version >= 4')
    }, database)
    const store = await openTeam(url)
    expect(store.count('trash')).toBe(0)
    const rights = await asSuperuser(
      (client) =>
        client.query<{ agent: boolean; agentWrites: boolean; supervisor: boolean; version: number }>(
          `select has_table_privilege($1, 'trash', 'select') as agent,
                  has_table_privilege($1, 'trash', 'insert, update, delete') as "agentWrites",
                  has_table_privilege($2, 'trash', 'insert') and has_table_privilege($2, 'cases', 'delete') as supervisor,
                  (select max(version) from makegood_migrations) as version`,
          [`${database}_agent`, `${database}_supervisor`],
        ),
      database,
    )
    expect(rights.rows[0]).toEqual({ agent: true, agentWrites: false, supervisor: true, version: currentTeamVersion })
  })
})
