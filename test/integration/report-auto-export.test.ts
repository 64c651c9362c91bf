import { execFile } from 'node:child_process'
import { readFile, readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/services'
import { autoExportIfDue } from '../../src/main/services/reports/reports'
import { Report } from '../../src/shared/reports/report'
import { customers, fixtureCases } from '../helpers/reportFixture'
import { engine, openContext, tempDir } from '../helpers/temp'
import { cliEnv } from '../helpers/cli-env'

const run = promisify(execFile)

describe('the monthly export (the service the desktop app calls every hour)', () => {
  it('writes last month once the month turns, records it, and does not write it twice', async () => {
    const dir = await tempDir()
    const folder = await tempDir('makegood-monthly-')
    const ctx = await openContext(dir, { now: '2026-10-31T23:00:00.000Z' })
    await ctx.store.commit([
      ...customers.map((value) => ({ collection: 'customers' as const, value })),
      ...fixtureCases().map((value) => ({ collection: 'cases' as const, value })),
    ])
    const saved = await dispatch(ctx, 'settings:update', {
      businessName: 'Golden Dragon Bistro',
      language: 'zh-CN',
      reports: { autoExport: { isEnabled: true, folder, format: 'json', paper: 'a4', lastMonth: '2026-09' } },
    })
    expect(saved.ok).toBe(true)
    // September is already done; October is not over yet.
    expect(await autoExportIfDue(ctx)).toBeNull()

    ctx.setNow('2026-11-01T00:05:00.000Z')
    const result = await autoExportIfDue(ctx)
    expect(result).toEqual({ month: '2026-10', paths: [join(folder, 'makegood-report-2026-10.json')] })
    const report = Report.parse(JSON.parse(await readFile(join(folder, 'makegood-report-2026-10.json'), 'utf8')))
    expect(report.locale).toBe('zh-CN')
    expect(report.cases.opened).toBe(4)
    expect(ctx.store.settings.reports.autoExport.lastMonth).toBe('2026-10')

    ctx.setNow('2026-11-01T01:05:00.000Z')
    expect(await autoExportIfDue(ctx)).toBeNull()
    expect(await readdir(folder)).toEqual(['makegood-report-2026-10.json'])
  })

  it('a CSV monthly export goes into a folder of its own', async () => {
    const dir = await tempDir()
    const folder = await tempDir('makegood-monthly-')
    const ctx = await openContext(dir, { now: '2026-12-02T08:00:00.000Z' })
    await dispatch(ctx, 'settings:update', {
      reports: { autoExport: { isEnabled: true, folder, format: 'csv', paper: 'a4', lastMonth: null } },
    })
    const result = await autoExportIfDue(ctx)
    expect(result?.month).toBe('2026-11')
    expect(await readdir(join(folder, 'makegood-report-2026-11'))).toContain('summary.csv')
  })

  // No store is opened: the same on either engine, so once.
  it.runIf(engine === 'folder')('the report command has its help, in English and Chinese', async () => {
    const bin = join(__dirname, '..', '..', 'bin', 'makegood.cjs')
    const en = await run(process.execPath, [bin, 'report', '--help'], { env: cliEnv() })
    expect(en.stdout).toContain('Usage: makegood report')
    expect(en.stdout).toContain('--format <format>')
    const zh = await run(process.execPath, [bin, '--lang', 'zh-CN', 'report', '--help'])
    expect(zh.stdout).toContain('月度升级报告')
  })
})
