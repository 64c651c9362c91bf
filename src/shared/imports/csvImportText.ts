import { type TFunction } from 'i18next'
import { type RowError } from './csvImport'

/** A row problem in the reader's language (the `imports` namespace); file values stay as they are. */
export function rowErrorText(t: TFunction, error: Pick<RowError, 'field' | 'reason' | 'params'>): string {
  return t(`imports:row.${error.reason}`, { ...error.params, field: t(`imports:fields.${error.field}`) })
}
