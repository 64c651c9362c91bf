import { join } from 'node:path'
import { expect, openApp, screenshotDir, startServer, test } from './fixtures'

test('back up now, then restore an older backup after seeing what it replaces', async ({ page, dataDir }) => {
  const server = await startServer(dataDir, ['--now', '2026-11-23T10:00:00Z'])
  try {
    await openApp(page, server.url)
    await page.getByRole('button', { name: 'Load sample data' }).click()
    await page.getByRole('link', { name: 'Settings', exact: true }).click()
    const backups = page.getByRole('region', { name: 'Backups' })
    // The daily backup ran when the server started, on the still-empty folder.
    await expect(backups.getByRole('button', { name: 'Restore…' })).toHaveCount(1)
    await backups.getByLabel('Backups to keep').fill('5')
    await backups.getByRole('button', { name: 'Back up now' }).click()
    await expect(backups.getByRole('status')).toHaveText('Backed up.')
    await expect(backups.getByRole('button', { name: 'Restore…' })).toHaveCount(2)
    await page.screenshot({ path: join(screenshotDir, 'backups.png'), fullPage: true })

    // The automatic backup is of the empty folder: the dialog says what a restore would replace.
    await backups
      .getByRole('listitem')
      .filter({ hasText: 'makegood-auto-' })
      .getByRole('button', { name: 'Restore…' })
      .click()
    const dialog = page.getByRole('dialog', { name: 'Restore this backup?' })
    await expect(dialog.getByRole('row', { name: 'Cases 150 0' })).toBeVisible()
    await page.screenshot({ path: join(screenshotDir, 'backups-restore.png') })
    await dialog.getByRole('button', { name: 'Restore', exact: true }).click()
    await expect(backups.getByRole('status')).toContainText(
      'Restored. The previous data was kept as makegood-before-restore-',
    )
    await page.getByRole('link', { name: 'Cases', exact: true }).click()
    await expect(page.getByRole('link', { name: /^C-2026-/ })).toHaveCount(0)

    await page.getByRole('link', { name: 'Settings', exact: true }).click()
    await page.getByLabel('Language').selectOption('zh-CN')
    await expect(page.getByRole('button', { name: '立即备份' })).toBeVisible()
    await page.screenshot({ path: join(screenshotDir, 'backups-zh.png'), fullPage: true })
  } finally {
    await server.stop()
  }
})
