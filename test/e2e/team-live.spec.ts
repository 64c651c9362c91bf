import { spawnSync } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client } from 'pg'
import { cliEnv } from '../helpers/cli-env'
import { startCluster } from '../helpers/cluster'
import { translator } from '../helpers/translator'
import { type Server, expect, openApp, screenshotDir, startServer, test } from './fixtures'

const root = join(__dirname, '..', '..')
const now = '2026-11-23T10:00:00Z'

let cluster: Awaited<ReturnType<typeof startCluster>> | undefined
let teamUrl = ''

// One throwaway PostgreSQL cluster for this file, set up the way the README says: a login that
// may create roles, owning an empty database, then `makegood team init`.
test.beforeAll(async () => {
  cluster = await startCluster()
  const admin = new Client({ connectionString: cluster.url })
  await admin.connect()
  await admin.query('create role anna login createrole')
  await admin.query('create database makegood owner anna')
  await admin.end()
  const url = new URL(cluster.url)
  url.username = 'anna'
  url.pathname = '/makegood'
  teamUrl = url.toString()
  const init = spawnSync(
    process.execPath,
    [join(root, 'bin', 'makegood.cjs'), '--db', teamUrl, 'team', 'init', '--owner', 'Anna Owner'],
    { cwd: root, env: cliEnv(), encoding: 'utf8' },
  )
  if (init.status !== 0) throw new Error(`team init failed: ${init.stderr}`)
})

test.afterAll(() => cluster?.stop())

test('two serve --db desks: a complaint logged at one shows on the other’s Today without a reload; who has a case open is named', async ({
  browser,
}) => {
  const t = await translator('en')
  const folders = await Promise.all([1, 2].map(() => mkdtemp(join(tmpdir(), 'makegood-desk-'))))
  const servers: Server[] = []
  try {
    // Both desks connect as the same login: signing in as separate people is the roles feature's part.
    for (const folder of folders) servers.push(await startServer(folder, ['--db', teamUrl, '--now', now]))
    const [agent, supervisor] = await Promise.all([browser.newPage(), browser.newPage()])
    await openApp(agent!, servers[0]!.url)
    await openApp(supervisor!, servers[1]!.url)
    await supervisor!.getByRole('link', { name: t('nav.today'), exact: true }).click()
    const nextSteps = supervisor!.getByRole('list', { name: t('today.nextSteps') })
    await expect(nextSteps.getByRole('listitem')).toHaveCount(0)

    await agent!.keyboard.press('n')
    const dialog = agent!.getByRole('dialog', { name: t('cases:new.title') })
    await dialog.getByLabel(t('cases:field.customerName')).fill('Margaret Smith')
    await dialog.getByLabel(t('cases:field.summary')).fill('Soup arrived cold')
    await dialog.getByLabel(t('cases:field.category')).selectOption('long-wait')
    await dialog.getByLabel(t('cases:field.severity')).selectOption('major')
    await dialog.getByRole('button', { name: t('actions.save') }).click()
    await expect(agent!.getByRole('heading', { level: 1, name: 'Soup arrived cold' })).toBeVisible()
    const savedAt = Date.now()

    // The other desk's open Today shows it, with no reload and no click.
    await expect(nextSteps.getByRole('link', { name: /Soup arrived cold/ })).toBeVisible()
    process.stdout.write(`other desk's Today showed the complaint ${Date.now() - savedAt} ms after the save\n`)

    // The agent has the case open: the supervisor's Cases list marks it, and the case names who.
    await supervisor!.getByRole('link', { name: t('nav.cases'), exact: true }).click()
    const marker = supervisor!.getByLabel('Anna Owner is viewing this case')
    await expect(marker).toBeVisible()
    await supervisor!.screenshot({ path: join(screenshotDir, 'en-team-cases-viewing.png') })
    await supervisor!.getByRole('link', { name: /Soup arrived cold/ }).click()
    await expect(supervisor!.getByRole('status').filter({ hasText: 'Anna Owner is viewing this case' })).toBeVisible()
    await supervisor!.screenshot({ path: join(screenshotDir, 'en-team-case-viewing.png') })

    // The language is a team setting: changed at one desk, the other follows it live.
    await agent!.evaluate(async () => {
      const token = sessionStorage.getItem('makegood-token') ?? ''
      await fetch('/api/settings:update', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-makegood-token': token },
        body: JSON.stringify({ language: 'zh-CN' }),
      })
    })
    const zh = await translator('zh-CN')
    await expect(supervisor!.getByRole('heading', { level: 1, name: 'Soup arrived cold' })).toBeVisible()
    await expect(supervisor!.getByRole('button', { name: zh('cases:edit.button'), exact: true })).toBeVisible()
    await expect(supervisor!.getByRole('status').filter({ hasText: 'Anna Owner 正在查看此案件' })).toBeVisible()
    await supervisor!.screenshot({ path: join(screenshotDir, 'zh-CN-team-case-viewing.png') })
    await supervisor!.getByRole('link', { name: zh('nav.cases'), exact: true }).click()
    await expect(supervisor!.getByLabel('Anna Owner 正在查看此案件')).toBeVisible()
    await supervisor!.screenshot({ path: join(screenshotDir, 'zh-CN-team-cases-viewing.png') })
  } finally {
    for (const server of servers) await server.stop()
    for (const folder of folders) await rm(folder, { recursive: true, force: true })
  }
})
