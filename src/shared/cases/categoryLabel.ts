import { type Translate } from '../core/i18n/translate'
import { type Category } from '../schemas'

/**
 * A category's shown name: a business's own category keeps the label it typed; a built-in one
 * (no label) is named by the i18n layer, or by its id where no translator is at hand.
 */
export function categoryLabel(
  t: Translate | undefined,
  categories: readonly Pick<Category, 'id' | 'label'>[],
  id: string,
): string {
  const label = categories.find((c) => c.id === id)?.label
  if (label) return label
  return t ? t(`cases:category.${id}`, { defaultValue: id }) : id
}
