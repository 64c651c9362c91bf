import { type TFunction } from 'i18next'
import { type Escalation } from './escalation'

export type EscalationNames = {
  /** A category's name in the user's language (built-in) or as the business typed it. */
  category: (id: string) => string
  customerName?: string
  caseNumber?: string
}

/**
 * An escalation's one-line title in the user's language, e.g. "Recurring: Waiting too long in
 * Delivery". The UI uses it as each escalation's accessible name; the CLI and notifications print it.
 */
export function escalationTitle(t: TFunction, e: Pick<Escalation, 'rule' | 'subject'>, names: EscalationNames): string {
  const { department, category, customerId, caseId } = e.subject
  const key = e.rule === 'broken-promises' && customerId ? 'broken-promises-customer' : e.rule
  return t(`escalations:subject.${key}`, {
    department: department === undefined || department === '' ? t('escalations:noDepartment') : department,
    category: category ? names.category(category) : '',
    customer: names.customerName ?? customerId ?? '',
    case: names.caseNumber ?? caseId ?? '',
  })
}
