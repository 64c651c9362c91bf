import { type TFunction } from 'i18next'
import { categoryLabel } from '../../../shared/cases/categoryLabel'
import { type Category } from '../../../shared/schemas'

/** The categories offered for new records (archived ones stay readable, no longer offered). */
export type CategoryOption = { value: string; label: string }

export function categoryOptions(
  t: TFunction,
  categories: Category[],
  options: { isArchivedIncluded?: boolean } = {},
): CategoryOption[] {
  return categories
    .filter((c) => options.isArchivedIncluded || !c.isArchived)
    .map((c) => ({ value: c.id, label: categoryLabel(t, categories, c.id) }))
}
