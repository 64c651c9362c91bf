import { expect, openApp, startServer, test } from './fixtures'

test('the case list fetches pages as it scrolls and reaches the oldest case', async ({ page, dataDir }) => {
  const server = await startServer(dataDir, ['--now', '2026-11-23T10:00:00Z'])
  try {
    await openApp(page, server.url)
    await page.getByRole('button', { name: 'Load sample data' }).click()
    await page.getByRole('link', { name: 'Cases', exact: true }).click()
    // 150 cases arrive 100 at a time: the count is of all of them from the first page on.
    await expect(page.getByText('150 cases')).toBeVisible()
    const list = page.getByRole('list', { name: 'Cases' })
    await expect(list.getByRole('link', { name: /^C-2026-0150 / })).toBeVisible()
    await list.evaluate((element) => element.parentElement?.scrollTo({ top: element.scrollHeight }))
    await expect(list.getByRole('link', { name: /^C-2026-0001 / })).toBeVisible()

    // A filter starts a new paged list with its own count.
    await page.getByLabel('Status').selectOption('closed')
    await expect(page.getByText(/^\d+ cases?$/)).not.toHaveText('150 cases')
    await expect(list.getByRole('link').first()).toContainText('Closed')
  } finally {
    await server.stop()
  }
})
