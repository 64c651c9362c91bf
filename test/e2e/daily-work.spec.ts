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

for (const locale of ['en', 'zh-CN'] as const) {
  test(`No silent defaults: N opens the new complaint with nothing chosen, Save names what is missing; / and ? (${locale})`, async ({
    page,
    dataDir,
  }) => {
    const t = await translator(locale)
    const words = texts[locale]
    const server = await startServer(dataDir, ['--now', now])
    try {
      await openApp(page, server.url)
      await useLanguage(page, locale)
      await page.getByRole('link', { name: t('nav.today'), exact: true }).click()

      await page.keyboard.press('n')
      const dialog = page.getByRole('dialog', { name: t('cases:new.title') })
      await expect(dialog).toBeVisible()
      const category = dialog.getByLabel(t('cases:field.category'))
      const severity = dialog.getByLabel(t('cases:field.severity'))
      await expect(category).toHaveValue('')
      await expect(severity).toHaveValue('')
      // Typing an "n" into a field is typing, not the shortcut.
      await dialog.getByLabel(t('cases:field.customerName')).fill(words.customer)
      await dialog.getByLabel(t('cases:field.summary')).pressSequentially('n')
      await dialog.getByLabel(t('cases:field.summary')).fill(words.summary)
      await dialog.getByRole('button', { name: t('actions.save') }).click()
      const missing = [t('cases:field.category'), t('cases:field.severity')]
      await expect(
        dialog.getByText(t('cases:new.notSaved', { fields: new Intl.ListFormat(locale).format(missing) })),
      ).toBeVisible()
      await expect(category).toHaveAttribute('aria-invalid', 'true')
      await expect(severity).toHaveAttribute('aria-invalid', 'true')
      await page.screenshot({ path: join(screenshotDir, `${locale}-new-complaint-missing.png`) })
      await category.selectOption('long-wait')
      await severity.selectOption('major')
      await dialog.getByRole('button', { name: t('actions.save') }).click()
      await expect(page.getByRole('heading', { level: 1, name: words.summary })).toBeVisible()

      await page.keyboard.press('/')
      await expect(page.getByRole('heading', { level: 1, name: t('cases:list.title') })).toBeVisible()
      const search = page.getByRole('searchbox')
      await expect(search).toBeFocused()
      await page.keyboard.type(words.summary.slice(0, 3))
      await expect(
        page.getByRole('list', { name: t('cases:list.title') }).getByRole('link', { name: new RegExp(words.summary) }),
      ).toBeVisible()

      await page.getByRole('heading', { level: 1 }).click()
      await page.keyboard.press('?')
      const shortcuts = page.getByRole('dialog', { name: t('shortcuts.title') })
      await expect(shortcuts).toBeVisible()
      const actions = await shortcuts.getByRole('row').allTextContents()
      for (const [key, action] of [
        ['N', t('shortcuts.newComplaint')],
        ['/', t('shortcuts.search')],
        ['?', t('shortcuts.help')],
        ['Alt+G', t('iceberg:grumble.button')],
      ]) {
        expect(actions).toContain(`${key}${action}`)
      }
      await page.screenshot({ path: join(screenshotDir, `${locale}-shortcuts.png`) })
      await page.keyboard.press('Escape')
      await expect(shortcuts).toBeHidden()
    } finally {
      await server.stop()
    }
  })
}

for (const locale of ['en', 'zh-CN'] as const) {
  test(`Today: Mine, Team, and Ready to close with Call and close (${locale})`, async ({ page, dataDir }) => {
    const t = await translator(locale)
    const server = await startServer(dataDir, ['--now', now])
    try {
      await openApp(page, server.url)
      await page.getByRole('button', { name: 'Load sample data' }).click()
      await expect(page.getByRole('button', { name: 'Load sample data' })).toBeHidden()
      await useLanguage(page, locale)
      await page.getByRole('link', { name: t('nav.today'), exact: true }).click()

      // Mine: the sample data works as Anna Kovács; her open cases, not everyone's.
      const mine = page.getByRole('tab', { name: t('today.mine'), exact: true })
      await expect(mine).toHaveAttribute('aria-selected', 'true')
      const myCases = page.getByRole('list', { name: t('today.myCases') }).getByRole('listitem')
      await expect(myCases).toHaveCount(2)
      await page.screenshot({ path: join(screenshotDir, `${locale}-today-mine.png`), fullPage: true })

      // Ready to close: the 4 sample cases whose six steps are done, the one waiting since 24 October first.
      const ready = page.getByRole('region', { name: t('today.readyToClose') })
      await expect(page.getByRole('heading', { name: t('today.readyToClose') })).toBeVisible()
      const readyItems = ready.getByRole('listitem')
      await expect(readyItems).toHaveCount(4)
      await expect(readyItems.first()).toHaveAccessibleName(/^C-2026-0125 /)
      await readyItems
        .first()
        .getByRole('button', { name: t('today.callAndClose'), exact: true })
        .click()
      const dialog = page.getByRole('dialog')
      await dialog.getByLabel(t('cases:close.satisfaction')).selectOption('5')
      await dialog.getByLabel(t('cases:close.wouldComeBack')).selectOption('yes')
      await dialog.getByRole('button', { name: t('cases:close.confirm') }).click()
      await expect(dialog).toBeHidden()
      await expect(readyItems).toHaveCount(3)
      await expect(readyItems.first()).not.toHaveAccessibleName(/^C-2026-0125 /)

      // A hand-off to Anna puts the case in her work.
      await readyItems.first().getByRole('link').click()
      // The case screen first: read too early, the heading is still Today's own.
      const handOffButton = page.getByRole('button', { name: t('cases:handOff.button'), exact: true })
      await expect(handOffButton).toBeVisible()
      const handedOver = (await page.getByRole('heading', { level: 1 }).textContent()) ?? ''
      await handOffButton.click()
      const handOff = page.getByRole('dialog')
      await handOff.getByLabel(t('cases:handOff.to')).fill('Anna Kovács')
      await handOff.getByRole('button', { name: t('cases:handOff.confirm') }).click()
      await expect(handOff).toBeHidden()
      await page.getByRole('link', { name: t('nav.today'), exact: true }).click()
      await expect(myCases).toHaveCount(3)
      await expect(page.getByRole('list', { name: t('today.myCases') })).toContainText(handedOver)

      // Team: one row per person. Tom Baker had six open cases: C-2026-0133 was handed to Anna above.
      await page.getByRole('tab', { name: t('today.team'), exact: true }).click()
      const team = page.getByRole('table', { name: t('today.teamTitle') })
      await expect(
        team
          .getByRole('row', { name: /^Tom Baker/ })
          .getByRole('cell')
          .first(),
      ).toHaveText('5')
      await expect(
        team
          .getByRole('row', { name: /^Maria Lopez/ })
          .getByRole('cell')
          .nth(1),
      ).toHaveText('2')
      await expect(page.getByText(t('today.unacknowledged', { count: 3 }))).toBeVisible()
      await page.screenshot({ path: join(screenshotDir, `${locale}-today-team.png`), fullPage: true })
    } finally {
      await server.stop()
    }
  })
}

for (const locale of ['en', 'zh-CN'] as const) {
  test(`Undo for ten seconds after a step, a close and a Kept; a finished step reopened with a reason (${locale})`, async ({
    page,
    dataDir,
  }) => {
    const t = await translator(locale)
    const words = texts[locale]
    // The page's timers run on Playwright's clock, so the ten seconds pass when the test says so.
    await page.clock.install({ time: new Date(now) })
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
      const notice = page.getByRole('region', { name: t('undo.label') })
      const undo = notice.getByRole('button', { name: t('undo.button'), exact: true })
      const step = (key: string) => page.getByRole('listitem', { name: t(`cases:step.${key}`), exact: true })
      const done = async (key: string) => {
        await step(key)
          .getByRole('button', { name: t('cases:steps.done'), exact: true })
          .click()
        await expect(step(key).getByText(t('cases:stepStatus.done'), { exact: true })).toBeVisible()
      }

      // A mistaken Done, taken back at once: pending again, and the timeline says why.
      await done('empathise')
      await expect(notice).toContainText(t('undo.stepDone', { step: t('cases:step.empathise') }))
      await page.screenshot({ path: join(screenshotDir, `${locale}-undo-notice.png`) })
      await undo.click()
      await expect(step('empathise').getByText(t('cases:stepStatus.pending'), { exact: true })).toBeVisible()
      await expect(notice).toBeHidden()
      await expect(screen.timeline.getByText(t('undo.reason'))).toBeVisible()

      // The offer lasts ten seconds.
      await done('empathise')
      await expect(undo).toBeVisible()
      await page.clock.fastForward(9_000)
      await expect(undo).toBeVisible()
      await page.clock.fastForward(1_500)
      await expect(undo).toBeHidden()

      // Later, a finished step reopens only with a reason.
      await step('empathise')
        .getByRole('button', { name: t('cases:steps.reopen'), exact: true })
        .click()
      await step('empathise')
        .getByRole('button', { name: t('cases:steps.reopenConfirm'), exact: true })
        .click()
      await expect(step('empathise').getByRole('alert')).toHaveText(t('errors.step.reopen_needs_reason'))
      await step('empathise').getByRole('textbox').fill('The customer was still upset')
      await step('empathise')
        .getByRole('button', { name: t('cases:steps.reopenConfirm'), exact: true })
        .click()
      await expect(step('empathise').getByText(t('cases:stepStatus.pending'), { exact: true })).toBeVisible()
      await expect(
        screen.timeline.getByText(t('cases:timeline.stepReopened', { step: t('cases:step.empathise') })).last(),
      ).toBeVisible()
      await expect(screen.timeline.getByText('The customer was still upset')).toBeVisible()

      // A close, taken back: the case is Resolved again and can be closed later.
      await done('resolve')
      await done('prevent')
      await page.getByRole('button', { name: t('cases:close.button'), exact: true }).click()
      const dialog = page.getByRole('dialog')
      await dialog.getByLabel(t('cases:close.satisfaction')).selectOption('4')
      await dialog.getByLabel(t('cases:close.wouldComeBack')).selectOption('yes')
      await dialog.getByRole('button', { name: t('cases:close.confirm') }).click()
      await expect(notice).toContainText(t('undo.caseClosed', { number: 'C-2026-0001' }))
      await undo.click()
      await expect(page.getByText(t('cases:status.resolved'), { exact: true }).first()).toBeVisible()
      await expect(page.getByRole('button', { name: t('cases:close.button'), exact: true })).toBeVisible()

      // A Kept given by mistake, taken back: the promise is open again. (A person's promise: the
      // case's guarantee promises are kept by its recovery steps, not by hand.)
      const promises = page.getByRole('region', { name: t('promises:section') })
      await promises.getByRole('button', { name: t('promises:button'), exact: true }).click()
      const promiseDialog = page.getByRole('dialog')
      await promiseDialog.getByLabel(t('promises:field.what')).fill(words.summary)
      await promiseDialog.getByRole('button', { name: t('promises:dialog.save') }).click()
      const promise = promises.getByRole('listitem', { name: words.summary })
      await promise.getByRole('button', { name: t('promises:action.kept'), exact: true }).click()
      await expect(promise.getByRole('button', { name: t('promises:action.kept'), exact: true })).toBeHidden()
      await undo.click()
      await expect(promise.getByRole('button', { name: t('promises:action.kept'), exact: true })).toBeVisible()
      await page.screenshot({ path: join(screenshotDir, `${locale}-undo-case.png`), fullPage: true })
    } finally {
      await server.stop()
    }
  })
}
