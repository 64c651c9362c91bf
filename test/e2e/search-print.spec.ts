import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { type Page } from '@playwright/test'
import { type TFunction } from 'i18next'
import { type Locale } from '../../src/shared/schemas'
import { translator } from '../helpers/translator'
import { expect, openApp, screenshotDir, startServer, test } from './fixtures'
import { caseScreen } from './pages/caseScreen'

const run = promisify(execFile)

/** Monday 23 November 2026, 10:00 UTC: every test here lives at this instant. */
const now = '2026-11-23T10:00:00Z'

async function useLanguage(page: Page, locale: Locale) {
  if (locale === 'en') return
  await page.getByRole('link', { name: 'Settings', exact: true }).click()
  await page.getByLabel('Language').selectOption(locale)
  await expect(page.locator('html')).toHaveAttribute('lang', locale)
}

async function completeStep(page: Page, t: TFunction, step: string, note: string) {
  const item = page.getByRole('listitem', { name: t(`cases:step.${step}`), exact: true })
  await item.getByRole('textbox').fill(note)
  await item.getByRole('button', { name: t('cases:steps.done'), exact: true }).click()
  await expect(item.getByText(t('cases:stepStatus.done'), { exact: true })).toBeVisible()
}

const texts = {
  en: {
    customer: 'Zsófia Örkény',
    summary: 'Lukewarm goulash at table 7',
    stepNote: 'Listened while she told us about the paprika',
    handOff: 'Béla knows the kitchen rota',
    // Typed without accents, in another case: found all the same.
    customerQuery: 'ZSOFIA orkeny',
    stepQuery: 'paprika',
    timelineQuery: 'rota',
  },
  'zh-CN': {
    customer: '王芳',
    summary: '汤端上来是凉的',
    stepNote: '认真听她讲完，汤确实太凉了',
    handOff: '她熟悉厨房排班',
    customerQuery: '王芳',
    stepQuery: '认真',
    timelineQuery: '排班',
  },
} as const

for (const locale of ['en', 'zh-CN'] as const) {
  test(`Search everywhere finds a customer, a case, a step note and a timeline line; Print shows one clean page (${locale})`, async ({
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
        category: 'poor-quality',
        severity: 'minor',
      })
      await completeStep(page, t, 'empathise', words.stepNote)
      await screen.handOff('Anna Kovács', words.handOff)

      // "/" from another screen opens the Cases screen with the search box focused.
      await page.getByRole('link', { name: t('nav.today'), exact: true }).click()
      await page.locator('body').press('/')
      const box = page.getByRole('searchbox', { name: t('cases:list.search') })
      await expect(box).toBeFocused()

      const results = page.getByRole('region', { name: t('search:title') })
      const group = (kind: string) => results.getByRole('region', { name: new RegExp(`^${t(`search:kind.${kind}`)}`) })
      await box.fill(words.customerQuery)
      await expect(group('customer').getByRole('link', { name: words.customer })).toBeVisible()
      await expect(group('case').getByRole('link', { name: words.summary })).toBeVisible()
      await expect(group('stepNote')).toBeHidden()
      await page.screenshot({ path: join(screenshotDir, `${locale}-search-everywhere.png`), fullPage: true })

      await box.fill(words.stepQuery)
      await expect(group('stepNote').getByRole('link', { name: words.summary })).toBeVisible()
      await expect(group('stepNote').getByText(words.stepNote)).toBeVisible()
      await expect(group('stepNote').getByText(t('cases:step.empathise'))).toBeVisible()

      await box.fill(words.timelineQuery)
      await expect(group('timeline').getByText(words.handOff)).toBeVisible()
      await expect(group('customer')).toBeHidden()

      await box.fill('zzzz-nothing')
      await expect(results.getByText(t('search:nothing', { query: 'zzzz-nothing' }))).toBeVisible()

      // A hit opens its case; Print opens the print view of that case.
      await box.fill(words.timelineQuery)
      await group('timeline').getByRole('link', { name: words.summary }).click()
      await expect(page.getByRole('heading', { level: 1, name: words.summary })).toBeVisible()
      await page.getByRole('button', { name: t('print:button'), exact: true }).click()
      const sheet = page.getByRole('article', { name: words.summary })
      for (const heading of [
        t('cases:detail.facts'),
        t('cases:steps.title'),
        t('promises:section'),
        t('cases:timeline.title'),
      ]) {
        await expect(sheet.getByRole('heading', { level: 2, name: heading })).toBeVisible()
      }
      await expect(sheet.getByRole('cell', { name: words.stepNote, exact: true })).toBeVisible()
      await expect(sheet.getByText(words.customer).first()).toBeVisible()

      // "Print now" hands the page to the browser's print dialog.
      await page.evaluate(() => {
        const w = window as unknown as { printCalls: number }
        w.printCalls = 0
        window.print = () => {
          w.printCalls += 1
        }
      })
      await page.getByRole('button', { name: t('print:now'), exact: true }).click()
      expect(await page.evaluate(() => (window as unknown as { printCalls: number }).printCalls)).toBe(1)

      // On paper: the sheet alone, without the app's header, navigation or buttons, on one page.
      await page.emulateMedia({ media: 'print' })
      await expect(page.getByRole('navigation')).toBeHidden()
      await expect(page.getByRole('button', { name: t('print:now') })).toBeHidden()
      await expect(sheet).toBeVisible()
      await page.screenshot({ path: join(screenshotDir, `${locale}-case-print.png`), fullPage: true })
      const pdf = join(dataDir, 'printed.pdf')
      await page.pdf({ path: pdf, format: 'A4' })
      const { stdout: info } = await run('pdfinfo', [pdf])
      expect(Number(/Pages:\s+(\d+)/.exec(info)?.[1])).toBe(1)
      const { stdout: printed } = await run('pdftotext', [pdf, '-'])
      expect(printed).toContain(words.summary)
      expect(printed).not.toContain(t('nav.today'))
    } finally {
      await server.stop()
    }
  })
}
