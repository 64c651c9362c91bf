import { type TFunction } from 'i18next'
import { type Category } from '../../../shared/schemas'

/** Built-in categories are named by the i18n layer; a business's own keep the label it typed. */
export function categoryLabel(t: TFunction, categories: Category[], id: string): string {
  const category = categories.find((c) => c.id === id)
  if (category?.label) return category.label
  return t(`cases:category.${id}`, { defaultValue: id })
}

/** The categories offered for new records (archived ones stay readable, no longer offered). */
export function categoryOptions(t: TFunction, categories: Category[], options: { isArchivedIncluded?: boolean } = {}) {
  return categories
    .filter((c) => options.isArchivedIncluded || !c.isArchived)
    .map((c) => ({ value: c.id, label: categoryLabel(t, categories, c.id) }))
}
