import { type Locator, type Page, expect } from '@playwright/test'
import { type TFunction } from 'i18next'

/** Log contact and Write reply on the case screen, found by role and accessible name in the language `t` speaks. */
export function conversation(page: Page, t: TFunction) {
  const replyDialog = page.getByRole('dialog', {
    name: t('conversation:reply.title', { number: '' }).replace(/\s*—\s*$/, ''),
  })
  return {
    replyDialog,
    replyBody: replyDialog.getByLabel(t('conversation:reply.body'), { exact: true }),
    coach: (scope: Page | Locator = page) => scope.getByRole('region', { name: t('conversation:coach.title') }),
    async logContact(fields: { kind: string; direction: 'in' | 'out'; summary: string; nextDate?: string }) {
      await page.getByRole('button', { name: t('conversation:contact.button'), exact: true }).click()
      const dialog = page.getByRole('dialog')
      await dialog.getByLabel(t('conversation:contact.kind')).selectOption(fields.kind)
      await dialog.getByLabel(t(`conversation:contact.directions.${fields.direction}`)).check()
      await dialog.getByLabel(t('conversation:contact.summary')).fill(fields.summary)
      if (fields.nextDate) await dialog.getByLabel(t('conversation:contact.nextDate')).fill(fields.nextDate)
      await dialog.getByRole('button', { name: t('conversation:contact.save') }).click()
      await expect(dialog).toBeHidden()
    },
    async openReply() {
      await page.getByRole('button', { name: t('conversation:reply.button'), exact: true }).click()
      await expect(replyDialog).toBeVisible()
    },
    async check() {
      await replyDialog.getByRole('button', { name: t('conversation:reply.check') }).click()
    },
    async markSent(isAnyway = false) {
      await replyDialog
        .getByRole('button', { name: t(isAnyway ? 'conversation:reply.sendAnyway' : 'conversation:reply.send') })
        .click()
      await expect(replyDialog).toBeHidden()
    },
  }
}
