import { join } from 'node:path'
import { dispatch } from '../../src/main/services'
import { type ServiceContext } from '../../src/main/services/context'
import { Store } from '../../src/main/store/store'
import { type Case } from '../../src/shared/schemas'
import { expect, openApp, screenshotDir, startServer, test } from './fixtures'

/** Sets data up through the services, on the real folder, with the server stopped (one writer). */
async function withServices(dataDir: string, now: string, work: (ctx: ServiceContext) => Promise<void>) {
  const store = await Store.open(dataDir)
  try {
    await work({ store, now: () => new Date(now) })
  } finally {
    await store.close()
  }
}

async function call<T>(ctx: ServiceContext, method: Parameters<typeof dispatch>[1], input: unknown): Promise<T> {
  const result = await dispatch(ctx, method, input)
  if (!result.ok) throw new Error(result.error.message)
  return result.value as T
}

/** A late delivery from a different customer each time, so only the delivery pattern forms. */
async function lateDelivery(ctx: ServiceContext, customerName: string, receivedAt: string): Promise<Case> {
  return call<Case>(ctx, 'cases:create', {
    customerName,
    summary: 'Delivery arrived an hour late',
    category: 'long-wait',
    department: 'Delivery',
    owner: 'Tom Baker',
    receivedAt,
  })
}

/** Prevent done: the fix is in; then the case is closed. */
async function fix(ctx: ServiceContext, c: Case): Promise<void> {
  for (const step of ['empathise', 'apologise', 'resolve', 'investigate', 'add-plus', 'prevent']) {
    await call(ctx, 'cases:completeStep', { id: c.id, step, note: step === 'prevent' ? 'New evening round' : '' })
  }
  await call(ctx, 'cases:close', { id: c.id, reached: true, satisfaction: 4, wouldComeBack: 'yes' })
}

const title = 'Recurring: Waiting too long in Delivery'

test('a late-delivery problem is escalated, answered, fixed, resolved, and comes back', async ({ page, dataDir }) => {
  const first: Case[] = []
  await withServices(dataDir, '2026-10-01T08:00:00Z', async (ctx) => {
    await call(ctx, 'settings:update', {
      departments: ['Delivery', 'Kitchen'],
      // The acknowledging manager is picked from the staff, so the owner is on the list.
      staff: [
        { name: 'Anna Kovács', department: '' },
        { name: 'Tom Baker', department: 'Delivery' },
      ],
      currentUser: 'Anna Kovács',
    })
    // The story is about a recurring failure: overdue service-guarantee promises would be
    // further patterns of their own, so the guarantees are off here.
    const promises = ctx.store.settings.promises
    await call(ctx, 'settings:update', {
      promises: { ...promises, guarantees: promises.guarantees.map((g) => ({ ...g, isActive: false })) },
    })
    first.push(await lateDelivery(ctx, 'Ruth Adams', '2026-09-20T18:00:00Z'))
    first.push(await lateDelivery(ctx, 'Peter Lane', '2026-09-25T19:00:00Z'))
    first.push(await lateDelivery(ctx, 'Mei Lin', '2026-09-30T19:30:00Z'))
  })

  // Week 1: the third late delivery is escalated.
  let server = await startServer(dataDir, ['--now', '2026-10-01T09:00:00Z'])
  await openApp(page, server.url)
  const nav = page.getByRole('navigation')
  await expect(nav.getByRole('link', { name: 'Escalations 1 unacknowledged' })).toBeVisible()
  // Working as Anna Kovács: what waits for management is on Today's Team view.
  await page.getByRole('tab', { name: 'Team' }).click()
  await expect(
    page.getByRole('list', { name: 'New escalations' }).getByRole('link', { name: /Recurring/ }),
  ).toBeVisible()
  await nav.getByRole('link', { name: /^Escalations/ }).click()
  const item = page.getByRole('listitem', { name: title })
  await expect(item).toContainText('Raised')
  // Evidence and history are folded away so the inbox fits one screen.
  await item.getByText('Evidence and history (3)').click()
  await expect(item.getByRole('list', { name: 'Evidence' }).getByRole('listitem')).toHaveCount(3)

  await item.getByRole('button', { name: 'Acknowledge' }).click()
  let dialog = page.getByRole('dialog')
  await expect(dialog.getByLabel('Manager')).toHaveValue('Anna Kovács')
  await dialog.getByRole('button', { name: 'Acknowledge' }).click()
  await expect(dialog.getByText('Write a note: what management makes of it.')).toBeVisible()
  await dialog.getByLabel('Note').fill('Three late evenings in ten days: we look at the rounds.')
  await dialog.getByRole('button', { name: 'Acknowledge' }).click()
  await expect(item).toContainText('Acknowledged by Anna Kovács')
  await expect(nav.getByRole('link', { name: 'Escalations', exact: true })).toBeVisible()

  await item.getByRole('button', { name: 'Plan action' }).click()
  dialog = page.getByRole('dialog')
  await dialog.getByLabel('What will change').fill('Split the evening round in two')
  await dialog.getByLabel('Owner').fill('Tom Baker')
  await dialog.getByLabel('Due date').fill('2026-10-15')
  await dialog.getByRole('button', { name: 'Plan action' }).click()
  await expect(item).toContainText('Action: Split the evening round in two — owner Tom Baker')
  await expect(item).toContainText('Action planned')

  // Too early: the pattern is still there.
  await item.getByRole('button', { name: 'Resolve' }).click()
  dialog = page.getByRole('dialog')
  await dialog.getByRole('button', { name: 'Resolve' }).click()
  await expect(dialog.getByRole('alert')).toHaveText(
    'Not yet: the pattern is still happening. It can be resolved once it has been quiet for 30 days.',
  )
  await page.screenshot({ path: join(screenshotDir, 'escalation-resolve-refused.png'), fullPage: true })
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await server.stop()

  // The fix is in: every case worked through to Prevent and closed.
  await withServices(dataDir, '2026-10-02T10:00:00Z', async (ctx) => {
    for (const c of first) await fix(ctx, c)
  })

  // Five weeks on, quiet for 30 days: now it may be resolved.
  server = await startServer(dataDir, ['--now', '2026-11-05T09:00:00Z'])
  await openApp(page, server.url)
  await nav.getByRole('link', { name: /^Escalations/ }).click()
  await item.getByRole('button', { name: 'Resolve' }).click()
  dialog = page.getByRole('dialog')
  await dialog.getByLabel('What changed at the root').fill('Two evening rounds; no late van since.')
  await dialog.getByRole('button', { name: 'Resolve' }).click()
  // The inbox shows open ones: a resolved one leaves it, and is found under its status.
  await expect(item).toBeHidden()
  await page.getByRole('combobox', { name: 'Status', exact: true }).selectOption('Resolved')
  await expect(item).toContainText('Resolved by Anna Kovács')
  await expect(item.getByRole('button', { name: 'Resolve' })).toBeHidden()
  await server.stop()

  // It comes back: three more late deliveries in November.
  await withServices(dataDir, '2026-11-14T20:00:00Z', async (ctx) => {
    await lateDelivery(ctx, 'Sam Ford', '2026-11-10T19:00:00Z')
    await lateDelivery(ctx, 'Ann Hale', '2026-11-12T19:10:00Z')
    await lateDelivery(ctx, 'Joe Bell', '2026-11-14T19:20:00Z')
  })
  server = await startServer(dataDir, ['--now', '2026-11-15T09:00:00Z'])
  await openApp(page, server.url)
  await expect(nav.getByRole('link', { name: 'Escalations 1 unacknowledged' })).toBeVisible()
  await nav.getByRole('link', { name: /^Escalations/ }).click()
  await expect(item).toContainText('Prevention failed: this pattern came back after it was resolved.')
  await expect(item).toContainText('Raised')
  await item.getByText('Evidence and history (6)').click()
  await expect(item.getByRole('list', { name: 'Evidence' }).getByRole('listitem')).toHaveCount(6)
  await expect(item.getByRole('list', { name: 'What happened' })).toContainText(
    'Came back after it was resolved: prevention failed',
  )
  await page.screenshot({ path: join(screenshotDir, 'escalation-reopened.png'), fullPage: true })
  await server.stop()
})

test('the sample data shows an answered escalation and a department over its target', async ({ page, dataDir }) => {
  const server = await startServer(dataDir, ['--now', '2026-11-23T10:00:00Z'])
  await openApp(page, server.url)
  await page.getByRole('button', { name: 'Load sample data' }).click()
  const nav = page.getByRole('navigation')
  await expect(nav.getByRole('link', { name: /^Escalations \d+ unacknowledged$/ })).toBeVisible()
  // The sample data works as a staff member: what waits for management is on the Team view.
  await page.getByRole('tab', { name: 'Team' }).click()
  await expect(page.getByRole('list', { name: 'New escalations' }).getByRole('listitem').first()).toBeVisible()
  await page.screenshot({ path: join(screenshotDir, 'today-escalations.png'), fullPage: true })

  await nav.getByRole('link', { name: /^Escalations/ }).click()
  // The Delivery pattern, its target and its follow-ups are one row; opened, each is there.
  const deliveryRow = page.getByRole('listitem', { name: 'Waiting too long in Delivery', exact: true })
  await deliveryRow.locator(':scope > details > summary').click()
  const answered = page.getByRole('listitem', { name: title })
  await expect(answered).toContainText('Action planned')
  await expect(answered).toContainText('Acknowledged by Anna Kovács')
  await expect(page.getByRole('listitem', { name: 'Over target: Waiting too long in Delivery' })).toBeVisible()
  // Open ones by default; "All" adds the resolved ones, and the sample fits without paging.
  const list = page.getByRole('list', { name: 'Escalations, open ones first' })
  const openRows = await list.locator(':scope > li').count()
  await page.getByRole('combobox', { name: 'Status', exact: true }).selectOption('All')
  await expect.poll(() => list.locator(':scope > li').count()).toBeGreaterThan(openRows)
  await expect(page.getByRole('button', { name: /^Show \d+ more/ })).toHaveCount(0)
  await page.getByRole('combobox', { name: 'Status', exact: true }).selectOption('Open')
  await page.getByText('How patterns are found (thresholds)').click()
  await expect(page.getByText(/Heinrich ladder \(1 : 29 : 300\): a major case escalates at once/)).toBeVisible()
  await page.screenshot({ path: join(screenshotDir, 'escalations.png') })

  await nav.getByRole('link', { name: 'Departments', exact: true }).click()
  const delivery = page.getByRole('table', { name: 'Delivery: failures by category and month' })
  const row = delivery.getByRole('row', { name: /^Waiting too long/ })
  await expect(row.getByRole('cell').last()).toHaveText('2')
  await expect(row).toContainText('(over target)')
  await page.screenshot({ path: join(screenshotDir, 'departments.png'), fullPage: true })

  // Setting a target is a settings change: the sweep runs and the table shows it.
  await page.getByLabel('Department', { exact: true }).selectOption('Kitchen')
  await page.getByLabel('Category', { exact: true }).selectOption({ label: 'Dirty premises or poor hygiene' })
  await page.getByLabel('Failures allowed per month').fill('0')
  await page.getByRole('button', { name: 'Set target' }).click()
  const kitchen = page.getByRole('table', { name: 'Kitchen: failures by category and month' })
  await expect(
    kitchen
      .getByRole('row', { name: /^Dirty premises/ })
      .getByRole('cell')
      .last(),
  ).toHaveText('0')

  // The same screens in Chinese.
  await nav.getByRole('link', { name: 'Settings', exact: true }).click()
  await page.getByLabel('Language').selectOption('zh-CN')
  await expect(page.getByRole('link', { name: /^升级事项/ })).toBeVisible()
  await page.getByRole('link', { name: /^升级事项/ }).click()
  await page
    .getByRole('listitem', { name: 'Delivery 的“等待时间过长”', exact: true })
    .locator(':scope > details > summary')
    .click()
  await expect(page.getByRole('listitem', { name: '反复发生：Delivery 的“等待时间过长”' })).toContainText('已计划行动')
  await page.screenshot({ path: join(screenshotDir, 'escalations-zh-CN.png') })
  await page.getByRole('link', { name: '部门', exact: true }).click()
  await expect(page.getByRole('table', { name: 'Delivery：按类别和月份统计的失误' })).toContainText('超出目标')
  await page.screenshot({ path: join(screenshotDir, 'departments-zh-CN.png'), fullPage: true })
  await server.stop()
})
