import { execFile } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/temp'
import { cliEnv, cliTestTimeout } from '../helpers/cli-env'

const run = promisify(execFile)
const bin = join(__dirname, '..', '..', 'bin', 'makegood.cjs')
const now = '2026-11-23T10:00:00Z'

function makegood(args: string[], env: NodeJS.ProcessEnv = {}) {
  return run(process.execPath, [bin, ...args], { env: cliEnv('en_US.UTF-8', env) })
}

describe('the iceberg commands, spawned as a process', { timeout: cliTestTimeout }, () => {
  it('imports activity from a CSV (BOM, CRLF, Chinese) with a map, then lists signals and the iceberg', async () => {
    const dir = await tempDir()
    const lines = ['"Név";"Dátum";"Összeg"']
    for (let week = 30; week >= 0; week--) {
      const day = new Date(Date.parse(now) - (week * 7 + 2) * 86_400_000)
      const hu = `${day.getUTCFullYear()}.${String(day.getUTCMonth() + 1).padStart(2, '0')}.${String(day.getUTCDate()).padStart(2, '0')}`
      lines.push(`"Kovács Éva";${hu};"12 500,00"`)
      if (week >= 12) lines.push(`"王芳";${hu};"8 800,00"`)
    }
    const csv = join(dir, 'visits.csv')
    await writeFile(csv, `\uFEFF${lines.join('\r\n')}\r\n`)
    const mapFile = join(dir, 'map.json')
    await writeFile(
      mapFile,
      JSON.stringify({ customer: 'Név', date: 'Dátum', amount: 'Összeg', dateFormat: 'yyyy.MM.dd', decimal: ',' }),
    )

    const imported = await makegood(['--data', dir, '--now', now, 'import', 'activity', csv, '--map', mapFile])
    expect(imported.stdout).toContain('Imported 50 of 50 rows (0 already there), 2 new customers.')
    expect(imported.stdout).toContain('1 new signals')

    const text = (await makegood(['--data', dir, '--now', now, 'signals'])).stdout
    expect(text).toMatch(/王芳 +long gone/)
    // Amounts carry the business's currency: none is set, so the system's (en_US → US dollars).
    expect(text).toContain('$8,800.00 average spend × 52.1 visits a year × 3 years = $1,376,571')
    const json = JSON.parse((await makegood(['--data', dir, '--now', now, 'signals', '--json'])).stdout) as {
      customerName: string
      level: string
      valueAtRisk: { value: number }
    }[]
    expect(json).toHaveLength(1)
    expect(json[0]).toMatchObject({ customerName: '王芳', level: 'lost' })
    expect(json[0]?.valueAtRisk.value).toBeCloseTo(8800 * (365 / 7) * 3, 4)

    const iceberg = JSON.parse((await makegood(['--data', dir, 'iceberg', '--month', '2026-09', '--json'])).stdout) as {
      counts: { silent: number }
      trend: unknown[]
    }
    expect(iceberg.counts.silent).toBe(1)
    expect(iceberg.trend).toHaveLength(12)
    const zh = (await makegood(['--data', dir, '--lang', 'zh-CN', 'iceberg', '--month', '2026-09'])).stdout
    expect(zh).toContain('投诉冰山，2026-09 至 2026-09')
    expect(zh).toContain('经验法则')
  })

  it('prints estimates with the sample data, and refuses a bad month or a bad map', async () => {
    const dir = await tempDir()
    await makegood(['--data', dir, '--now', now, 'demo'])
    const text = (await makegood(['--data', dir, '--now', now, 'iceberg', '--month', '2026-10'])).stdout
    // October 2026 in the sample: 22 cases, 20 of them formal (2 were grumbles heard at the table).
    expect(text).toMatch(/Formal complaints\s+20/)
    expect(text).toContain(
      'Estimated total problems: 250 — the 20 formal complaints are taken as the 8% tip, so 20 ÷ 0.08.',
    )
    expect(text).toMatch(/Grumble capture rate: \d+%/)
    expect(text).toContain('rule of thumb from the source material')

    const bad = await makegood(['--data', dir, 'iceberg', '--month', '2026-13']).catch(
      (e: { code: number; stderr: string }) => e,
    )
    expect(bad).toMatchObject({ code: 2 })
    expect((bad as { stderr: string }).stderr).toContain('--month must be YYYY-MM')
    const mapFile = join(dir, 'map.json')
    await writeFile(mapFile, JSON.stringify({ date: 'Date' }))
    await writeFile(join(dir, 'a.csv'), 'Name,Date\nAnna,2026-01-01\n')
    const badMap = await makegood(['--data', dir, 'import', 'activity', join(dir, 'a.csv'), '--map', mapFile]).catch(
      (e: { code: number; stderr: string }) => e,
    )
    expect(badMap).toMatchObject({ code: 2 })
    expect((badMap as { stderr: string }).stderr).toContain('customer')
  })

  it('has help for every new command, translated', async () => {
    for (const args of [
      ['signals', '--help'],
      ['iceberg', '--help'],
      ['import', '--help'],
      ['import', 'activity', '--help'],
    ]) {
      expect((await makegood(args)).stdout).toContain('Usage: makegood')
    }
    expect((await makegood(['--lang', 'hu', 'signals', '--help'])).stdout).toContain('csendes lemorzsolódási')
  })
})
