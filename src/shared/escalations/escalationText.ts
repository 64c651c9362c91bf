import { categoryLabel } from '../cases/categoryLabel'
import { type Translate } from '../core/i18n/translate'
import { type Category } from '../schemas'
import { type Escalation } from './escalation'

/** What a title needs: the rule and subject, and the names a person knows the subject by. */
export type TitledEscalation = Pick<Escalation, 'rule' | 'subject'> & { customerName?: string; caseNumber?: string }

/**
 * An escalation's one-line title in the user's language, e.g. "Recurring: Waiting too long in
 * Delivery". The UI uses it as each escalation's accessible name; the CLI, notifications and the
 * report print it. Without a name the customer's or case's id stands in.
 */
export function escalationTitle(
  t: Translate,
  categories: readonly Pick<Category, 'id' | 'label'>[],
  e: TitledEscalation,
): string {
  const { department, category, customerId, caseId } = e.subject
  const key = e.rule === 'broken-promises' && customerId ? 'broken-promises-customer' : e.rule
  return t(`escalations:subject.${key}`, {
    department: department === undefined || department === '' ? t('escalations:noDepartment') : department,
    category: category ? categoryLabel(t, categories, category) : '',
    customer: e.customerName ?? customerId ?? '',
    case: e.caseNumber ?? caseId ?? '',
  })
}
