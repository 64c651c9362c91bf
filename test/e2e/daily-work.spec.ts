import { join } from 'node:path'
import { type Page } from '@playwright/test'
import { type Locale } from '../../src/shared/schemas'
import { translator } from '../helpers/translator'
import { expect, openApp, screenshotDir, startServer, test } from './fixtures'
import { caseScreen } from './pages/caseScreen'

/** Monday 23 November 2026, 10:00 UTC: every test here lives at this instant. */
const now = '2026-11-23T10:00:00Z'

async function useLanguage(page: Page, locale: Locale) {
  if (locale === 'en') return
  await page.getByRole('link', { name: 'Settings', exact: true }).click()
  await page.getByLabel('Language').selectOption(locale)
  await expect(page.locator('html')).toHaveAttribute('lang', locale)
}

const texts = {
  en: {
    customer: 'Margaret Smith',
    other: 'John Doe',
    summary: 'Cold soup at table 4',
    fixed: 'Cold soup and a long wait',
  },
  'zh-CN': { customer: '王芳', other: '李伟', summary: '汤端上来是凉的', fixed: '汤是凉的，还等了很久' },
} as const

for (const locale of ['en', 'zh-CN'] as const) {
  test(`Edit and Hand off a case: every change on the timeline with before → after (${locale})`, async ({
    page,
    dataDir,
  }) => {
    const t = await translator(locale)
    const words = texts[locale]
    const server = await startServer(dataDir, ['--now', now])
    try {
      await openApp(page, server.url)
      await useLanguage(page, locale)
      const screen = caseScreen(page, t)
      await screen.newComplaint({
        customer: words.customer,
        summary: words.summary,
        category: 'hygiene',
        severity: 'minor',
      })

      await screen.edit({ summary: words.fixed, category: 'long-wait', severity: 'major', customer: words.other })
      await expect(page.getByRole('heading', { level: 1, name: words.fixed })).toBeVisible()
      const change = (field: string, before: string, after: string) =>
        screen.timeline.getByText(t('cases:timeline.change', { field: t(`cases:field.${field}`), before, after }))
      await expect(change('summary', words.summary, words.fixed)).toBeVisible()
      await expect(change('category', t('cases:category.hygiene'), t('cases:category.long-wait'))).toBeVisible()
      await expect(change('severity', t('cases:severity.minor'), t('cases:severity.major'))).toBeVisible()
      await expect(change('customer', words.customer, words.other)).toBeVisible()
      await expect(page.getByRole('region', { name: t('cases:detail.customer') }).getByText(words.other)).toBeVisible()

      await screen.handOff('Anna Kovács', 'She runs the kitchen')
      await expect(
        screen.timeline.getByText(t('cases:timeline.handOff', { before: '—', after: 'Anna Kovács' })),
      ).toBeVisible()
      await expect(screen.timeline.getByText('She runs the kitchen')).toBeVisible()
      // Handing it to the person who has it already is refused, and says why.
      await page.getByRole('button', { name: t('cases:handOff.button'), exact: true }).click()
      const dialog = page.getByRole('dialog')
      await dialog.getByLabel(t('cases:handOff.to')).fill('Anna Kovács')
      await dialog.getByRole('button', { name: t('cases:handOff.confirm') }).click()
      await expect(dialog.getByRole('alert')).toContainText('Anna Kovács')
      await page.screenshot({ path: join(screenshotDir, `${locale}-hand-off-refused.png`) })
      await dialog.getByRole('button', { name: t('actions.cancel') }).click()
      await page.screenshot({ path: join(screenshotDir, `${locale}-case-edited.png`), fullPage: true })
    } finally {
      await server.stop()
    }
  })
}
