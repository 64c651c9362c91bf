import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { cliEnv } from '../helpers/cli-env'
import { tempDir } from '../helpers/temp'

const run = promisify(execFile)
const bin = join(__dirname, '..', '..', 'bin', 'makegood.cjs')
// A Saturday evening just before a month ends: late in the day in every zone below.
const now = '2026-10-31T22:30:00.000Z'

/** The sample data loaded and exported by a `makegood` running with the machine zone `zone`. */
async function sampleIn(zone: string): Promise<(readonly [string, string[]])[]> {
  const dir = await tempDir()
  const out = join(await tempDir(), 'export.json')
  const env = cliEnv('en_US.UTF-8', { TZ: zone })
  await run(process.execPath, [bin, '--data', dir, '--now', now, 'demo'], { env })
  await run(process.execPath, [bin, '--data', dir, '--now', now, 'export', '--out', out], { env })
  // Records found by detection get random ids (and the file sorts by id): compare without them.
  const text = (await readFile(out, 'utf8')).replace(
    /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g,
    'id',
  )
  const data = JSON.parse(text) as { collections: Record<string, unknown[]> }
  return Object.entries(data.collections)
    .map(([name, records]) => [name, records.map((r) => JSON.stringify(r)).sort()] as const)
    .sort(([a], [b]) => a.localeCompare(b))
}

describe('the sample data', () => {
  it('is the same on machines in any time zone (its days are counted in the calendar zone)', async () => {
    const [utc, newYork, shanghai, sydney] = await Promise.all(
      ['UTC', 'America/New_York', 'Asia/Shanghai', 'Australia/Sydney'].map(sampleIn),
    )
    const cases = new Map(utc).get('cases') ?? []
    expect(cases).toHaveLength(150)
    expect(newYork).toEqual(utc)
    expect(shanghai).toEqual(utc)
    expect(sydney).toEqual(utc)
  }, 120_000)
})
