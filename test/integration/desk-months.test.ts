import { readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { hashOfId, lineOf, readColdList } from '../../src/main/store/coldMonths'
import { DeskMonths } from '../../src/main/store/postgres/deskMonths'

const parent = join(tmpdir(), `makegood-desk-months-${process.pid}`)
const made: DeskMonths[] = []
afterEach(() => {
  for (const files of made.splice(0)) files.remove()
  rmSync(parent, { recursive: true, force: true })
})

function deskMonths(): DeskMonths {
  const files = DeskMonths.create(parent)
  made.push(files)
  return files
}

/** A row's text as the database gives a jsonb column: `{"id": …}`, a space after each colon. */
const rowText = (id: string, text: string) => {
  const bytes = Buffer.from(JSON.stringify({ id, text }).replaceAll('":', '": '))
  return { bytes, start: 0, end: bytes.length }
}

describe("a team desk's files of old months while a lazy open writes them", () => {
  it('finds the stored version of a row written there by its id, also when another id has the same hash, and none once the row is touched', () => {
    // Two ids whose hashes collide: the line is read to tell them apart.
    expect(hashOfId('g2rnw')).toBe(hashOfId('gjpba'))
    const files = deskMonths()
    files.add('grumbles', '2025-01', 'g2rnw', 3, rowText('g2rnw', 'First'))
    files.add('grumbles', '2025-02', 'other', 1, rowText('other', 'Elsewhere'))
    files.add('grumbles', '2025-01', 'gjpba', 7, rowText('gjpba', 'Second, 冷汤'))
    files.add('signals', '2025-01', 'sig-1', 2, rowText('sig-1', 'A churn signal'))
    expect(files.versionOf('grumbles', 'g2rnw')).toBe(3)
    expect(files.versionOf('grumbles', 'gjpba')).toBe(7)
    expect(files.versionOf('grumbles', 'other')).toBe(1)
    expect(files.versionOf('grumbles', 'sig-1')).toBeUndefined()
    expect(files.versionOf('signals', 'sig-1')).toBe(2)
    expect(files.versionOf('grumbles', 'never-written')).toBeUndefined()
    expect(files.versionsOf('grumbles')).toEqual(
      new Map([
        ['g2rnw', 3],
        ['gjpba', 7],
        ['other', 1],
      ]),
    )

    // Changed or removed elsewhere: its line no longer says what is stored.
    files.touch('grumbles', 'gjpba')
    expect(files.versionOf('grumbles', 'gjpba')).toBeUndefined()
    expect(files.versionOf('grumbles', 'g2rnw')).toBe(3)
    expect([...files.versionsOf('grumbles').keys()]).toEqual(['g2rnw', 'other'])
  })

  it('hands over each list closed, readable as a shard, with its versions in line order and the ids touched by kind', () => {
    const files = deskMonths()
    // More rows than a list's first allocation holds, so it grows while they arrive.
    const ids = Array.from({ length: 3000 }, (_, i) => `grumble-${i}`)
    ids.forEach((id, i) => {
      files.add('grumbles', '2025-01', id, 1 + (i % 5), rowText(id, `Row ${i}`))
      if (i % 1000 === 999) files.flush()
    })
    files.touch('grumbles', 'grumble-12')
    files.touch('signals', 'sig-9')
    const { lists, touched } = files.finish()
    expect(lists).toHaveLength(1)
    const [list] = lists
    expect(JSON.parse(readFileSync(list!.path, 'utf8'))).toHaveLength(3000)
    expect(readColdList(list!).map((record) => record.id)).toEqual(ids)
    expect([...list!.versions!]).toEqual(ids.map((_, i) => 1 + (i % 5)))
    expect(lineOf(list!, 'grumble-2999')?.line).toBe(2999)
    expect(lineOf(list!, 'grumble-3000')).toBeUndefined()
    expect(touched).toEqual(
      new Map([
        ['grumbles', new Set(['grumble-12'])],
        ['signals', new Set(['sig-9'])],
      ]),
    )
  })

  it('says a file it is writing was cut short by something else, instead of answering from it', () => {
    const files = deskMonths()
    files.add('grumbles', '2025-01', 'grumble-1', 1, rowText('grumble-1', 'Kept'))
    files.flush()
    rmSync(join(files.folder, 'grumbles-2025-01.json'))
    expect(() => files.versionOf('grumbles', 'grumble-1')).toThrow(/changed on disk while MakeGood had it open/)
  })
})
