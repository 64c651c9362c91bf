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
let agentUrl = ''
let supervisorUrl = ''

function makegood(args: string[]): string {
  const run = spawnSync(process.execPath, [join(root, 'bin', 'makegood.cjs'), ...args], {
    cwd: root,
    env: cliEnv(),
    encoding: 'utf8',
  })
  if (run.status !== 0) throw new Error(`makegood ${args.join(' ')} failed: ${run.stderr}`)
  return run.stdout
}

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
  const ownerUrl = url.toString()
  makegood(['--db', ownerUrl, 'team', 'init', '--owner', 'Anna Owner'])
  // Each desk signs in with its own login, made the way the README tells an owner to.
  const loginOf = (name: string, role: string) => {
    const person = JSON.parse(makegood(['--db', ownerUrl, 'team', 'add-person', name, '--role', role, '--json'])) as {
      login: string
      password: string
    }
    const desk = new URL(ownerUrl)
    desk.username = person.login
    desk.password = person.password
    return desk.toString()
  }
  agentUrl = loginOf('Tom Baker', 'agent')
  supervisorUrl = loginOf('Sue Perkins', 'supervisor')
})

test.afterAll(() => cluster?.stop())

test('an agent’s and a supervisor’s serve --db desks: the agent’s complaint shows on the supervisor’s Today without a reload; who has a case open is named', async ({
  browser,
}) => {
  const t = await translator('en')
  const folders = await Promise.all([1, 2].map(() => mkdtemp(join(tmpdir(), 'makegood-desk-'))))
  const servers: Server[] = []
  try {
    servers.push(await startServer(folders[0]!, ['--db', agentUrl, '--now', now]))
    servers.push(await startServer(folders[1]!, ['--db', supervisorUrl, '--now', now]))
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
    const marker = supervisor!.getByLabel('Tom Baker is viewing this case')
    await expect(marker).toBeVisible()
    await supervisor!.screenshot({ path: join(screenshotDir, 'en-team-cases-viewing.png') })
    await supervisor!.getByRole('link', { name: /Soup arrived cold/ }).click()
    await expect(supervisor!.getByRole('status').filter({ hasText: 'Tom Baker is viewing this case' })).toBeVisible()
    await supervisor!.screenshot({ path: join(screenshotDir, 'en-team-case-viewing.png') })

    // Each desk works as the person of its login.
    await expect(agent!.getByText(/Tom Baker/).first()).toBeVisible()
    await expect(supervisor!.getByText(/Sue Perkins/).first()).toBeVisible()

    // The language is a team setting, which a supervisor may change: the agent's desk follows it live.
    await supervisor!.evaluate(async () => {
      const token = sessionStorage.getItem('makegood-token') ?? ''
      await fetch('/api/settings:update', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-makegood-token': token },
        body: JSON.stringify({ language: 'zh-CN' }),
      })
    })
    const zh = await translator('zh-CN')
    await expect(agent!.getByRole('button', { name: zh('cases:edit.button'), exact: true })).toBeVisible()
    await expect(supervisor!.getByRole('heading', { level: 1, name: 'Soup arrived cold' })).toBeVisible()
    await expect(supervisor!.getByRole('button', { name: zh('cases:edit.button'), exact: true })).toBeVisible()
    await expect(supervisor!.getByRole('status').filter({ hasText: 'Tom Baker 正在查看此案件' })).toBeVisible()
    await supervisor!.screenshot({ path: join(screenshotDir, 'zh-CN-team-case-viewing.png') })
    await supervisor!.getByRole('link', { name: zh('nav.cases'), exact: true }).click()
    await expect(supervisor!.getByLabel('Tom Baker 正在查看此案件')).toBeVisible()
    await supervisor!.screenshot({ path: join(screenshotDir, 'zh-CN-team-cases-viewing.png') })
  } finally {
    for (const server of servers) await server.stop()
    for (const folder of folders) await rm(folder, { recursive: true, force: true })
  }
})
