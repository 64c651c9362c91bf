import { join } from 'node:path'
import { type Page } from '@playwright/test'
import { dispatch } from '../../src/main/services'
import { Store } from '../../src/main/store/store'
import { expect, openApp, screenshotDir, startServer, test } from './fixtures'
import { appPage } from './pages/app'

/** The promises screen's row for one staff member: [due, on time, late, broken, rate]. */
async function rateRow(page: Page, name: string) {
  const row = page.getByRole('row', { name: new RegExp(`^${name}`) })
  return row.getByRole('cell').allTextContents()
}

test('a promise made on a case, due today, overdue after the clock moves on, kept late', async ({ page, dataDir }) => {
  // Wednesday 12 March 2025, 09:00 in the calendar's zone (empty: the server's, pinned to UTC for e2e).
  let server = await startServer(dataDir, ['--now', '2025-03-12T09:00:00Z'])
  const app = appPage(page)
  await openApp(page, server.url)
  await app.newComplaint({
    customer: 'Margaret Smith',
    summary: 'Refund never arrived',
    remedy: 'Her money back',
    category: 'Poor quality of work',
  })

  // Make two promises; the dialog shows when each falls due.
  const promises = page.getByRole('region', { name: 'Promises' })
  for (const what of ['Call back with the refund', 'Send the written apology']) {
    await promises.getByRole('button', { name: 'Promise', exact: true }).click()
    const dialog = page.getByRole('dialog')
    await dialog.getByLabel('What').fill(what)
    await dialog.getByLabel('Due').selectOption({ label: 'Today at close' })
    await expect(dialog.getByText(/^Due /)).toBeVisible()
    await dialog.getByLabel('Made by').fill('Anna Kovács')
    if (what.startsWith('Call')) await page.screenshot({ path: join(screenshotDir, 'promise-dialog.png') })
    await dialog.getByRole('button', { name: 'Save' }).click()
    await expect(dialog).toBeHidden()
    await expect(promises.getByRole('listitem', { name: what })).toBeVisible()
  }
  // The service guarantees were promised with the case.
  await expect(promises.getByRole('listitem', { name: 'First response within 4 business hours' })).toBeVisible()
  const apology = promises.getByRole('listitem', { name: 'Send the written apology' })
  await apology.getByRole('button', { name: 'Kept' }).click()
  await expect(apology.getByText('Kept on time', { exact: true })).toBeVisible()
  await expect(
    page.getByRole('list', { name: 'Timeline' }).getByText('Promise kept: Send the written apology'),
  ).toBeVisible()
  await page.screenshot({ path: join(screenshotDir, 'case-promises.png'), fullPage: true })

  // Today: it is due today.
  await app.nav('Today').click()
  const dueToday = page.getByRole('region', { name: 'Due today' })
  await expect(dueToday.getByRole('listitem', { name: 'Call back with the refund' })).toBeVisible()
  await expect(page.getByRole('region', { name: 'Overdue' }).getByText('Nothing overdue.')).toBeVisible()
  await page.screenshot({ path: join(screenshotDir, 'today-promises.png'), fullPage: true })

  await app.nav('Promises').click()
  await expect.poll(() => rateRow(page, 'Anna Kovács')).toEqual(['2', '1', '0', '0', '100%'])

  // The next morning the promise has passed its due time unkept.
  await server.stop()
  server = await startServer(dataDir, ['--now', '2025-03-13T09:00:00Z'])
  await openApp(page, server.url)
  const overdue = page.getByRole('region', { name: 'Overdue' })
  const callBack = overdue.getByRole('listitem', { name: 'Call back with the refund' })
  await expect(callBack).toBeVisible()
  await expect(callBack.getByText('Overdue', { exact: true })).toBeVisible()
  await app.nav('Promises').click()
  // Overdue counts as broken: the kept-on-time rate falls to 50 %.
  await expect.poll(() => rateRow(page, 'Anna Kovács')).toEqual(['2', '1', '0', '1', '50%'])

  await app.nav('Today').click()
  await callBack.getByRole('button', { name: 'Kept' }).click()
  await expect(callBack).toBeHidden()
  await app.nav('Promises').click()
  await expect.poll(() => rateRow(page, 'Anna Kovács')).toEqual(['2', '1', '1', '0', '50%'])
  const ledger = page.getByRole('list', { name: 'The ledger' })
  await expect(ledger.getByRole('listitem', { name: 'Call back with the refund' }).getByText('Kept late')).toBeVisible()
  await page.screenshot({ path: join(screenshotDir, 'promises-ledger.png'), fullPage: true })

  // Export to calendar downloads an .ics file of the open promises.
  const download = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Export to calendar' }).click()
  expect((await download).suggestedFilename()).toMatch(/\.ics$/)
  await expect(page.getByRole('status')).toContainText('open promise')
  await server.stop()
})

test('marking a promise broken logs it on the case and offers a new, honest promise', async ({ page, dataDir }) => {
  const server = await startServer(dataDir, ['--now', '2025-03-12T09:00:00Z'])
  const app = appPage(page)
  await openApp(page, server.url)
  await app.newComplaint({
    customer: 'David Chen',
    summary: 'Invoice charged twice',
    remedy: 'A corrected invoice',
    category: 'Poor quality of work',
  })
  const promises = page.getByRole('region', { name: 'Promises' })
  await promises.getByRole('button', { name: 'Promise', exact: true }).click()
  let dialog = page.getByRole('dialog')
  await dialog.getByLabel('What').fill('Send a corrected invoice')
  await dialog.getByLabel('Due').selectOption({ label: 'In N business days' })
  await dialog.getByLabel('Number of business days').fill('2')
  await dialog.getByLabel('Made by').fill('Li Wei')
  await dialog.getByRole('button', { name: 'Save' }).click()
  const item = promises.getByRole('listitem', { name: 'Send a corrected invoice' })

  await item.getByRole('button', { name: 'Broken' }).click()
  dialog = page.getByRole('dialog')
  await dialog.getByRole('button', { name: 'Mark broken' }).click()
  await expect(dialog.getByText('Write what happened.')).toBeVisible()
  await dialog.getByLabel('What happened').fill('The accounts office was closed')
  await expect(dialog.getByLabel('Log it on the case as a failure')).toBeChecked()
  await page.screenshot({ path: join(screenshotDir, 'promise-broken.png') })
  await dialog.getByRole('button', { name: 'Mark broken' }).click()

  // The honest follow-up promise, prefilled with what was promised.
  dialog = page.getByRole('dialog')
  await expect(dialog.getByLabel('What')).toHaveValue('Send a corrected invoice')
  await dialog.getByLabel('Due').selectOption({ label: 'In N business days' })
  await dialog.getByLabel('Number of business days').fill('5')
  await dialog.getByLabel('Made by').fill('Li Wei')
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog).toBeHidden()
  const timeline = page.getByRole('list', { name: 'Timeline' })
  await expect(timeline.getByText('Broken promise logged as a failure: Send a corrected invoice')).toBeVisible()
  const broken = promises.getByRole('listitem').filter({ hasText: 'The accounts office was closed' })
  await expect(broken.getByText('Broken', { exact: true })).toBeVisible()
  await expect(promises.getByRole('listitem', { name: 'Send a corrected invoice' })).toHaveCount(2)

  // Renegotiate the new one, then cancel it.
  const open = promises.getByRole('listitem', { name: 'Send a corrected invoice' }).filter({ hasText: 'Not yet due' })
  await open.getByRole('button', { name: 'Renegotiate' }).click()
  dialog = page.getByRole('dialog')
  await dialog.getByLabel('Due').selectOption({ label: 'In N business days' })
  await dialog.getByLabel('Number of business days').fill('8')
  await dialog.getByLabel('Note').fill('Customer asked to wait for the end of the month')
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(promises.getByText('Renegotiated', { exact: true })).toBeVisible()
  await promises
    .getByRole('listitem', { name: 'Send a corrected invoice' })
    .filter({ hasText: 'Not yet due' })
    .getByRole('button', { name: 'Cancel' })
    .click()
  dialog = page.getByRole('dialog')
  await dialog.getByLabel('Why is it cancelled?').fill('Customer paid the difference herself')
  await dialog.getByRole('button', { name: 'Cancel promise' }).click()
  await expect(promises.getByText('Cancelled', { exact: true })).toBeVisible()
  await server.stop()
})

test('sample data shows the ledger at work, in English and in Chinese', async ({ page, dataDir }) => {
  const server = await startServer(dataDir, ['--now', '2025-03-12T10:00:00Z'])
  const app = appPage(page)
  await openApp(page, server.url)
  await page.getByRole('button', { name: 'Load sample data' }).click()
  // The sample data works as one staff member: everyone's promises are on Today's Team view.
  await page.getByRole('tab', { name: 'Team' }).click()
  await expect(page.getByRole('region', { name: 'Overdue' }).getByRole('listitem').first()).toBeVisible()
  await expect(page.getByRole('region', { name: 'Due today' }).getByRole('listitem').first()).toBeVisible()
  await page.screenshot({ path: join(screenshotDir, 'today-sample.png'), fullPage: true })
  await app.nav('Promises').click()
  await expect(page.getByRole('row', { name: /^Everyone/ })).toBeVisible()
  await page.screenshot({ path: join(screenshotDir, 'promises-sample.png'), fullPage: true })
  await app.nav('Settings').click()
  await expect(page.getByRole('group', { name: 'Service guarantees' })).toBeVisible()
  await page
    .getByRole('group', { name: 'Working calendar' })
    .screenshot({ path: join(screenshotDir, 'settings-calendar.png') })

  await page.getByLabel('Language').selectOption('zh-CN')
  await expect(page.getByRole('link', { name: '承诺', exact: true })).toBeVisible()
  await page.getByRole('link', { name: '今日', exact: true }).click()
  await page.getByRole('tab', { name: '团队' }).click()
  await expect(page.getByRole('region', { name: '已逾期' })).toBeVisible()
  await page.screenshot({ path: join(screenshotDir, 'today-sample-zh.png'), fullPage: true })
  await page.getByRole('link', { name: '承诺', exact: true }).click()
  await expect(page.getByRole('row', { name: /^全体/ })).toBeVisible()
  await page.screenshot({ path: join(screenshotDir, 'promises-sample-zh.png'), fullPage: true })
  await server.stop()
})

test.describe('after closing time', () => {
  // The shop's calendar and the browser are both in Shanghai, so the screenshots read as the shop's times.
  test.use({ timezoneId: 'Asia/Shanghai' })

  test('at 21:00 "Today at close" is disabled with the reason, and the dialog starts on Tomorrow', async ({
    page,
    dataDir,
  }) => {
    // Wednesday 12 March 2025, 21:00 in Shanghai: the calendar closed at 17:00.
    const now = '2025-03-12T13:00:00Z'
    const store = await Store.open(dataDir)
    try {
      const calendar = { ...store.settings.promises.calendar, timeZone: 'Asia/Shanghai' }
      const set = await dispatch({ store, now: () => new Date(now) }, 'settings:update', {
        promises: { ...store.settings.promises, calendar },
      })
      expect(set.ok).toBe(true)
    } finally {
      await store.close()
    }
    const server = await startServer(dataDir, ['--now', now])
    const app = appPage(page)
    await openApp(page, server.url)
    await app.newComplaint({
      customer: 'Wang Fang',
      summary: 'Soup was cold',
      remedy: 'A fresh bowl',
      category: 'Poor quality of work',
    })
    const caseUrl = page.url()

    await page.getByRole('region', { name: 'Promises' }).getByRole('button', { name: 'Promise', exact: true }).click()
    let dialog = page.getByRole('dialog')
    const due = dialog.getByLabel('Due')
    await expect(due).toHaveValue('tomorrow')
    const today = due.locator('option[value="today"]')
    await expect(today).toBeDisabled()
    await expect(today).toHaveText('Today at close (closed for today — 17:00)')
    await expect(dialog.getByText('Today at close: closed for today — 17:00')).toBeVisible()
    await expect(dialog.getByText(/^Due /)).toHaveText('Due Mar 13, 2025, 5:00 PM')
    await dialog.getByLabel('What').fill('Call back with the refund')
    await dialog.getByLabel('Made by').fill('Anna Kovács')
    await dialog.screenshot({ path: join(screenshotDir, 'promise-dialog-after-close.png') })
    // The click that used to end in "the due time has already passed" now makes the promise.
    await dialog.getByRole('button', { name: 'Save' }).click()
    await expect(dialog).toBeHidden()
    await expect(
      page.getByRole('region', { name: 'Promises' }).getByRole('listitem', { name: 'Call back with the refund' }),
    ).toBeVisible()

    // The same in Chinese.
    await app.nav('Settings').click()
    await page.getByLabel('Language').selectOption('zh-CN')
    await expect(page.getByRole('link', { name: '承诺', exact: true })).toBeVisible()
    await page.goto(caseUrl)
    await page.getByRole('region', { name: '承诺' }).getByRole('button', { name: '承诺', exact: true }).click()
    dialog = page.getByRole('dialog')
    await expect(dialog.getByLabel('到期')).toHaveValue('tomorrow')
    await expect(dialog.getByLabel('到期').locator('option[value="today"]')).toBeDisabled()
    await expect(dialog.getByText('今天下班前：今天已下班 — 17:00')).toBeVisible()
    await dialog.screenshot({ path: join(screenshotDir, 'promise-dialog-after-close-zh.png') })
    await server.stop()
  })
})
