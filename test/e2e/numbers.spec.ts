import { join } from 'node:path'
import { expect, openApp, screenshotDir, startServer, test } from './fixtures'

const now = '2026-11-23T10:00:00.000Z'

test('currency in Settings, any period on Reports, Log failure on Departments — in English and Chinese', async ({
  page,
  dataDir,
}) => {
  const server = await startServer(dataDir, ['--now', now])
  try {
    await openApp(page, server.url)
    await page.getByRole('button', { name: 'Load sample data' }).click()
    await expect(page.getByRole('button', { name: 'Load sample data' })).toBeHidden()

    // Settings → Currency: a code that is not ISO 4217 is refused beside the field.
    await page.getByRole('navigation').getByRole('link', { name: 'Settings', exact: true }).click()
    const currency = page.getByLabel('Currency', { exact: true })
    await currency.fill('XQQ')
    await expect(page.getByText('XQQ is not an ISO 4217 currency code')).toBeVisible()
    await currency.fill('EUR')
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await expect(page.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible()

    // Departments → Log failure: a failure with no customer, with its cost in euros.
    await page.getByRole('navigation').getByRole('link', { name: 'Departments', exact: true }).click()
    await page.getByRole('button', { name: 'Log failure' }).click()
    const dialog = page.getByRole('dialog', { name: 'Log a failure without a customer' })
    await dialog.getByLabel('Category').selectOption('long-wait')
    await dialog.getByLabel('Department').selectOption({ index: 1 })
    await dialog.getByLabel('What happened').fill('Walk-in fridge door left open overnight')
    await dialog.getByLabel('Cost (EUR, optional)').fill('420.50')
    await dialog.getByRole('button', { name: 'Log failure' }).click()
    await expect(dialog).toBeHidden()
    await expect(page.getByText('Failure logged: Walk-in fridge door left open overnight')).toBeVisible()
    const recent = page.getByRole('table', { name: 'Failures logged without a customer' })
    await expect(recent.getByRole('row', { name: /Walk-in fridge/ })).toContainText('€420.50')
    await page.screenshot({ path: join(screenshotDir, 'log-failure.png'), fullPage: true })

    // Reports → From – to: any range of days; the report opens with what to act on, in euros.
    await page.getByRole('navigation').getByRole('link', { name: 'Reports', exact: true }).click()
    await page.getByRole('radio', { name: 'From – to' }).check()
    await page.getByLabel('From', { exact: true }).fill('2026-11-01')
    await page.getByLabel('To', { exact: true }).fill('2026-11-22')
    const report = page.getByRole('article', { name: 'Monthly escalation report' })
    await expect(report.getByText('Nov 1, 2026 – Nov 22, 2026')).toBeVisible()
    await expect(report.getByText('Amounts in EUR')).toBeVisible()
    await expect(report.getByRole('table', { name: 'Three things to act on' }).getByRole('row')).not.toHaveCount(1)
    await expect(
      report.getByRole('table', { name: 'What failures cost' }).getByRole('row', { name: /^Cost of failures logged/ }),
    ).toContainText('€')
    await page.screenshot({ path: join(screenshotDir, 'reports-range.png') })
    // A last day before the first is said, and nothing is asked of the server.
    await page.getByLabel('To', { exact: true }).fill('2026-10-01')
    await expect(page.getByText('The last day is before the first')).toBeVisible()

    // A case's costs: a refund line, saved, totalled in euros.
    await page.getByRole('navigation').getByRole('link', { name: 'Cases', exact: true }).click()
    await page
      .getByRole('list', { name: 'Cases' })
      .getByRole('link', { name: /^C-2026-0150 / })
      .click()
    const costs = page.getByRole('region', { name: 'Costs' })
    await costs.getByRole('button', { name: 'Add cost' }).click()
    // The sample case has costs already: the row just added is the last.
    await costs.getByLabel('Amount (EUR)').last().fill('18.40')
    await costs.getByLabel('Note').last().fill('Soup refunded')
    await costs.getByRole('button', { name: 'Save costs' }).click()
    await expect(costs.getByRole('status')).toHaveText('Costs saved')
    // The sample's three costs on this case (€12.47 + €33.88 + €37.44) and the refund.
    await expect(costs.getByText('Total: €102.19')).toBeVisible()
    await costs.screenshot({ path: join(screenshotDir, 'case-costs.png') })

    await page.getByRole('navigation').getByRole('link', { name: 'Settings', exact: true }).click()
    await page.getByLabel('Language').selectOption('zh-CN')
    await page.getByRole('navigation').getByRole('link', { name: '报告', exact: true }).click()
    await page.getByRole('radio', { name: '起止日期' }).check()
    await page.getByLabel('开始日期', { exact: true }).fill('2026-11-01')
    await page.getByLabel('结束日期', { exact: true }).fill('2026-11-22')
    const zh = page.getByRole('article', { name: '月度升级报告' })
    await expect(zh.getByRole('table', { name: '三件需要处理的事' })).toBeVisible()
    await expect(zh.getByText('金额单位：EUR')).toBeVisible()
    await page.screenshot({ path: join(screenshotDir, 'reports-range-zh.png') })
    await page.getByRole('navigation').getByRole('link', { name: '设置', exact: true }).click()
    await expect(page.getByLabel('货币', { exact: true })).toHaveValue('EUR')
    await page.screenshot({ path: join(screenshotDir, 'settings-currency-zh.png') })
    await page.getByRole('navigation').getByRole('link', { name: '部门', exact: true }).click()
    await page.getByRole('button', { name: '记录失误' }).click()
    await expect(page.getByRole('dialog', { name: '记录无顾客的失误' })).toBeVisible()
    await page.screenshot({ path: join(screenshotDir, 'log-failure-zh.png'), fullPage: true })
  } finally {
    await server.stop()
  }
})
