import { type Page, expect } from '@playwright/test'
import { type TFunction } from 'i18next'

/**
 * The case screen's everyday moves, found by role and accessible name in the language `t`
 * speaks: the names are the contract other checks rely on.
 */
export function caseScreen(page: Page, t: TFunction) {
  const timeline = page.getByRole('list', { name: t('cases:timeline.title') })
  return {
    timeline,
    /** Logs a complaint through the New complaint dialog and waits for its case screen. */
    async newComplaint(fields: { customer: string; summary: string; category: string; severity: string }) {
      await page.getByRole('button', { name: t('cases:new.button') }).click()
      const dialog = page.getByRole('dialog')
      await dialog.getByLabel(t('cases:field.customerName')).fill(fields.customer)
      await dialog.getByLabel(t('cases:field.summary')).fill(fields.summary)
      await dialog.getByLabel(t('cases:field.category')).selectOption(fields.category)
      await dialog.getByLabel(t('cases:field.severity')).selectOption(fields.severity)
      await dialog.getByRole('button', { name: t('actions.save') }).click()
      await expect(page.getByRole('heading', { level: 1, name: fields.summary })).toBeVisible()
    },
    /** Opens Edit, changes the given fields (select values by id), saves. */
    async edit(fields: {
      summary?: string
      remedySought?: string
      category?: string
      severity?: string
      customer?: string
    }) {
      await page.getByRole('button', { name: t('cases:edit.button'), exact: true }).click()
      const dialog = page.getByRole('dialog', { name: t('cases:edit.title', { number: '' }).trim() })
      if (fields.summary !== undefined) await dialog.getByLabel(t('cases:field.summary')).fill(fields.summary)
      if (fields.remedySought !== undefined) {
        await dialog.getByLabel(t('cases:field.remedySought')).fill(fields.remedySought)
      }
      if (fields.category) await dialog.getByLabel(t('cases:field.category')).selectOption(fields.category)
      if (fields.severity) await dialog.getByLabel(t('cases:field.severity')).selectOption(fields.severity)
      if (fields.customer !== undefined)
        await dialog.getByLabel(t('cases:field.customer'), { exact: true }).fill(fields.customer)
      await dialog.getByRole('button', { name: t('actions.save') }).click()
      await expect(dialog).toBeHidden()
    },
    async handOff(person: string, note: string) {
      await page.getByRole('button', { name: t('cases:handOff.button'), exact: true }).click()
      const dialog = page.getByRole('dialog')
      await dialog.getByLabel(t('cases:handOff.to')).fill(person)
      await dialog.getByLabel(t('cases:handOff.note')).fill(note)
      await dialog.getByRole('button', { name: t('cases:handOff.confirm') }).click()
      await expect(dialog).toBeHidden()
    },
  }
}
