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
    customer: 'Kovács Anna',
    typed: 'kovacs  anna',
    duplicate: 'Kovacs Anna',
    summary: 'Cold soup at table 4',
    second: 'Waited forty minutes',
    grumble: 'Said the coffee was lukewarm',
    grumbleFixed: 'Said the coffee was lukewarm again',
  },
  'zh-CN': {
    customer: '王芳',
    typed: '王',
    duplicate: 'Wang Fang',
    summary: '汤端上来是凉的',
    second: '等了四十分钟',
    grumble: '说咖啡是温的',
    grumbleFixed: '又说咖啡是温的',
  },
} as const

for (const locale of ['en', 'zh-CN'] as const) {
  test(`Delete → Trash → Restore, Merge customers, matches as you type, grumble edit and Undo (${locale})`, async ({
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
      const undoNotice = page.getByRole('region', { name: t('undo.label') })
      const undo = undoNotice.getByRole('button', { name: t('undo.button'), exact: true })
      await screen.newComplaint({
        customer: words.customer,
        summary: words.summary,
        category: 'poor-quality',
        severity: 'minor',
      })

      // Delete: the case leaves the list at once; Undo within ten seconds brings it back.
      await page.getByRole('button', { name: t('trash:delete'), exact: true }).click()
      await expect(undoNotice).toContainText(t('trash:deleted', { what: `C-2026-0001 ${words.summary}` }))
      const casesList = page.getByRole('main')
      await expect(casesList.getByText(words.summary)).toBeHidden()
      await undo.click()
      await expect(casesList.getByText(words.summary)).toBeVisible()

      // Deleted again, and restored from Settings → Trash.
      await casesList.getByText(words.summary).click()
      await page.getByRole('button', { name: t('trash:delete'), exact: true }).click()
      await expect(undoNotice).toBeVisible()
      await page.getByRole('link', { name: t('nav.settings'), exact: true }).click()
      const trash = page.getByRole('region', { name: t('trash:title') })
      await expect(trash.getByRole('heading', { name: t('trash:title') })).toBeVisible()
      const row = trash.getByRole('row').filter({ hasText: words.summary })
      await expect(row).toContainText(t('trash:kind.case'))
      await row.scrollIntoViewIfNeeded()
      await page.screenshot({ path: join(screenshotDir, `${locale}-trash.png`) })
      await row.getByRole('button', { name: t('trash:restore'), exact: true }).click()
      await expect(trash.getByText(t('trash:empty'))).toBeVisible()
      await page.getByRole('link', { name: t('nav.cases'), exact: true }).click()
      await expect(page.getByRole('main').getByText(words.summary)).toBeVisible()

      // Likely matches as the name is typed: picking one files the complaint on that customer.
      await page.getByRole('button', { name: t('cases:new.button') }).click()
      const dialog = page.getByRole('dialog')
      await dialog.getByLabel(t('cases:field.customerName')).fill(words.typed)
      const matches = dialog.getByRole('region', { name: t('trash:match.title') })
      const use = matches.getByRole('button', { name: t('trash:match.use', { name: words.customer }) })
      await expect(use).toBeVisible()
      await page.screenshot({ path: join(screenshotDir, `${locale}-customer-matches.png`) })
      await use.click()
      await expect(dialog.getByLabel(t('cases:field.customerName'))).toHaveValue(words.customer)
      await dialog.getByRole('button', { name: t('actions.cancel') }).click()

      // A second record of the same person, then Merge customers keeps one.
      await screen.newComplaint({
        customer: words.duplicate,
        summary: words.second,
        category: 'long-wait',
        severity: 'minor',
      })
      await page.getByRole('link', { name: t('nav.customers'), exact: true }).click()
      const customers = page.getByRole('list', { name: t('customers.title') })
      await expect(customers.getByRole('listitem')).toHaveCount(2)
      await page.getByRole('button', { name: t('trash:merge.button'), exact: true }).click()
      const merge = page.getByRole('dialog', { name: t('trash:merge.title') })
      const pick = async (label: string, name: string) => {
        const select = merge.getByLabel(label)
        const value = (await select.locator('option', { hasText: name }).first().getAttribute('value')) ?? ''
        await select.selectOption(value)
        return value
      }
      const keepList = merge.getByLabel(t('trash:merge.keep'))
      const search = merge.getByLabel(t('trash:merge.find'))
      await expect(keepList.locator('option')).toHaveCount(3)
      const keepId = await pick(t('trash:merge.keep'), words.customer)
      // A search that matches no one narrows the lists, and the customer chosen stays chosen;
      // Enter in the search box searches, it does not merge.
      await search.fill('zzz')
      await search.press('Enter')
      await expect(keepList.locator('option')).toHaveCount(2)
      await expect(keepList).toHaveValue(keepId)
      await expect(merge).toBeVisible()
      await search.fill('')
      await expect(keepList.locator('option')).toHaveCount(3)
      await pick(t('trash:merge.other'), words.duplicate)
      await page.screenshot({ path: join(screenshotDir, `${locale}-merge-customers.png`) })
      await merge.getByRole('button', { name: t('trash:merge.submit'), exact: true }).click()
      await expect(merge).toBeHidden()
      await expect(
        page.getByText(t('trash:merge.done', { gone: words.duplicate, kept: words.customer, cases: 1 })),
      ).toBeVisible()
      await expect(customers.getByRole('listitem')).toHaveCount(1)
      await expect(customers).toContainText(t('customers.caseCount', { count: 2 }))
      await page.getByRole('link', { name: t('nav.cases'), exact: true }).click()
      await page.getByRole('main').getByText(words.second).click()
      await expect(
        screen.timeline.getByText(t('trash:timeline.merged', { before: words.duplicate, after: words.customer })),
      ).toBeVisible()

      // A grumble logged by mistake is taken back with Undo; another is edited, then deleted.
      const logGrumble = async (text: string) => {
        await page.getByRole('button', { name: t('iceberg:grumble.button') }).click()
        const grumbleDialog = page.getByRole('dialog', { name: t('iceberg:grumble.title') })
        await grumbleDialog.getByLabel(t('iceberg:grumble.text')).fill(text)
        await page.keyboard.press('Enter')
        await expect(grumbleDialog).toBeHidden()
      }
      await page.getByRole('link', { name: t('iceberg:nav.iceberg'), exact: true }).click()
      await page.getByRole('link', { name: t('iceberg:nav.grumbles'), exact: true }).click()
      const grumbles = page.getByRole('list', { name: t('iceberg:grumble.listTitle') })
      await logGrumble(words.grumble)
      await expect(undoNotice).toContainText(t('iceberg:grumble.saved', { text: words.grumble }))
      await expect(grumbles.getByText(words.grumble)).toBeVisible()
      await undo.click()
      await expect(grumbles.getByText(words.grumble)).toBeHidden()
      await expect(page.getByText(t('iceberg:grumble.empty'))).toBeVisible()

      await logGrumble(words.grumble)
      const grumbleRow = grumbles.getByRole('listitem').filter({ hasText: words.grumble })
      await grumbleRow.getByRole('button', { name: t('trash:edit'), exact: true }).click()
      const edit = page.getByRole('dialog', { name: t('trash:editGrumble') })
      await edit.getByLabel(t('iceberg:grumble.text')).fill(words.grumbleFixed)
      await edit.getByRole('button', { name: t('actions.save') }).click()
      await expect(edit).toBeHidden()
      const fixedRow = grumbles.getByRole('listitem').filter({ hasText: words.grumbleFixed })
      await expect(fixedRow).toBeVisible()
      await fixedRow.getByRole('button', { name: t('trash:delete'), exact: true }).click()
      await expect(grumbles.getByText(words.grumbleFixed)).toBeHidden()
      await page.getByRole('link', { name: t('nav.settings'), exact: true }).click()
      await expect(trash.getByRole('row').filter({ hasText: words.grumbleFixed })).toContainText(
        t('trash:kind.grumble'),
      )
      await expect(trash.getByRole('row').filter({ hasText: words.duplicate })).toContainText(t('trash:kind.customer'))
      await page.screenshot({ path: join(screenshotDir, `${locale}-trash-after.png`), fullPage: true })
    } finally {
      await server.stop()
    }
  })
}
