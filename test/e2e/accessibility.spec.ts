import { AxeBuilder } from '@axe-core/playwright'
import { join } from 'node:path'
import { type Page } from '@playwright/test'
import { type Locale } from '../../src/shared/schemas'
import { translator } from '../helpers/translator'
import { expect, openApp, screenshotDir, startServer, test } from './fixtures'

/** Monday 23 November 2026, 10:00 UTC: every test here lives at this instant. */
const now = '2026-11-23T10:00:00Z'

/** WCAG 2.0 and 2.1, levels A and AA: the rules axe-core tags so. No rule is turned off. */
const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']

type Finding = { screen: string; rule: string; impact: string; nodes: string[] }

/** Runs axe on the page as it stands and keeps every violation under the screen's name. */
async function audit(page: Page, screen: string, findings: Finding[]): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(wcagTags).analyze()
  for (const v of results.violations) {
    findings.push({
      screen,
      rule: v.id,
      impact: v.impact ?? '',
      nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')} — ${n.failureSummary ?? ''}`),
    })
  }
}

async function go(page: Page, hash: string): Promise<void> {
  await page.evaluate((to) => {
    window.location.hash = to
  }, hash)
}

for (const locale of ['en', 'zh-CN'] as const satisfies readonly Locale[]) {
  test(`every screen and dialog passes axe-core's WCAG 2 A/AA rules with the sample data (${locale})`, async ({
    page,
    dataDir,
  }) => {
    test.setTimeout(240_000)
    const t = await translator(locale)
    const server = await startServer(dataDir, ['--now', now])
    const findings: Finding[] = []
    try {
      await openApp(page, server.url)
      await page.getByRole('button', { name: 'Load sample data' }).click()
      await expect(page.getByRole('button', { name: 'Load sample data' })).toBeHidden()
      if (locale !== 'en') {
        await page.getByRole('link', { name: 'Settings', exact: true }).click()
        await page.getByLabel('Language').selectOption(locale)
        await expect(page.locator('html')).toHaveAttribute('lang', locale)
      }
      const h1 = page.getByRole('heading', { level: 1 })

      // Today, both tabs.
      await go(page, '#/today')
      for (const tab of ['mine', 'team'] as const) {
        await page.getByRole('tab', { name: t(`today.${tab}`), exact: true }).click()
        await expect(page.getByRole('tab', { name: t(`today.${tab}`), exact: true })).toHaveAttribute(
          'aria-selected',
          'true',
        )
        await audit(page, `Today › ${tab}`, findings)
      }

      // Every screen of the navigation, each once it shows its heading.
      const screens: [string, string][] = [
        ['#/cases', t('cases:list.title')],
        ['#/customers', t('customers.title')],
        ['#/promises', t('promises:title')],
        ['#/iceberg', t('iceberg:iceberg.title')],
        ['#/grumbles', t('iceberg:grumble.listTitle')],
        ['#/signals', t('iceberg:signals.title')],
        ['#/escalations', t('escalations:title')],
        ['#/departments', t('escalations:departments.title')],
        ['#/reports', t('report:screen.title')],
        ['#/settings', t('settings.title')],
      ]
      for (const [hash, title] of screens) {
        await go(page, hash)
        await expect(page.getByRole('heading', { level: 1, name: title, exact: true })).toBeVisible()
        await audit(page, hash, findings)
      }

      // Search everywhere, a case, its print view, a customer.
      await go(page, '#/cases')
      await page.getByRole('searchbox').fill(locale === 'en' ? 'cold' : '冷')
      await expect(page.getByRole('heading', { name: t('search:title') })).toBeVisible()
      await expect(page.getByText(t('search:searching'))).toBeHidden()
      await audit(page, 'Cases › search everywhere', findings)
      await page.getByRole('searchbox').fill('')
      await page
        .getByRole('list', { name: t('cases:list.title') })
        .getByRole('link')
        .first()
        .click()
      await expect(page.getByRole('button', { name: t('print:button'), exact: true })).toBeVisible()
      await audit(page, 'Case', findings)
      const caseUrl = page.url()

      // The case screen's dialogs.
      for (const [button, name] of [
        [t('cases:edit.button'), 'Edit'],
        [t('cases:handOff.button'), 'Hand off'],
        [t('promises:button'), 'Promise'],
      ] as const) {
        await page.getByRole('button', { name: button, exact: true }).click()
        await expect(page.getByRole('dialog')).toBeVisible()
        await audit(page, `Case › ${name} dialog`, findings)
        await page.keyboard.press('Escape')
        await expect(page.getByRole('dialog')).toBeHidden()
      }

      await page.getByRole('button', { name: t('print:button'), exact: true }).click()
      await expect(page.getByRole('button', { name: t('print:now') })).toBeVisible()
      await audit(page, 'Case › print view', findings)
      await page.goto(caseUrl)
      await expect(page.locator('[data-app-state="loaded"]')).toBeVisible()

      await go(page, '#/customers')
      await page.getByRole('main').getByRole('link').first().click()
      await expect(h1).toBeVisible()
      await audit(page, 'Customer', findings)

      // The app-wide dialogs: new complaint, log grumble, shortcuts.
      await page.getByRole('button', { name: t('cases:new.button'), exact: true }).click()
      await expect(page.getByRole('dialog')).toBeVisible()
      await audit(page, 'New complaint dialog', findings)
      await page.keyboard.press('Escape')
      await page.getByRole('button', { name: t('iceberg:grumble.button'), exact: true }).click()
      await expect(page.getByRole('dialog')).toBeVisible()
      await audit(page, 'Log grumble dialog', findings)
      await page.keyboard.press('Escape')
      await expect(page.getByRole('dialog')).toBeHidden()
      await page.locator('body').press('?')
      await expect(page.getByRole('dialog')).toBeVisible()
      await audit(page, 'Shortcuts dialog', findings)
      await page.keyboard.press('Escape')

      await go(page, '#/escalations')
      await expect(page.getByRole('heading', { level: 1, name: t('escalations:title'), exact: true })).toBeVisible()
      await page.screenshot({ path: join(screenshotDir, `${locale}-a11y-escalations.png`), fullPage: true })
      await go(page, '#/departments')
      await expect(
        page.getByRole('heading', { level: 1, name: t('escalations:departments.title'), exact: true }),
      ).toBeVisible()
      await page.screenshot({ path: join(screenshotDir, `${locale}-a11y-departments.png`), fullPage: true })
      // In a narrow window the department tables scroll sideways: the keyboard must reach them.
      await page.setViewportSize({ width: 480, height: 860 })
      // The scroll box of the first department's table: a region named by the table's caption that
      // the Tab key stops at. Found by that name: other regions (the recent failures) may come first.
      const captionEnd = t('escalations:departments.caption', { department: '' })
      const scroller = page.locator(`main [role="region"][tabindex="0"][aria-label$="${captionEnd}"]`).first()
      await expect.poll(() => scroller.evaluate((e) => e.scrollWidth > e.clientWidth)).toBe(true)
      await audit(page, 'Departments (narrow window)', findings)
      await scroller.focus()
      await page.keyboard.press('ArrowRight')
      await expect.poll(() => scroller.evaluate((e) => e.scrollLeft)).toBeGreaterThan(0)
    } finally {
      await server.stop()
    }
    // Every finding with its screen, rule and first nodes: the failure message says what to fix.
    expect(findings).toEqual([])
  })
}
