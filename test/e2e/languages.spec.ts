import { join } from 'node:path'
import { type Locale } from '../../src/shared/schemas'
import { translator } from '../helpers/translator'
import { expect, openApp, screenshotDir, startServer, test } from './fixtures'

/**
 * The main path in Simplified Chinese and Hungarian: every label the user reads comes from the
 * locale files, so the test looks elements up by the translated names.
 */
for (const locale of ['zh-CN', 'hu'] as const satisfies Locale[]) {
  test(`the main path in ${locale}`, async ({ page, dataDir }) => {
    const t = await translator(locale)
    const server = await startServer(dataDir)
    await openApp(page, server.url)
    await page.getByRole('button', { name: 'Load sample data' }).click()
    await page.getByRole('link', { name: 'Settings', exact: true }).click()
    await page.getByLabel('Language').selectOption(locale)
    await expect(page.getByRole('heading', { level: 1, name: t('settings.title') })).toBeVisible()
    await expect(page.locator('html')).toHaveAttribute('lang', locale)
    await page.screenshot({ path: join(screenshotDir, `${locale}-settings.png`), fullPage: true })

    await page.getByRole('link', { name: t('nav.today'), exact: true }).click()
    await expect(page.getByRole('heading', { level: 1, name: t('today.title') })).toBeVisible()
    await page.screenshot({ path: join(screenshotDir, `${locale}-today.png`) })

    await page.getByRole('button', { name: t('cases:new.button') }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel(t('cases:field.customerName')).fill('王芳')
    await dialog.getByLabel(t('cases:field.summary')).fill('外卖迟到一个小时，饭菜都凉了')
    await dialog.getByLabel(t('cases:field.remedySought')).fill('退款')
    await dialog.getByLabel(t('cases:field.category')).selectOption({ label: t('cases:category.long-wait') })
    await dialog.getByLabel(t('cases:field.severity')).selectOption('minor')
    await page.screenshot({ path: join(screenshotDir, `${locale}-new-complaint.png`) })
    await dialog.getByRole('button', { name: t('actions.save') }).click()
    await expect(page.getByRole('heading', { level: 1, name: '外卖迟到一个小时，饭菜都凉了' })).toBeVisible()

    for (const step of ['empathise', 'apologise', 'resolve'] as const) {
      const item = page.getByRole('listitem', { name: t(`cases:step.${step}`), exact: true })
      await item.getByRole('button', { name: t('cases:steps.done') }).click()
      await expect(item.getByText(t('cases:stepStatus.done'), { exact: true })).toBeVisible()
    }
    await page.getByRole('button', { name: t('cases:close.button') }).click()
    const closeDialog = page.getByRole('dialog')
    await closeDialog.getByLabel(t('cases:close.satisfaction')).selectOption('4')
    await closeDialog.getByLabel(t('cases:close.wouldComeBack')).selectOption('yes')
    await closeDialog.getByRole('button', { name: t('cases:close.confirm') }).click()
    await expect(closeDialog.getByRole('alert')).toContainText(t('cases:step.prevent'))
    await page.screenshot({ path: join(screenshotDir, `${locale}-close-refused.png`) })
    await page
      .getByRole('dialog')
      .getByRole('button', { name: t('actions.cancel') })
      .click()
    await page.screenshot({ path: join(screenshotDir, `${locale}-case.png`), fullPage: true })

    await page.getByRole('link', { name: t('nav.cases'), exact: true }).click()
    await page.getByRole('searchbox').fill('迟到饭菜')
    await expect(page.getByRole('link', { name: /王芳 — 外卖迟到一个小时/ })).toBeVisible()
    await page.getByRole('searchbox').fill('')
    await page.screenshot({ path: join(screenshotDir, `${locale}-cases.png`) })
    await page.getByRole('link', { name: t('nav.customers'), exact: true }).click()
    await expect(
      page
        .getByRole('list', { name: t('customers.title') })
        .getByRole('link')
        .first(),
    ).toBeVisible()
    await page.screenshot({ path: join(screenshotDir, `${locale}-customers.png`) })
    await server.stop()
  })
}

/**
 * Every main screen in Hungarian and both Chinese variants, on the sample data at a fixed time:
 * each must show its own translated heading, and the screenshots (test-results/screens-*) are for a
 * reader of the language to look at.
 */
for (const locale of ['hu', 'zh-CN', 'zh-TW'] as const satisfies Locale[]) {
  test(`every main screen in ${locale}`, async ({ page, dataDir }) => {
    test.setTimeout(180_000)
    const t = await translator(locale)
    const server = await startServer(dataDir, ['--now', '2026-11-23T10:00:00Z'])
    await openApp(page, server.url)
    await page.getByRole('button', { name: 'Load sample data' }).click()
    await page.getByRole('link', { name: 'Settings', exact: true }).click()
    await page.getByLabel('Language').selectOption(locale)
    await expect(page.locator('html')).toHaveAttribute('lang', locale)
    const nav = page.getByRole('navigation', { name: t('nav.label') })
    const shot = (name: string) =>
      page.screenshot({ path: join(screenshotDir, `screens-${locale}-${name}.png`), fullPage: true })

    const screens: [string, string, string][] = [
      ['today', t('nav.today'), t('today.title')],
      ['cases', t('nav.cases'), t('cases:list.title')],
      ['promises', t('promises:nav'), t('promises:title')],
      ['iceberg', t('iceberg:nav.iceberg'), t('iceberg:iceberg.title')],
      ['escalations', t('escalations:nav.escalations'), t('escalations:title')],
      ['reports', t('report:screen.nav'), t('report:screen.title')],
      ['settings', t('nav.settings'), t('settings.title')],
    ]
    for (const [name, link, heading] of screens) {
      // The escalations link carries a badge in its name, so it is matched from its start.
      await nav.getByRole('link', { name: new RegExp(`^${link}`) }).click()
      await expect(page.getByRole('heading', { level: 1, name: heading, exact: true })).toBeVisible()
      await shot(name)
      if (name === 'cases') {
        await page.locator('a.case-row').first().click()
        await expect(page.getByRole('heading', { level: 2, name: t('cases:steps.title') })).toBeVisible()
        await shot('case')
      }
    }
    await server.stop()
  })
}
