import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, openApp, screenshotDir, startServer, test } from './fixtures'

// A spreadsheet export as it really arrives: BOM, CRLF, a quoted field over two lines, Chinese text,
// their own category names, and one row whose date is not a date.
const csv =
  '\uFEFFDate,Subject,Details,Customer name,Ticket,Type\r\n' +
  '21.11.2026,Cold soup,"The soup was cold.\r\nThe waiter shrugged.",Anna Kovács,T-1,Warten\r\n' +
  '22.11.2026,汤是冷的,"服务员态度很差",王小明,T-2,Rude\r\n' +
  'yesterday,Broken row,,Somebody,T-3,waiting too long\r\n'

test('map a CSV, check it, then import the valid rows and find them on the Cases screen', async ({ page, dataDir }) => {
  const file = join(dataDir, 'complaints.csv')
  await writeFile(file, csv, 'utf8')
  const server = await startServer(dataDir, ['--now', '2026-11-23T10:00:00Z'])
  try {
    await openApp(page, server.url)
    await page.getByRole('link', { name: 'Settings', exact: true }).click()
    const section = page.getByRole('region', { name: 'Import complaints' })
    await section.getByLabel('CSV file').setInputFiles(file)
    await expect(section.getByText('complaints.csv: 3 rows, 6 columns.')).toBeVisible()

    // "Customer name" matches a field by its name; the others are mapped by hand.
    await expect(section.getByLabel('Customer name', { exact: true })).toHaveValue('Customer name')
    await section.getByLabel('Received', { exact: true }).selectOption('Date')
    // The date format is guessed from the column, despite the row that is not a date.
    await expect(section.getByLabel('Date format')).toHaveValue('dd.MM.yyyy')
    await section.getByLabel('Summary', { exact: true }).selectOption('Subject')
    await section.getByLabel('Description', { exact: true }).selectOption('Details')
    await section.getByLabel('External ID', { exact: true }).selectOption('Ticket')
    await section.getByLabel('Category', { exact: true }).selectOption('Type')

    // Their values, each with ours: "waiting too long" is ours by name already; the others are chosen.
    await expect(section.getByLabel('Category: “waiting too long”')).toHaveValue('long-wait')
    await expect(section.getByLabel('Category: “Warten”')).toHaveValue('')
    await section.getByLabel('Category: “Warten”').selectOption({ label: 'Waiting too long' })
    await section.getByLabel('Category: “Rude”').selectOption({ label: 'Rude or indifferent service' })
    // Channel is not in the file: every case gets the default.
    await section.getByLabel('Channel when empty').selectOption({ label: 'Frontline grumble' })

    const preview = section.getByRole('table', { name: 'Preview of the first rows' })
    await expect(preview.getByRole('row')).toHaveCount(4)
    await expect(preview.getByRole('row', { name: /汤是冷的/ })).toContainText('Nov 22, 2026')
    await expect(preview.getByRole('row', { name: /汤是冷的/ })).toContainText('Rude or indifferent service')
    await expect(preview.getByRole('row', { name: /Cold soup/ })).toContainText('Waiting too long')
    await expect(preview.getByRole('row', { name: /Cold soup/ })).toContainText('Frontline grumble')
    await expect(preview.getByRole('row', { name: /Broken row/ })).toContainText(
      'Date (Received): "yesterday" is not a date in dd.MM.yyyy',
    )
    await section.screenshot({ path: join(screenshotDir, 'import-csv-mapping.png') })

    await section.getByRole('button', { name: 'Check' }).click()
    await expect(section.getByRole('status')).toHaveText(
      'Checked, nothing was written. Rows: 3 · new cases: 2 · already imported: 0 · invalid: 1',
    )
    const invalid = section.getByRole('list', { name: 'Invalid rows' })
    await expect(invalid.getByRole('listitem')).toHaveCount(1)
    await expect(invalid.getByRole('listitem')).toHaveText(
      'Row 4Date (Received)"yesterday" is not a date in dd.MM.yyyy',
    )

    // Without Skip invalid rows, Import refuses the whole file.
    await section.getByRole('button', { name: 'Import' }).click()
    await expect(section.getByRole('status')).toHaveText(
      'Nothing was imported: 1 row is not valid. Fix it, or tick Skip invalid rows.',
    )
    await section.getByLabel('Skip invalid rows').check()
    await section.getByRole('button', { name: 'Import' }).click()
    // Two new cases, not duplicates: the Check before wrote nothing.
    await expect(section.getByRole('status')).toHaveText(
      'Imported. Rows: 3 · new cases: 2 · already imported: 0 · invalid, skipped: 1',
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
    // Same columns as the import before: its mapping comes back, their values included.
    await expect(zh.getByLabel('接收时间', { exact: true })).toHaveValue('Date')
    await expect(zh.getByLabel('类别', { exact: true })).toHaveValue('Type')
    await expect(zh.getByLabel('日期格式')).toHaveValue('dd.MM.yyyy')
    await expect(zh.getByLabel('类别：“Warten”')).toHaveValue('long-wait')
    await expect(zh.getByLabel('渠道为空时')).toHaveValue('grumble')
    // "Rude" set back to as-is: not one of ours.
    await zh.getByLabel('类别：“Rude”').selectOption('')
    await zh.getByRole('button', { name: '检查' }).click()
    await expect(zh.getByRole('status')).toHaveText(
      '已检查，未写入任何内容。行数：3 · 新案件：0 · 已导入过：1 · 无效：2',
    )
    // Problems in Chinese; the file's own text stays as it is.
    await expect(zh.getByRole('list', { name: '无效行' }).getByRole('listitem')).toHaveText([
      '第 3 行Type（类别）“Rude”不是已知的类别',
      '第 4 行Date（接收时间）“yesterday”不是 dd.MM.yyyy 格式的日期',
    ])
    await zh.screenshot({ path: join(screenshotDir, 'import-csv-zh.png') })
  } finally {
    await server.stop()
  }
})

test('the sample file shows mapping at work: columns and date format guessed, their values mapped to ours', async ({
  page,
  dataDir,
}) => {
  const server = await startServer(dataDir, ['--now', '2026-11-23T10:00:00Z'])
  try {
    await openApp(page, server.url)
    await page.getByRole('link', { name: 'Settings', exact: true }).click()
    const section = page.getByRole('region', { name: 'Import complaints' })
    await section.getByRole('button', { name: 'Try a sample file' }).click()
    await expect(section.getByText('complaints-sample.csv: 12 rows, 11 columns.')).toBeVisible()
    await expect(section.getByLabel('Received', { exact: true })).toHaveValue('Opened')
    await expect(section.getByLabel('Summary', { exact: true })).toHaveValue('Subject')
    await expect(section.getByLabel('Category', { exact: true })).toHaveValue('Type')
    await expect(section.getByLabel('Severity', { exact: true })).toHaveValue('Priority')
    await expect(section.getByLabel('External ID', { exact: true })).toHaveValue('Ticket no')
    await expect(section.getByLabel('Date format')).toHaveValue('dd/MM/yyyy HH:mm')
    // Values that are ours by key or name are matched; "Walk-in" is not, until chosen.
    await expect(section.getByLabel('Source: “Email”')).toHaveValue('email')
    await expect(section.getByLabel('Status: “Closed”')).toHaveValue('closed')
    await expect(section.getByLabel('Source: “Walk-in”')).toHaveValue('')
    await section.getByLabel('Source: “Walk-in”').selectOption('in-person')
    const ours: Record<string, string> = {
      Waiting: 'long-wait',
      Quality: 'poor-quality',
      'Staff attitude': 'rude-service',
      Billing: 'other',
      'Out of stock': 'out-of-stock',
      'Phone queue': 'on-hold',
      'Pushy sales': 'pressure-selling',
      Hygiene: 'hygiene',
      Knowledge: 'lacking-knowledge',
    }
    for (const [theirs, category] of Object.entries(ours)) {
      await section.getByLabel(`Category: “${theirs}”`).selectOption(category)
    }
    for (const [theirs, severity] of [
      ['High', 'major'],
      ['Medium', 'minor'],
      ['Low', 'near-miss'],
    ]) {
      await section.getByLabel(`Severity: “${theirs}”`).selectOption(severity!)
    }
    await section.getByRole('button', { name: 'Check' }).click()
    await expect(section.getByRole('status')).toHaveText(
      'Checked, nothing was written. Rows: 12 · new cases: 11 · already imported: 0 · invalid: 1',
    )
    await expect(section.getByRole('list', { name: 'Invalid rows' }).getByRole('listitem')).toHaveText(
      'Row 11Opened (Received)"the 12th" is not a date in dd/MM/yyyy HH:mm',
    )
    await page.setViewportSize({ width: 1280, height: 2400 })
    await section.screenshot({ path: join(screenshotDir, 'import-csv-sample.png') })
    await page.setViewportSize({ width: 1280, height: 800 })
    await section.getByLabel('Skip invalid rows').check()
    await section.getByRole('button', { name: 'Import' }).click()
    await expect(section.getByRole('status')).toHaveText(
      'Imported. Rows: 12 · new cases: 11 · already imported: 0 · invalid, skipped: 1',
    )

    await page.getByLabel('Language').selectOption('zh-CN')
    const zh = page.getByRole('region', { name: '导入投诉' })
    await zh.getByRole('button', { name: '试用示例文件' }).click()
    await expect(zh.getByLabel('接收时间', { exact: true })).toHaveValue('Opened')
    await zh.getByRole('button', { name: '检查' }).click()
    // The same columns as the last import: its mapping (their values included) is used again.
    await expect(zh.getByText('各列与上次导入相同：已沿用上次的对应关系。', { exact: false })).toBeVisible()
    await expect(zh.getByLabel('类别：“Pushy sales”')).toHaveValue('pressure-selling')
    await expect(zh.getByLabel('来源：“Walk-in”')).toHaveValue('in-person')
    await expect(zh.getByRole('status')).toHaveText(
      '已检查，未写入任何内容。行数：12 · 新案件：0 · 已导入过：11 · 无效：1',
    )
    await expect(zh.getByRole('list', { name: '无效行' }).getByRole('listitem')).toHaveText(
      '第 11 行Opened（接收时间）“the 12th”不是 dd/MM/yyyy HH:mm 格式的日期',
    )
    await page.setViewportSize({ width: 1280, height: 2400 })
    await zh.screenshot({ path: join(screenshotDir, 'import-csv-sample-zh.png') })
  } finally {
    await server.stop()
  }
})
