import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { expect, openApp, startServer, test } from './fixtures'

test('a daily backup that cannot be written is shown in the browser, on every screen', async ({ page, dataDir }) => {
  // A file where the backups folder should be: the backup fails, even for root.
  await writeFile(join(dataDir, 'backups'), 'not a folder')
  const server = await startServer(dataDir, ['--now', '2026-11-23T10:00:00Z'])
  try {
    await openApp(page, server.url)
    const alert = page.getByRole('alert').filter({ hasText: 'Daily backup failed' })
    // The page asks once a minute; the first answer may come before the start-up backup has failed.
    await expect(async () => {
      await page.reload()
      await expect(alert).toBeVisible({ timeout: 2_000 })
    }).toPass({ timeout: 30_000 })
    await expect(alert).toContainText('tries again every hour')
    await page.getByRole('link', { name: 'Cases', exact: true }).click()
    await expect(alert).toBeVisible()
    await alert.getByRole('button', { name: 'Dismiss' }).click()
    await expect(alert).toBeHidden()
  } finally {
    await server.stop()
  }
})
