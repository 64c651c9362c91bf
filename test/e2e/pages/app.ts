import { type Page, expect } from '@playwright/test'

/** The app as a user sees it: found by roles and accessible names only. */
export function appPage(page: Page) {
  return {
    nav: (name: string) => page.getByRole('navigation').getByRole('link', { name, exact: true }),
    step: (name: string) => page.getByRole('listitem', { name, exact: true }),
    async newComplaint(fields: { customer: string; summary: string; remedy: string; category: string }) {
      await page.getByRole('button', { name: 'New complaint' }).click()
      const dialog = page.getByRole('dialog')
      await dialog.getByLabel('Customer name').fill(fields.customer)
      await dialog.getByLabel('Summary').fill(fields.summary)
      await dialog.getByLabel('Remedy sought').fill(fields.remedy)
      await dialog.getByLabel('Category').selectOption({ label: fields.category })
      await dialog.getByLabel('Severity').selectOption({ label: 'Major' })
      await dialog.getByLabel('Channel').selectOption({ label: 'Formal complaint' })
      await dialog.getByRole('button', { name: 'Save' }).click()
      await expect(page.getByRole('heading', { level: 1, name: fields.summary })).toBeVisible()
    },
    async completeStep(name: string, note: string) {
      const item = page.getByRole('listitem', { name, exact: true })
      await item.getByRole('textbox').fill(note)
      await item.getByRole('button', { name: 'Done' }).click()
      await expect(item.getByText('Done', { exact: true })).toBeVisible()
    },
  }
}
