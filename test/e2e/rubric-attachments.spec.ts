import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { crc32, deflateSync } from 'node:zlib'
import { type Page } from '@playwright/test'
import { cliEnv } from '../helpers/cli-env'
import { translator } from '../helpers/translator'
import { expect, openApp, screenshotDir, startServer, test } from './fixtures'

/** Monday 23 November 2026, 10:00 UTC: every test here lives at this instant. */
const now = '2026-11-23T10:00:00Z'
const run = promisify(execFile)
const bin = join(__dirname, '..', '..', 'bin', 'makegood.cjs')
const makegood = (args: string[]) => run(process.execPath, [bin, ...args], { env: cliEnv() })

/** A real 96×64 PNG (a colour gradient), made here so the test needs no binary fixture. */
function gradientPng(width = 96, height = 64): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const out = Buffer.alloc(12 + data.length)
    out.writeUInt32BE(data.length, 0)
    body.copy(out, 4)
    out.writeUInt32BE(crc32(body), 8 + data.length)
    return out
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8)
  const rows = Buffer.alloc(height * (1 + width * 3))
  for (let y = 0; y < height; y++) {
    const row = y * (1 + width * 3)
    for (let x = 0; x < width; x++) rows.set([(x * 255) / width, (y * 255) / height, 160], row + 1 + x * 3)
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** The cases list is virtual: a case far down is found by its number. */
async function openCase(page: Page, number: string) {
  await page.getByRole('link', { name: 'Cases', exact: true }).click()
  await page.getByRole('searchbox', { name: 'Search' }).fill(number)
  await page.getByRole('link', { name: new RegExp(`^${number}`) }).click({ timeout: 15_000 })
}

test('score a closed case, attach a photo, export → import into a fresh folder: both still there', async ({
  page,
  dataDir,
}) => {
  test.setTimeout(240_000)
  const t = await translator('en')
  const work = await mkdtemp(join(tmpdir(), 'makegood-e2e-work-'))
  const photo = join(work, 'broken-plate.png')
  const bytes = gradientPng()
  await writeFile(photo, bytes)
  const exe = join(work, 'invoice.jpg')
  await writeFile(exe, Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300, 0x90)]))
  const fresh = join(work, 'fresh')
  const exported = join(work, 'export.json')
  try {
    const server = await startServer(dataDir, ['--now', now])
    try {
      await openApp(page, server.url)
      await page.getByRole('button', { name: 'Load sample data' }).click()
      await expect(page.getByRole('button', { name: 'Load sample data' })).toBeHidden()

      // Close the case that waits longest in Ready to close, then open it.
      const ready = page.getByRole('region', { name: t('today.readyToClose') })
      const first = ready.getByRole('listitem').first()
      await expect(first).toHaveAccessibleName(/^C-2026-0125 /)
      await first.getByRole('button', { name: t('today.callAndClose'), exact: true }).click()
      const dialog = page.getByRole('dialog')
      await dialog.getByLabel(t('cases:close.satisfaction')).selectOption('4')
      await dialog.getByLabel(t('cases:close.wouldComeBack')).selectOption('yes')
      await dialog.getByRole('button', { name: t('cases:close.confirm') }).click()
      await expect(dialog).toBeHidden()
      await openCase(page, 'C-2026-0125')
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible()

      // The rubric: four dimensions by their names, each level described in the choice.
      const rubric = page.getByRole('region', { name: 'Rubric' })
      for (const name of ['Timing', 'Information', 'Connection', 'Differentiation'])
        await expect(rubric.getByLabel(name, { exact: true })).toBeVisible()
      await expect(rubric.getByLabel('Timing', { exact: true }).getByRole('option', { name: /^5 – / })).toHaveText(
        `5 – ${t('rubrics:level.timing.5')}`,
      )
      await rubric.getByLabel('Timing', { exact: true }).selectOption('4')
      await rubric.getByLabel('Information', { exact: true }).selectOption('5')
      await rubric.getByLabel('Connection', { exact: true }).selectOption('3')
      await rubric.getByLabel('Differentiation', { exact: true }).selectOption('2')
      await rubric.getByLabel('Comment').fill('Fast and correct, but the reply read like a form letter.')
      await rubric.getByRole('button', { name: 'Save score' }).click()
      await expect(rubric.getByRole('status')).toContainText('Scored by Anna Kovács')

      // A program renamed .jpg is refused by its bytes; the photo is attached through the file chooser.
      const attachments = page.getByRole('region', { name: 'Attachments' })
      let chooser = page.waitForEvent('filechooser')
      await attachments.getByRole('button', { name: 'Attach file' }).click()
      await (await chooser).setFiles(exe)
      await expect(attachments.getByRole('alert')).toContainText('invoice.jpg is not a photo, scan or PDF')
      chooser = page.waitForEvent('filechooser')
      await attachments.getByRole('button', { name: 'Attach file' }).click()
      await (await chooser).setFiles(photo)
      const item = attachments.getByRole('listitem', { name: 'broken-plate.png' })
      await expect(item).toBeVisible()
      await expect(attachments.getByRole('alert')).toBeHidden()
      const thumbnail = item.getByRole('img', { name: 'Preview of broken-plate.png' })
      await expect(thumbnail).toHaveJSProperty('naturalWidth', 96)
      await page.screenshot({ path: join(screenshotDir, 'rubric-attachments-case.png'), fullPage: true })

      // Team: the rubric averages per person and per department.
      await page.getByRole('link', { name: t('nav.today'), exact: true }).click()
      await page.getByRole('tab', { name: t('today.team'), exact: true }).click()
      const people = page.getByRole('table', { name: 'Per person' })
      // Per person is per case owner (Zhang Min owns this case), not per scorer (Anna scored it).
      await expect(people.getByRole('row', { name: 'Zhang Min 1 4.0 5.0 3.0 2.0 3.5', exact: true })).toBeVisible()
      const departments = page.getByRole('table', { name: 'Per department' }).getByRole('row')
      await expect(departments).toHaveCount(2)
      await expect(departments.nth(1)).toHaveAccessibleName(/ 1 4\.0 5\.0 3\.0 2\.0 3\.5$/)
      await page.screenshot({ path: join(screenshotDir, 'rubric-team.png'), fullPage: true })
    } finally {
      await server.stop()
    }

    // Export, then import into a fresh folder, through the CLI as a user would.
    await makegood(['--data', dataDir, 'export', '--out', exported])
    await makegood(['--data', fresh, 'import', exported])
    const again = await startServer(fresh, ['--now', now])
    try {
      await openApp(page, again.url)
      await openCase(page, 'C-2026-0125')
      const item = page.getByRole('region', { name: 'Attachments' }).getByRole('listitem', { name: 'broken-plate.png' })
      await expect(item.getByRole('img', { name: 'Preview of broken-plate.png' })).toHaveJSProperty('naturalWidth', 96)
      // Open goes to the bytes themselves, served as what they are.
      const href = await item.getByRole('link', { name: 'Open' }).getAttribute('href')
      const answer = await page.request.get(new URL(href!, again.url).toString())
      expect(answer.headers()['content-type']).toBe('image/png')
      expect(answer.headers()['x-content-type-options']).toBe('nosniff')
      expect(answer.headers()['content-disposition']).toMatch(/^inline; filename="broken-plate.png"/)
      expect(Buffer.from(await answer.body()).equals(bytes)).toBe(true)
      const rubric = page.getByRole('region', { name: 'Rubric' })
      await expect(rubric.getByLabel('Differentiation', { exact: true })).toHaveValue('2')
      await expect(rubric.getByLabel('Comment')).toHaveValue('Fast and correct, but the reply read like a form letter.')

      // The same screen in Chinese.
      await page.getByRole('link', { name: 'Settings', exact: true }).click()
      await page.getByLabel('Language').selectOption('zh-CN')
      await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN')
      await page.goBack()
      const zh = await translator('zh-CN')
      await expect(page.getByRole('button', { name: zh('attachments:attach') })).toBeVisible()
      await expect(page.getByLabel(zh('rubrics:dimension.timing'), { exact: true })).toHaveValue('4')
      await page.screenshot({ path: join(screenshotDir, 'rubric-attachments-case-zh.png'), fullPage: true })
    } finally {
      await again.stop()
    }
  } finally {
    await rm(work, { recursive: true, force: true })
  }
})
