import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, openApp, screenshotDir, startServer, test } from './fixtures'

// A spreadsheet export as it really arrives: BOM, CRLF, a quoted field over two lines, Chinese text,
// and one row whose date is not a date.
const csv =
  '\uFEFFDate,Subject,Details,Customer name,Ticket\r\n' +
  '21.11.2026,Cold soup,"The soup was cold.\r\nThe waiter shrugged.",Anna Kovács,T-1\r\n' +
  '22.11.2026,汤是冷的,"服务员态度很差",王小明,T-2\r\n' +
  'yesterday,Broken row,,Somebody,T-3\r\n'

test('map a CSV, check it, then import the valid rows and find them on the Cases screen', async ({ page, dataDir }) => {
  const file = join(dataDir, 'complaints.csv')
  await writeFile(file, csv, 'utf8')
  const server = await startServer(dataDir, ['--now', '2026-11-23T10:00:00Z'])
  try {
    await openApp(page, server.url)
    await page.getByRole('link', { name: 'Settings', exact: true }).click()
    const section = page.getByRole('region', { name: 'Import complaints' })
    await section.getByLabel('CSV file').setInputFiles(file)

    // "Customer name" matches a field by its name; the others are mapped by hand.
    await expect(section.getByLabel('Customer name')).toHaveValue('Customer name')
    await section.getByLabel('Received').selectOption('Date')
    await section.getByLabel('Summary').selectOption('Subject')
    await section.getByLabel('Description').selectOption('Details')
    await section.getByLabel('External ID').selectOption('Ticket')
    await section.getByLabel('Date format').fill('dd.MM.yyyy')
    const preview = section.getByRole('table', { name: 'Preview of the first rows' })
    await expect(preview.getByRole('row')).toHaveCount(4)
    await expect(preview.getByRole('row', { name: /汤是冷的/ })).toContainText('Nov 22, 2026')

    await section.getByRole('button', { name: 'Check' }).click()
    await expect(section.getByRole('status')).toHaveText(
      'Checked 3 rows: 2 new cases, 0 already imported, 1 invalid. Nothing was written.',
    )
    const invalid = section.getByRole('table', { name: 'Invalid rows' })
    await expect(invalid.getByRole('row')).toHaveCount(2)
    await expect(invalid.getByRole('row').nth(1)).toHaveText('4Date"yesterday" is not a date in dd.MM.yyyy')

    // Without Skip invalid rows, Import refuses the whole file.
    await section.getByRole('button', { name: 'Import' }).click()
    await expect(section.getByRole('status')).toHaveText(
      'Nothing was imported: 1 row is not valid. Fix it, or tick Skip invalid rows.',
    )
    await section.getByLabel('Skip invalid rows').check()
    await section.getByRole('button', { name: 'Import' }).click()
    // Two new cases, not duplicates: the Check before wrote nothing.
    await expect(section.getByRole('status')).toHaveText(
      'Imported: 3 rows, 2 new cases, 0 already imported, 1 invalid rows skipped.',
    )
    await section.screenshot({ path: join(screenshotDir, 'import-csv.png') })

    await page.getByRole('link', { name: 'Cases', exact: true }).click()
    await expect(page.getByRole('link', { name: /^C-2026-/ })).toHaveCount(2)
    await expect(page.getByText('王小明 — 汤是冷的')).toBeVisible()
    await expect(page.getByText('Anna Kovács — Cold soup')).toBeVisible()

    // The same file again, in Chinese: both valid rows are now known, nothing new.
    await page.getByRole('link', { name: 'Settings', exact: true }).click()
    await page.getByLabel('Language').selectOption('zh-CN')
    const zh = page.getByRole('region', { name: '导入投诉' })
    await zh.getByLabel('CSV 文件').setInputFiles(file)
    await zh.getByLabel('接收时间').selectOption('Date')
    await zh.getByLabel('摘要').selectOption('Subject')
    await zh.getByLabel('外部编号').selectOption('Ticket')
    await zh.getByLabel('日期格式').fill('dd.MM.yyyy')
    await zh.getByRole('button', { name: '检查' }).click()
    await expect(zh.getByRole('status')).toHaveText('已检查 3 行：0 个新案例，2 行已导入过，1 行无效。未写入任何内容。')
    await zh.screenshot({ path: join(screenshotDir, 'import-csv-zh.png') })
  } finally {
    await server.stop()
  }
})
