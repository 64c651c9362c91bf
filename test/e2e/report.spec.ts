import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import ExcelJS from 'exceljs'
import { expect, openApp, screenshotDir, startServer, test } from './fixtures'

const run = promisify(execFile)
const now = '2026-11-23T10:00:00.000Z'

test('the Reports screen shows last month and exports it as PDF and XLSX, in English and Chinese', async ({
  page,
  dataDir,
}) => {
  const server = await startServer(dataDir, ['--now', now])
  const downloads = await mkdtemp(join(tmpdir(), 'makegood-downloads-'))
  try {
    await openApp(page, server.url)
    await page.getByRole('button', { name: 'Load sample data' }).click()
    await expect(page.getByRole('button', { name: 'Load sample data' })).toBeHidden()

    await page.getByRole('navigation').getByRole('link', { name: 'Reports', exact: true }).click()
    await expect(page.getByRole('heading', { level: 1, name: 'Reports' })).toBeVisible()
    // The last full month before "now" is chosen for the user.
    await expect(page.getByLabel('Month', { exact: true })).toHaveValue('2026-10')
    const report = page.getByRole('article', { name: 'Monthly escalation report' })
    await expect(report.getByText('Harbour Street Bistro', { exact: true })).toBeVisible()
    const headline = report.getByRole('table', { name: 'Headline figures' })
    await expect(headline.getByRole('row', { name: /Cases opened/ })).toBeVisible()
    await expect(report.getByRole('table', { name: 'Top five complaint categories' }).getByRole('row')).toHaveCount(6)
    await expect(report.getByRole('img', { name: 'Complaints, grumbles and signals per month' })).toBeVisible()
    await page.screenshot({ path: join(screenshotDir, 'reports.png'), fullPage: true })

    // What the screen shows is what the API's model says.
    const opened = (
      await headline
        .getByRole('row', { name: /Cases opened/ })
        .getByRole('cell')
        // This period's value; the month before and a year earlier follow it.
        .first()
        .textContent()
    )?.trim()

    await page.getByLabel('Format', { exact: true }).first().selectOption('pdf')
    await page.getByLabel('Paper size').selectOption('letter')
    const pdfDownload = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Export', exact: true }).click()
    const pdf = await pdfDownload
    expect(pdf.suggestedFilename()).toBe('makegood-report-2026-10.pdf')
    const pdfPath = join(downloads, pdf.suggestedFilename())
    await pdf.saveAs(pdfPath)
    await expect(page.getByRole('status').first()).toHaveText('Exported makegood-report-2026-10.pdf')
    const text = (await run('pdftotext', ['-layout', pdfPath, '-'])).stdout
    expect(text).toContain('Harbour Street Bistro')
    // The Cases section ends its line with the figure (the headline table adds the comparisons).
    expect(
      text
        .split('\n')
        .filter((l) => l.includes('Cases opened'))
        .some((l) => l.trim().endsWith(` ${opened}`)),
    ).toBe(true)
    expect((await run('pdfinfo', [pdfPath])).stdout).toMatch(/\(letter\)/)

    await page.getByLabel('Format', { exact: true }).first().selectOption('xlsx')
    const xlsxDownload = page.waitForEvent('download')
    await page.getByRole('button', { name: 'Export', exact: true }).click()
    const xlsx = await xlsxDownload
    const xlsxPath = join(downloads, xlsx.suggestedFilename())
    await xlsx.saveAs(xlsxPath)
    const workbook = new ExcelJS.Workbook()
    await workbook.xlsx.readFile(xlsxPath)
    expect(workbook.getWorksheet('Cases')?.getCell('B2').value).toBe(Number(opened))

    // The monthly export is a setting of its own.
    await page.getByRole('checkbox', { name: "Export last month's report automatically" }).check()
    await page.getByLabel('Folder for monthly reports').fill(downloads)
    await page.getByRole('button', { name: 'Save monthly export' }).click()
    await expect(page.getByText('Saved', { exact: true })).toBeVisible()

    // In Chinese: the whole report follows the app's language.
    await page.getByRole('navigation').getByRole('link', { name: 'Settings', exact: true }).click()
    await page.getByLabel('Language').selectOption('zh-CN')
    await page.getByRole('navigation').getByRole('link', { name: '报告', exact: true }).click()
    const zhReport = page.getByRole('article', { name: '月度升级报告' })
    await expect(zhReport.getByRole('table', { name: '前五大投诉类别' })).toBeVisible()
    await page.screenshot({ path: join(screenshotDir, 'reports-zh.png'), fullPage: true })
    await page.getByLabel('格式', { exact: true }).first().selectOption('pdf')
    const zhDownload = page.waitForEvent('download')
    await page.getByRole('button', { name: '导出', exact: true }).click()
    const zhPdf = join(downloads, 'zh.pdf')
    await (await zhDownload).saveAs(zhPdf)
    expect((await run('pdftotext', [zhPdf, '-'])).stdout).toContain('月度升级报告')
  } finally {
    await server.stop()
    await rm(downloads, { recursive: true, force: true })
  }
})
