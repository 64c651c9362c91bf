import { join } from 'node:path'
import { expect, openApp, screenshotDir, startServer, test } from './fixtures'
import { appPage } from './pages/app'

const now = '2026-11-23T10:00:00.000Z'

test('a grumble logged with the keyboard alone grows the iceberg, then becomes a case', async ({ page, dataDir }) => {
  const server = await startServer(dataDir, ['--now', now])
  const app = appPage(page)
  await openApp(page, server.url)
  await app.nav('Iceberg').click()
  await expect(page.getByRole('heading', { level: 1, name: 'The complaint iceberg' })).toBeVisible()
  const grumbleRow = page.getByRole('row', { name: /Frontline grumbles/ })
  await expect(grumbleRow.getByRole('cell').first()).toHaveText('0')
  await expect(page.getByRole('button', { name: 'Log grumble' })).toHaveAttribute('aria-keyshortcuts', 'Alt+G')

  // Keyboard only: the shortcut, one line of text, Enter.
  await page.keyboard.press('Alt+g')
  const dialog = page.getByRole('dialog', { name: 'Log a grumble' })
  await expect(dialog.getByLabel('What did you hear?')).toBeFocused()
  await page.keyboard.type('Said the coffee was lukewarm again')
  await page.keyboard.press('Enter')
  await expect(dialog).toBeHidden()
  await expect(page.getByRole('region', { name: 'Last change' })).toContainText(
    'Grumble logged: Said the coffee was lukewarm again',
  )
  await expect(grumbleRow.getByRole('cell').first()).toHaveText('1')
  await expect(page.getByRole('img', { name: /0 formal complaints above the waterline, 1 grumbles/ })).toBeVisible()
  await page.screenshot({ path: join(screenshotDir, 'iceberg-after-grumble.png'), fullPage: true })

  // The optional fields are remembered from the last entry.
  await page.keyboard.press('Alt+g')
  await dialog.getByLabel('Heard by').fill('Anna')
  await dialog.getByLabel('Category').selectOption({ label: 'Waiting too long' })
  await dialog.getByLabel('What did you hear?').fill('Sighed at the queue for the till')
  await dialog.getByLabel('Your suggestion').fill('Open the second till at noon')
  await page.keyboard.press('Enter')
  await expect(dialog).toBeHidden()
  await expect(grumbleRow.getByRole('cell').first()).toHaveText('2')
  await page.keyboard.press('Alt+g')
  await expect(dialog.getByLabel('Heard by')).toHaveValue('Anna')
  await expect(dialog.getByLabel('Category')).toHaveValue('long-wait')
  await expect(dialog.getByLabel('What did you hear?')).toHaveValue('')
  await page.screenshot({ path: join(screenshotDir, 'grumble-dialog.png') })
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()

  // Make it a case: the grumble had no customer, so the case asks for one; the link holds both ways.
  await page.getByRole('link', { name: 'Grumbles', exact: true }).click()
  const row = page.getByRole('listitem', { name: 'Sighed at the queue for the till' })
  await row.getByRole('button', { name: 'Make it a case' }).click()
  const promote = page.getByRole('dialog', { name: 'Make this grumble a case' })
  await promote.getByRole('button', { name: 'Make it a case' }).click()
  await expect(promote.getByText('Required')).toBeVisible()
  await promote.getByLabel('Customer name').fill('Margaret Smith')
  await promote.getByRole('button', { name: 'Make it a case' }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'Sighed at the queue for the till' })).toBeVisible()
  await expect(page.getByText('Frontline grumble', { exact: true })).toBeVisible()
  await page.getByRole('link', { name: 'Promoted from a frontline grumble' }).click()
  await expect(row.getByRole('link', { name: /^Case C-2026-\d{4}$/ })).toBeVisible()
  await expect(row.getByRole('button', { name: 'Make it a case' })).toHaveCount(0)
  // Promoted, it still counts once: as a grumble, not as a formal complaint.
  await app.nav('Iceberg').click()
  await expect(grumbleRow.getByRole('cell').first()).toHaveText('2')
  await expect(
    page
      .getByRole('row', { name: /Formal complaints/ })
      .getByRole('cell')
      .first(),
  ).toHaveText('0')
  await server.stop()
})

test('the sample data shows all three layers, signals worked to an outcome, and loyalty segments', async ({
  page,
  dataDir,
}) => {
  const server = await startServer(dataDir, ['--now', now])
  const app = appPage(page)
  await openApp(page, server.url)
  await page.getByRole('button', { name: 'Load sample data' }).click()
  await expect(page.getByRole('button', { name: 'Load sample data' })).toBeHidden()
  await app.nav('Iceberg').click()
  await page.getByLabel('From month').fill('2026-06')
  await expect(page.getByText(/^Grumble capture rate: \d+ %|^Grumble capture rate: \d+%/)).toBeVisible()
  await expect(page.getByText(/rule of thumb from the source material/)).toBeVisible()
  await expect(
    page.getByRole('list', { name: 'Where the hidden part looks largest' }).getByRole('listitem'),
  ).toHaveCount(5)
  await page.screenshot({ path: join(screenshotDir, 'iceberg.png'), fullPage: true })

  await page.getByRole('link', { name: 'Silent churn', exact: true }).click()
  const signals = page.getByRole('list', { name: 'Silent-churn signals' })
  await expect(signals.getByRole('link')).toHaveCount(6)
  await expect(page.getByText(/^50% — 1 won back of 2 decided/)).toBeVisible()
  await page.screenshot({ path: join(screenshotDir, 'signals.png'), fullPage: true })
  // Re-running detection on the same data adds nothing.
  await page.getByRole('button', { name: 'Run detection now' }).click()
  await expect(page.getByRole('status')).toContainText('0 new signals, 0 updated')
  await expect(signals.getByRole('link')).toHaveCount(6)

  await signals.getByRole('link', { name: /James Whitfield/ }).click()
  await expect(page.getByRole('heading', { level: 1, name: 'James Whitfield: Lost' })).toBeVisible()
  await expect(page.getByText(/average spend × 26\.1 visits a year × 3 years = /)).toBeVisible()
  await page.getByRole('button', { name: 'Plan win-back contact' }).click()
  await expect(page.getByText(/^Planned by Anna Kovács: Write or call James Whitfield personally/)).toBeVisible()
  await page.screenshot({ path: join(screenshotDir, 'signal.png'), fullPage: true })
  await page.getByRole('combobox', { name: 'Outcome' }).selectOption({ label: 'Won back' })
  await page.getByLabel('Note').fill('Booked a client lunch for next week')
  await page.getByRole('button', { name: 'Record outcome' }).click()
  await expect(page.getByText(/^Closed as Won back/)).toBeVisible()
  await page.getByRole('link', { name: '← All signals' }).click()
  await expect(page.getByText(/^67% — 2 won back of 3 decided/)).toBeVisible()

  await app.nav('Customers').click()
  await page.getByLabel('Loyalty segment').selectOption({ label: 'Lost' })
  await expect(page.getByRole('list', { name: 'Customers' }).getByRole('link')).toHaveCount(1)
  await expect(page.getByRole('link', { name: /Daniel Evans/ })).toBeVisible()
  await page.getByLabel('Loyalty segment').selectOption({ label: 'Core' })
  await page.getByRole('link', { name: /Margaret Smith/ }).click()
  await expect(page.getByText('Segment: Core')).toBeVisible()
  await page.getByRole('button', { name: 'Customer went quiet' }).click()
  const quiet = page.getByRole('dialog', { name: 'Customer went quiet: Margaret Smith' })
  await quiet.getByLabel('What do we know?').fill('Her sister says she now goes to the café across the road')
  await quiet.getByRole('button', { name: 'Raise signal' }).click()
  await expect(quiet).toBeHidden()
  await expect(page.getByText('Segment: At risk')).toBeVisible()
  await page.screenshot({ path: join(screenshotDir, 'customer-loyalty.png'), fullPage: true })

  // The same screens in Chinese.
  await app.nav('Settings').click()
  await page.getByLabel('Language').selectOption('zh-CN')
  await page.getByRole('link', { name: '冰山', exact: true }).click()
  await page.getByLabel('起始月份').fill('2026-06')
  await expect(page.getByRole('heading', { level: 1, name: '投诉冰山' })).toBeVisible()
  await page.screenshot({ path: join(screenshotDir, 'iceberg-zh.png'), fullPage: true })
  await page.getByRole('link', { name: '沉默流失', exact: true }).click()
  await page.screenshot({ path: join(screenshotDir, 'signals-zh.png'), fullPage: true })
  await page.keyboard.press('Alt+g')
  await expect(page.getByRole('dialog', { name: '记录一条抱怨' })).toBeVisible()
  await page.screenshot({ path: join(screenshotDir, 'grumble-dialog-zh.png') })
  await server.stop()
})

test('activity imported in the UI from a CSV with a BOM, CRLF and Chinese names', async ({ page, dataDir }) => {
  const server = await startServer(dataDir, ['--now', now])
  await openApp(page, server.url)
  await page.getByRole('link', { name: 'Iceberg', exact: true }).click()
  await page.getByRole('link', { name: 'Silent churn', exact: true }).click()
  const lines = ['顾客,日期,金额,备注']
  // 王芳 came every week for half a year, then stopped 80 days ago; 李娜 still comes every week.
  for (let week = 30; week >= 0; week--) {
    const day = new Date(Date.parse(now) - (week * 7 + 2) * 86_400_000).toISOString().slice(0, 10)
    lines.push(`李娜,${day},"¥45.00",`)
    if (week >= 12) lines.push(`王芳,${day},88,"午餐\r\n两位"`)
  }
  const csv = `\uFEFF${lines.join('\r\n')}\r\n`
  await page
    .getByLabel('CSV file')
    .setInputFiles({ name: '到店记录.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
  await expect(page.getByLabel('Customer column')).toHaveValue('顾客')
  await expect(page.getByLabel('Date column')).toHaveValue('日期')
  await expect(page.getByLabel('Amount column')).toHaveValue('金额')
  await page.getByRole('button', { name: 'Import', exact: true }).click()
  await expect(page.getByRole('status')).toHaveText(
    'Imported 50 of 50 rows (0 were already there), 2 new customers. Detection: 1 new signals, 0 updated.',
  )
  const signals = page.getByRole('list', { name: 'Silent-churn signals' })
  await expect(signals.getByRole('link')).toHaveCount(1)
  await expect(signals.getByRole('link')).toContainText('王芳 — long gone')
  await page.screenshot({ path: join(screenshotDir, 'activity-import.png'), fullPage: true })
  // The same file again adds nothing.
  await page.getByRole('button', { name: 'Import', exact: true }).click()
  await expect(page.getByRole('status')).toHaveText(
    'Imported 0 of 50 rows (50 were already there), 0 new customers. Detection: 0 new signals, 0 updated.',
  )
  await server.stop()
})
