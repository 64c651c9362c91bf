import { afterEach, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/services'
import { type ServiceContext } from '../../src/main/services/context'
import { PgStore } from '../../src/main/store/postgres/pgStore'
import { groupRole, teamInit } from '../../src/main/store/postgres/team'
import { currentTeamVersion } from '../../src/main/store/postgres/schema'
import { type Attachment } from '../../src/shared/attachments/attachments'
import { type Case } from '../../src/shared/schemas'
import { asSuperuser, freshTeamDatabase } from '../helpers/pg'
import { ok } from '../helpers/results'

const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
)

const opened: PgStore[] = []
afterEach(async () => {
  for (const store of opened.splice(0)) await store.close()
})

async function openTeam(url: string): Promise<ServiceContext> {
  const store = await PgStore.open(url)
  opened.push(store)
  const now = new Date('2026-11-23T10:00:00.000Z')
  return { store, now: () => now }
}

describe('attachments and rubrics in team mode (a real PostgreSQL server)', () => {
  it('keeps attachment bytes in the database once per content; another desk reads them back', async () => {
    const { url, database } = await freshTeamDatabase()
    await teamInit(url, 'Anna Owner')
    const ctx = await openTeam(url)
    const created = await ok<Case>(
      dispatch(ctx, 'cases:create', {
        customerName: 'Margaret Smith',
        summary: 'Cold soup',
        category: 'poor-quality',
        department: 'Kitchen',
      }),
    )
    const owner = { kind: 'case', id: created.id }
    const first = await ok<Attachment>(
      dispatch(ctx, 'attachments:add', { owner, name: 'soup.png', content: png.toString('base64') }),
    )
    await ok(dispatch(ctx, 'attachments:add', { owner, name: 'again.png', content: png.toString('base64') }))
    const rows = await asSuperuser(
      (client) =>
        client.query<{ sha256: string; bytes: Buffer }>('select sha256, bytes from makegood_attachment_bytes'),
      database,
    )
    expect(rows.rows).toHaveLength(1)
    expect(rows.rows[0]!.sha256).toBe(first.sha256)
    expect(rows.rows[0]!.bytes.equals(png)).toBe(true)

    const other = await openTeam(url)
    const listed = await ok<Attachment[]>(dispatch(other, 'attachments:list', { owner }))
    // Added at the same instant (a fixed clock): listed by name.
    expect(listed.map((a) => a.name)).toEqual(['again.png', 'soup.png'])
    const content = await ok<{ content: string }>(dispatch(other, 'attachments:content', { id: first.id }))
    expect(Buffer.from(content.content, 'base64').equals(png)).toBe(true)

    // Damage in the database is reported, not served.
    await asSuperuser((client) => client.query(`update makegood_attachment_bytes set bytes = '\\x00'::bytea`), database)
    const damaged = await dispatch(other, 'attachments:content', { id: first.id })
    expect(damaged).toMatchObject({ ok: false, error: { reason: 'attachments.damaged' } })
  })

  it('team init creates the new tables and grants agents add-and-read on the bytes, not change', async () => {
    const { url, database } = await freshTeamDatabase()
    await teamInit(url, 'Anna Owner')
    const agent = groupRole(database, 'agent')
    const privileges = await asSuperuser(async (client) => {
      const versions = await client.query<{ version: number }>('select version from makegood_migrations order by 1')
      const has = async (table: string, privilege: string) =>
        (await client.query<{ ok: boolean }>('select has_table_privilege($1, $2, $3) as ok', [agent, table, privilege]))
          .rows[0]!.ok
      return {
        versions: versions.rows.map((r) => r.version),
        bytesInsert: await has('makegood_attachment_bytes', 'insert'),
        bytesSelect: await has('makegood_attachment_bytes', 'select'),
        bytesUpdate: await has('makegood_attachment_bytes', 'update'),
        rubricsUpdate: await has('rubrics', 'update'),
        attachmentsInsert: await has('attachments', 'insert'),
      }
    }, database)
    expect(privileges).toEqual({
      versions: Array.from({ length: currentTeamVersion }, (_, index) => index + 1),
      bytesInsert: true,
      bytesSelect: true,
      bytesUpdate: false,
      rubricsUpdate: true,
      attachmentsInsert: true,
    })
  })

  it('a team database of version 2 gains the new tables and their grants when a desk opens it', async () => {
    const { url, database } = await freshTeamDatabase()
    await teamInit(url, 'Anna Owner')
    // Back to what a version-2 database holds: no rubrics, attachments, bytes, trash or failures tables.
    await asSuperuser(async (client) => {
      await client.query('drop table rubrics, attachments, makegood_attachment_bytes, trash, failures')
      await client.query('delete from makegood_migrations where version >= 3')
    }, database)
    await openTeam(url)
    const agent = groupRole(database, 'agent')
    const granted = await asSuperuser(
      async (client) =>
        (
          await client.query<{ ok: boolean }>(
            `select has_table_privilege($1, 'attachments', 'insert') and has_table_privilege($1, 'makegood_attachment_bytes', 'insert') as ok`,
            [agent],
          )
        ).rows[0]!.ok,
      database,
    )
    expect(granted).toBe(true)
  })
})
