import { join } from 'node:path'
import { type Page } from '@playwright/test'
import { dispatch } from '../../src/main/services'
import { type EscalationView } from '../../src/shared/api'
import { groupEscalations } from '../../src/shared/escalations/grouping'
import { Store } from '../../src/main/store/store'
import { type Locale } from '../../src/shared/schemas'
import { translator } from '../helpers/translator'
import { expect, openApp, screenshotDir, startServer, test } from './fixtures'

/** Monday 23 November 2026, 10:00 UTC: the sample is made and read at this instant. */
const now = '2026-11-23T10:00:00Z'

/** The sample data, loaded through the services on the real folder before the server starts. */
async function loadSample(dataDir: string): Promise<{ open: EscalationView[]; unacknowledged: number }> {
  const store = await Store.open(dataDir)
  try {
    const ctx = { store, now: () => new Date(now) }
    const loaded = await dispatch(ctx, 'demo:load', {})
    if (!loaded.ok) throw new Error(loaded.error.message)
    const listed = await dispatch(ctx, 'escalations:list', { status: 'open' })
    if (!listed.ok) throw new Error(listed.error.message)
    const value = listed.value as { escalations: EscalationView[]; unacknowledged: number }
    return { open: value.escalations, unacknowledged: value.unacknowledged }
  } finally {
    await store.close()
  }
}

async function useLanguage(page: Page, locale: Locale) {
  if (locale === 'en') return
  await page.getByRole('link', { name: 'Settings', exact: true }).click()
  await page.getByLabel('Language').selectOption(locale)
  await expect(page.locator('html')).toHaveAttribute('lang', locale)
}

for (const locale of ['en', 'zh-CN'] as const) {
  test(`the escalation inbox: filters, groups, bulk acknowledge by a picked manager (${locale})`, async ({
    page,
    dataDir,
  }) => {
    const t = await translator(locale)
    const sample = await loadSample(dataDir)
    const groups = groupEscalations(sample.open)
    const repeaters = sample.open.filter((e) => e.rule === 'repeat-complainer')
    // The sample must give the inbox something to group, or this test would prove nothing.
    expect(repeaters.length).toBeGreaterThan(1)
    expect(groups.length).toBeLessThan(sample.open.length)

    const server = await startServer(dataDir, ['--now', now])
    try {
      await openApp(page, server.url)
      await useLanguage(page, locale)
      await page.getByRole('link', { name: new RegExp(`^${t('escalations:nav.escalations')}`) }).click()

      // Filters, each by its label.
      const filters = page.getByRole('group', { name: t('inbox:filters.label') })
      for (const key of ['status', 'rule', 'department', 'severity', 'owner'] as const) {
        await expect(filters.getByRole('combobox', { name: t(`inbox:filters.${key}`), exact: true })).toBeVisible()
      }
      await expect(filters.getByRole('combobox', { name: t('inbox:filters.status'), exact: true })).toHaveValue('open')

      // One row per group: the repeat complainers are one digest, not one row each.
      const list = page.getByRole('list', { name: t('escalations:list') })
      const rows = list.locator(':scope > li')
      await expect(rows).toHaveCount(groups.length)
      const digestName = t('inbox:group.repeat', { count: repeaters.length })
      const digest = list.getByRole('listitem', { name: digestName, exact: true })
      await expect(digest).toBeVisible()
      await digest.locator(':scope > details > summary').click()
      for (const e of repeaters) {
        await expect(digest.getByRole('listitem', { name: new RegExp(e.customerName ?? '') }).first()).toBeVisible()
      }
      // The Delivery pattern and its follow-ups are one row.
      const delivery = groups.find((g) => g.key === `pattern:${JSON.stringify(['Delivery', 'long-wait'])}`)
      expect(delivery?.escalations.length).toBeGreaterThan(1)
      const deliveryRow = list.getByRole('listitem', {
        name: t('inbox:group.pattern', {
          category: t('cases:category.long-wait'),
          department: 'Delivery',
        }),
        exact: true,
      })
      await expect(deliveryRow).toContainText(t('inbox:group.count', { count: delivery?.escalations.length ?? 0 }))
      await page.screenshot({ path: join(screenshotDir, `escalation-inbox-${locale}.png`) })

      // Filter by rule: only the digest is left; by department: only Kitchen's rows.
      await filters
        .getByRole('combobox', { name: t('inbox:filters.rule'), exact: true })
        .selectOption(t('inbox:rule.repeat-complainer'))
      await expect(rows).toHaveCount(1)
      await expect(rows.first()).toHaveAccessibleName(digestName)
      await filters.getByRole('combobox', { name: t('inbox:filters.rule'), exact: true }).selectOption('')
      await filters.getByRole('combobox', { name: t('inbox:filters.department'), exact: true }).selectOption('Kitchen')
      const kitchen = groupEscalations(sample.open.filter((e) => e.subject.department === 'Kitchen'))
      expect(kitchen.length).toBeGreaterThan(0)
      await expect(rows).toHaveCount(kitchen.length)
      await filters
        .getByRole('combobox', { name: t('inbox:filters.severity'), exact: true })
        .selectOption(t('escalations:severity.high'))
      const kitchenHigh = groupEscalations(
        sample.open.filter((e) => e.subject.department === 'Kitchen' && e.severity === 'high'),
      )
      await expect(rows).toHaveCount(kitchenHigh.length)
      await filters.getByRole('button', { name: t('inbox:filters.clear') }).click()
      await expect(rows).toHaveCount(groups.length)

      // Bulk acknowledge: the whole digest with one note, by a manager picked from the staff.
      const raisedRepeaters = repeaters.filter((e) => e.status === 'raised')
      await digest.getByRole('checkbox', { name: t('inbox:selectGroup', { title: digestName }) }).check()
      await page.getByRole('button', { name: t('inbox:bulk.button', { count: raisedRepeaters.length }) }).click()
      const dialog = page.getByRole('dialog', { name: t('inbox:bulk.title', { count: raisedRepeaters.length }) })
      const manager = dialog.getByRole('combobox', { name: t('escalations:form.manager') })
      // A person from the staff list, not free text.
      await expect(dialog.getByRole('textbox', { name: t('escalations:form.manager') })).toHaveCount(0)
      await expect(manager.locator('option')).toHaveText([
        t('inbox:pickManager'),
        'Anna Kovács (Front of house)',
        'Li Wei (Kitchen)',
        'Tom Baker (Delivery)',
        'Zhang Min (Online orders)',
        'Maria Lopez (Front of house)',
      ])
      await manager.selectOption('Maria Lopez')
      await dialog.getByRole('button', { name: t('escalations:actions.acknowledge') }).click()
      await expect(dialog.getByText(t('common:errors.escalation.needs_note'))).toBeVisible()
      await dialog.getByRole('textbox', { name: t('escalations:form.note') }).fill('Called each of them this week.')
      await dialog.getByRole('button', { name: t('escalations:actions.acknowledge') }).click()
      await expect(dialog).toBeHidden()
      const left = sample.unacknowledged - raisedRepeaters.length
      await expect(
        page.getByRole('link', { name: new RegExp(`^${t('escalations:nav.escalations')}`) }),
      ).toHaveAccessibleName(
        left > 0
          ? `${t('escalations:nav.escalations')} ${t('escalations:nav.badge', { count: left })}`
          : t('escalations:nav.escalations'),
      )
      await expect(digest).not.toContainText(t('inbox:group.unacknowledged', { count: raisedRepeaters.length }))
      const first = raisedRepeaters[0] as EscalationView
      await expect(digest.getByRole('listitem', { name: new RegExp(first.customerName ?? '') }).first()).toContainText(
        t('escalations:answer.acknowledged', { by: 'Maria Lopez', note: 'Called each of them this week.' }),
      )
      await page.screenshot({
        path: join(screenshotDir, `escalation-inbox-acknowledged-${locale}.png`),
        fullPage: true,
      })
    } finally {
      await server.stop()
    }
  })
}
