import { join } from 'node:path'
import { Client } from 'pg'
import { type Locale } from '../../src/shared/schemas'
import { startCluster } from '../helpers/cluster'
import { translator } from '../helpers/translator'
import { expect, makegood, openApp, screenshotDir, startServer, test } from './fixtures'

const now = '2026-11-23T10:00:00Z'

let cluster: Awaited<ReturnType<typeof startCluster>> | undefined
/** What a desk types: the URL without the password, and the password on its own. */
let tomUrl = ''
let tomPassword = ''

// A throwaway server that asks every login for its password, set up the way the README says:
// a login that may create roles owns an empty database, `team init`, then `team add-person`.
test.beforeAll(async () => {
  cluster = await startCluster({ isPasswordRequired: true })
  const admin = new Client({ connectionString: cluster.url })
  await admin.connect()
  await admin.query(`create role anna login createrole password 'anna-pw'`)
  await admin.query('create database makegood owner anna')
  await admin.end()
  const owner = new URL(cluster.url)
  owner.username = 'anna'
  owner.password = 'anna-pw'
  owner.pathname = '/makegood'
  makegood(['--db', owner.toString(), 'team', 'init', '--owner', 'Anna Owner'])
  const tom = JSON.parse(
    makegood(['--db', owner.toString(), 'team', 'add-person', 'Tom Baker', '--role', 'agent', '--json']),
  ) as { login: string; password: string }
  const desk = new URL(owner)
  desk.username = tom.login
  desk.password = ''
  tomUrl = desk.toString()
  tomPassword = tom.password
})

test.afterAll(() => cluster?.stop())

for (const locale of ['en', 'zh-CN'] as const satisfies Locale[]) {
  test(`${locale}: a browser desk on its data folder tests the team database, connects, works as the login's person, and goes back`, async ({
    browser,
    dataDir,
  }) => {
    const t = await translator(locale)
    // The desk's language is `auto`: the browser's, here the one under test (before and after the switch).
    const context = await browser.newContext({ locale: locale === 'en' ? 'en-US' : locale })
    const page = await context.newPage()
    const server = await startServer(dataDir, ['--now', now])
    try {
      await openApp(page, server.url)
      await page.getByRole('link', { name: t('nav.settings'), exact: true }).click()
      const section = page.getByRole('region', { name: t('teamdb:title'), exact: true })
      await expect(section.getByRole('heading', { name: t('teamdb:title'), exact: true })).toBeVisible()
      await expect(section.getByText(t('teamdb:now.folder', { path: dataDir }))).toBeVisible()
      await expect(section.getByText(t('teamdb:keeping.browser'))).toBeVisible()

      const url = section.getByLabel(t('teamdb:field.url'), { exact: true })
      const password = section.getByLabel(t('teamdb:field.password'), { exact: true })
      await expect(password).toHaveAttribute('type', 'password')
      await url.fill(tomUrl)
      // A wrong password first: the test says so, and nothing changes.
      await password.fill('not-his-password')
      await section.getByRole('button', { name: t('teamdb:test'), exact: true }).click()
      const login = new URL(tomUrl).username
      await expect(section.getByRole('alert')).toContainText(t('teamdb:result.problem.login_refused', { login }))
      // Connect with it is refused the same way, and the desk stays on its data folder.
      await section.getByRole('button', { name: t('teamdb:connect'), exact: true }).click()
      await expect(section.getByRole('alert')).toHaveText(
        t('teamdb:errors.teamDatabase.login_refused', { login, host: '', database: '' }),
      )
      await expect(section.getByText(t('teamdb:now.folder', { path: dataDir }))).toBeVisible()
      await section.screenshot({ path: join(screenshotDir, `${locale}-team-database-refused.png`) })

      await password.fill(tomPassword)
      await section.getByRole('button', { name: t('teamdb:test'), exact: true }).click()
      const found = section.getByRole('status')
      await expect(found).toContainText(t('team:role.agent'))
      await expect(found).toContainText('Tom Baker')
      await expect(found).toContainText(/PostgreSQL \d+/)
      await section.screenshot({ path: join(screenshotDir, `${locale}-team-database-tested.png`) })

      await section.getByRole('button', { name: t('teamdb:connect'), exact: true }).click()
      const role = t('team:role.agent')
      await expect(section.getByRole('status')).toHaveText(t('teamdb:connected', { name: 'Tom Baker', role }))
      // Working as: the person of the login, in the header of every screen.
      await expect(page.getByText(t('team:session.workingAs', { name: 'Tom Baker', role }))).toBeVisible()
      await expect(section.getByText(t('teamdb:memory.browser'))).toBeVisible()
      await expect(password).toHaveValue('')
      await section.screenshot({ path: join(screenshotDir, `${locale}-team-database-connected.png`) })
      await page.screenshot({
        path: join(screenshotDir, `${locale}-team-database-header.png`),
        clip: { x: 0, y: 0, width: 1280, height: 120 },
      })

      // Back to the data folder: the header no longer names the team person.
      await section.getByRole('button', { name: t('teamdb:disconnect'), exact: true }).click()
      await expect(section.getByRole('status')).toHaveText(t('teamdb:disconnected'))
      await expect(section.getByText(t('teamdb:now.folder', { path: dataDir }))).toBeVisible()
      await expect(page.getByText(t('team:session.workingAs', { name: 'Tom Baker', role }))).toHaveCount(0)
    } finally {
      await context.close()
      await server.stop()
    }
  })
}
