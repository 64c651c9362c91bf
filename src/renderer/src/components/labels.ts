import { type TFunction } from 'i18next'
import { type Category } from '../../../shared/schemas'

/** Built-in categories are named by the i18n layer; a business's own keep the label it typed. */
export function categoryLabel(t: TFunction, categories: Category[], id: string): string {
  const category = categories.find((c) => c.id === id)
  if (category?.label) return category.label
  return t(`cases:category.${id}`, { defaultValue: id })
}
