import { type TFunction } from 'i18next'
import { type TimelineEvent } from '../schemas'

/**
 * One case timeline line (not a promise's) in the reader's language: "Category: Waiting too long →
 * Poor quality of work". Values are stored as ids (a category, a severity, a step's status) so
 * that a change of language or label reads right; `categoryLabel` names a category id.
 */
export function caseTimelineText(t: TFunction, event: TimelineEvent, categoryLabel: (id: string) => string): string {
  const describe = (value: string | null | undefined): string => {
    if (value == null || value === '') return '—'
    if (['step', 'status', 'close', 'reopen', 'stepReopen', 'undo'].includes(event.type)) {
      return t(`cases:stepStatus.${value}`, { defaultValue: '' }) || t(`cases:status.${value}`, { defaultValue: value })
    }
    if (event.field === 'category') return categoryLabel(value)
    if (event.field === 'severity') return t(`cases:severity.${value}`, { defaultValue: value })
    if (event.field === 'channel') return t(`cases:channel.${value}`, { defaultValue: value })
    if (event.field === 'source') return t(`cases:source.${value}`, { defaultValue: value })
    return value
  }
  if (event.type === 'contact') {
    const kind = t(`conversation:contact.kinds.${event.field ?? ''}`, { defaultValue: event.field ?? '' })
    return t(`conversation:contact.timeline.${event.after === 'in' ? 'in' : 'out'}`, { kind })
  }
  if (event.type === 'created') return t('cases:timeline.created', { summary: event.after ?? '' })
  if (event.type === 'assign') {
    return t('cases:timeline.handOff', { before: describe(event.before), after: describe(event.after) })
  }
  if (event.type === 'customer-merged') {
    return t('trash:timeline.merged', { before: event.before ?? '', after: event.after ?? '' })
  }
  if (event.type === 'stepReopen') {
    return t('cases:timeline.stepReopened', { step: t(`cases:step.${event.field ?? ''}`) })
  }
  const field =
    event.type === 'step' || event.type === 'stepReopen'
      ? t(`cases:step.${event.field}`)
      : event.field
        ? t(`cases:field.${event.field}`)
        : ''
  const change = t('cases:timeline.change', { field, before: describe(event.before), after: describe(event.after) })
  return event.type === 'undo' ? t('cases:timeline.undone', { change }) : change
}
