import { readFile, writeFile } from 'node:fs/promises'
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

test('a damaged month file is set aside and completed from the backup; every screen and every later start says so until dealt with', async ({
  page,
  dataDir,
}) => {
  const now = ['--now', '2026-11-23T10:00:00Z']
  const first = await startServer(dataDir, now)
  try {
    await openApp(page, first.url)
    await page.getByRole('button', { name: 'Load sample data' }).click()
    await page.getByRole('link', { name: 'Settings', exact: true }).click()
    await page.getByRole('button', { name: 'Back up now' }).click()
    await expect(page.getByRole('status')).toHaveText('Backed up.')
  } finally {
    await first.stop()
  }
  // Someone edits October's file by hand and breaks it.
  const october = join(dataDir, 'data', 'months', '2026-10.json')
  await writeFile(october, (await readFile(october, 'utf8')).slice(0, 500))

  const second = await startServer(dataDir, now)
  try {
    await openApp(page, second.url)
    const banner = page.getByRole('alert').filter({ hasText: 'Some data files were damaged' })
    await expect(banner).toContainText('2026-10.json could not be read and was set aside')
    await page.getByRole('link', { name: 'Cases', exact: true }).click()
    await expect(banner).toBeVisible()
    await page.screenshot({ path: join(screenshotDir, 'storage-problem-banner.png') })
    await banner.getByRole('link', { name: 'See what happened and restore a backup' }).click()

    const backups = page.getByRole('region', { name: 'Backups' })
    await expect(backups.getByRole('heading', { name: 'Backups' })).toBeInViewport()
    await expect(backups.getByRole('alert')).toContainText('2026-10.json: it is not valid JSON')
    // What the cut file lost came back from the backup, and the note says so.
    await expect(backups.getByRole('alert')).toContainText('were recovered from the backup makegood-manual-')
    // Anything written after that backup (the server's own sweeps) cannot come back: it is counted.
    await expect(backups.getByRole('alert')).toContainText(/\d+ are missing/)
    await page.screenshot({ path: join(screenshotDir, 'storage-problem-settings.png'), fullPage: true })
    await backups.getByRole('button', { name: /^Restore the latest backup \(.+\)…$/ }).click()
    const dialog = page.getByRole('dialog', { name: 'Restore this backup?' })
    await expect(dialog.getByRole('row', { name: /^Cases \d+ 150$/ })).toBeVisible()
    await dialog.getByRole('button', { name: 'Cancel' }).click()
  } finally {
    await second.stop()
  }

  // A later start still says so: the problem lives in the quarantine folder, not in memory.
  const third = await startServer(dataDir, now)
  try {
    await openApp(page, third.url)
    const banner = page.getByRole('alert').filter({ hasText: 'Some data files were damaged' })
    await expect(banner).toContainText('2026-10.json could not be read and was set aside')
    await banner.getByRole('link', { name: 'See what happened and restore a backup' }).click()
    const backups = page.getByRole('region', { name: 'Backups' })
    await backups.getByRole('button', { name: 'I have dealt with it' }).click()
    await expect(backups.getByRole('alert')).toHaveCount(0)
    await page.getByRole('link', { name: 'Today', exact: true }).click()
    await expect(page.getByRole('alert').filter({ hasText: 'Some data files were damaged' })).toHaveCount(0)
  } finally {
    await third.stop()
  }
})
