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
    await page.screenshot({ path: join(screenshotDir, `${locale}-customers.png`) })
    await server.stop()
  })
}
