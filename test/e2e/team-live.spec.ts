import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client } from 'pg'
import { startCluster } from '../helpers/cluster'
import { translator } from '../helpers/translator'
import { type Server, expect, makegood, openApp, screenshotDir, startServer, test } from './fixtures'

const now = '2026-11-23T10:00:00Z'

let cluster: Awaited<ReturnType<typeof startCluster>> | undefined
let agentUrl = ''
let supervisorUrl = ''

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
    // The supervisor watches the team's work: Today → Team, one row per person.
    await supervisor!.getByRole('link', { name: t('nav.today'), exact: true }).click()
    await supervisor!.getByRole('tab', { name: t('today.team'), exact: true }).click()
    const team = supervisor!.getByRole('table', { name: t('today.teamTitle') })
    const tomWithOneCase = team.getByRole('row', { name: /^Tom Baker 1 / })
    await expect(tomWithOneCase).toHaveCount(0)

    await agent!.keyboard.press('n')
    const dialog = agent!.getByRole('dialog', { name: t('cases:new.title') })
    await dialog.getByLabel(t('cases:field.customerName')).fill('Margaret Smith')
    await dialog.getByLabel(t('cases:field.summary')).fill('Soup arrived cold')
    await dialog.getByLabel(t('cases:field.category')).selectOption('long-wait')
    await dialog.getByLabel(t('cases:field.severity')).selectOption('major')
    await dialog.getByRole('button', { name: t('actions.save') }).click()
    await expect(agent!.getByRole('heading', { level: 1, name: 'Soup arrived cold' })).toBeVisible()
    const savedAt = Date.now()

    // The supervisor's open Today shows it, with no reload and no click.
    await expect(tomWithOneCase).toBeVisible()
    process.stdout.write(`other desk's Today showed the complaint ${Date.now() - savedAt} ms after the save\n`)

    // The agent has the case open: the supervisor's Cases list marks it, and the case names who.
    await supervisor!.getByRole('link', { name: t('nav.cases'), exact: true }).click()
    const marker = supervisor!.getByLabel('Tom Baker is viewing this case')
    await expect(marker).toBeVisible()
    await supervisor!.screenshot({ path: join(screenshotDir, 'en-team-cases-viewing.png') })
    await supervisor!.getByRole('link', { name: /Soup arrived cold/ }).click()
    await expect(supervisor!.getByRole('status').filter({ hasText: 'Tom Baker is viewing this case' })).toBeVisible()
    await supervisor!.screenshot({ path: join(screenshotDir, 'en-team-case-viewing.png') })

    // "Ask a superior" has a name at a team desk: the agent hands the case to the supervisor.
    await agent!.getByRole('button', { name: t('cases:handOff.button'), exact: true }).click()
    const handOff = agent!.getByRole('dialog', { name: /Hand off case/ })
    await handOff.getByRole('button', { name: t('cases:handOff.toSuperior', { name: 'Sue Perkins' }) }).click()
    await expect(handOff.getByLabel(t('cases:handOff.to'))).toHaveValue('Sue Perkins')
    await handOff.getByLabel(t('cases:handOff.note')).fill('She asked for the manager')
    await handOff.getByRole('button', { name: t('cases:handOff.confirm'), exact: true }).click()
    await expect(handOff).toBeHidden()

    // Each desk works as the person of its login.
    await expect(agent!.getByText(/Tom Baker/).first()).toBeVisible()
    await expect(supervisor!.getByText(/Sue Perkins/).first()).toBeVisible()

    // The language is each person's own: the agent, who may change no shared setting, chooses
    // Chinese; the supervisor's screens stay English until she chooses it too.
    await agent!.getByRole('link', { name: t('nav.settings'), exact: true }).click()
    await agent!.getByLabel(t('settings.language'), { exact: true }).selectOption('zh-CN')
    const zh = await translator('zh-CN')
    await expect(agent!.getByText(zh('team:session.ownLanguage'))).toBeVisible()
    await expect(agent!.getByText(zh('team:session.readOnlySettings'))).toBeVisible()
    await agent!.screenshot({ path: join(screenshotDir, 'zh-CN-team-agent-settings.png') })
    await agent!.getByRole('link', { name: zh('nav.cases'), exact: true }).click()
    await agent!.getByRole('link', { name: /Soup arrived cold/ }).click()
    await expect(agent!.getByRole('button', { name: zh('cases:edit.button'), exact: true })).toBeVisible()
    await expect(supervisor!.getByRole('button', { name: t('cases:edit.button'), exact: true })).toBeVisible()
    await supervisor!.getByRole('link', { name: t('nav.settings'), exact: true }).click()
    await supervisor!.getByLabel(t('settings.language'), { exact: true }).selectOption('zh-CN')
    await agent!.screenshot({ path: join(screenshotDir, 'zh-CN-team-agent-case.png') })
    // Back on the case, the supervisor sees in Chinese who else has it open.
    await supervisor!.getByRole('link', { name: zh('nav.cases'), exact: true }).click()
    await expect(supervisor!.getByLabel('Tom Baker 正在查看此案件')).toBeVisible()
    await supervisor!.screenshot({ path: join(screenshotDir, 'zh-CN-team-cases-viewing.png') })
    await supervisor!.getByRole('link', { name: /Soup arrived cold/ }).click()
    await expect(supervisor!.getByRole('button', { name: zh('cases:edit.button'), exact: true })).toBeVisible()
    await expect(supervisor!.getByRole('status').filter({ hasText: 'Tom Baker 正在查看此案件' })).toBeVisible()
    await supervisor!.screenshot({ path: join(screenshotDir, 'zh-CN-team-case-viewing.png') })
  } finally {
    for (const server of servers) await server.stop()
    for (const folder of folders) await rm(folder, { recursive: true, force: true })
  }
})
