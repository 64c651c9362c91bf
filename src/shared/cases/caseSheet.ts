import { type TFunction } from 'i18next'
import { type CaseDetail } from './contract'
import { type PromiseSummary } from '../promises/contract'
import { makerLabel, promiseWhat, timelineWhat } from '../promises/promiseLabels'
import { type Settings, type TimelineEvent } from '../schemas'
import { categoryLabel } from './categoryLabel'
import { caseTimelineText } from './timelineText'

/**
 * One case as a printed page shows it, in the reader's language: the facts, the six steps, the
 * promises and the timeline. The print view (browser, desktop) and the CLI's PDF draw the same
 * sheet, so a printout reads alike whichever way it was made.
 */
export type CaseSheet = {
  number: string
  title: string
  /** "Open · received 23 Nov 2026, 10:00" */
  subtitle: string
  closure: string
  facts: [label: string, value: string][]
  steps: { step: string; status: string; by: string; at: string; note: string }[]
  promises: { what: string; state: string; madeBy: string; due: string; note: string }[]
  /** Oldest first: a printout is read top to bottom as the story happened. */
  timeline: { at: string; by: string; text: string }[]
  labels: {
    facts: string
    steps: string
    promises: string
    timeline: string
    none: string
    /** Column headings: step, status, by, when, note, what, state, madeBy, due. */
    column: Record<(typeof sheetColumns)[number], string>
  }
}

export const sheetColumns = [
  'step',
  'status',
  'by',
  'when',
  'note',
  'what',
  'state',
  'madeBy',
  'due',
  'change',
] as const

/** A timeline line in words: promise lines name the promise, case lines say before → after. */
export function timelineLineText(
  t: TFunction,
  settings: Pick<Settings, 'categories' | 'promises'>,
  event: TimelineEvent,
  formatTime: (iso: string) => string,
): string {
  if (event.type === 'promise' || event.type === 'failure') {
    const what = timelineWhat(t, event.after ?? '', settings.promises.guarantees)
    const key = event.type === 'failure' ? 'failure' : (event.field ?? 'made')
    const text = t(`promises:timeline.${key}`, { what, due: event.before ? formatTime(event.before) : '' })
    return event.note ? `${text} — ${event.note}` : text
  }
  const text = caseTimelineText(t, event, (id) => categoryLabel(t, settings.categories, id))
  return event.note ? `${text} — ${event.note}` : text
}

export function caseSheet(
  t: TFunction,
  settings: Pick<Settings, 'categories' | 'promises'>,
  detail: Pick<CaseDetail, 'case' | 'customer'>,
  promises: readonly PromiseSummary[],
  formatTime: (iso: string) => string,
): CaseSheet {
  const { case: c, customer } = detail
  const none = t('cases:field.none')
  const contact = [customer.name, customer.email, customer.phone].filter(Boolean).join(' · ')
  const closure = !c.closure
    ? ''
    : c.closure.reached
      ? t('cases:detail.closedWith', {
          satisfaction: c.closure.satisfaction,
          comeBack: t(`cases:comeBack.${c.closure.wouldComeBack}`),
        })
      : t('cases:detail.closedUnreached')
  return {
    number: c.number,
    title: c.summary,
    subtitle: `${t(`cases:status.${c.status}`)} · ${t('cases:detail.received', { when: formatTime(c.receivedAt) })}`,
    closure,
    facts: [
      [t('cases:field.customer'), contact],
      [t('cases:field.remedySought'), c.remedySought || none],
      [t('cases:field.description'), c.description || none],
      [t('cases:field.category'), categoryLabel(t, settings.categories, c.category)],
      [t('cases:field.severity'), t(`cases:severity.${c.severity}`)],
      [t('cases:field.channel'), t(`cases:channel.${c.channel}`)],
      [t('cases:field.source'), t(`cases:source.${c.source}`)],
      [t('cases:field.department'), c.department || none],
      [t('cases:field.owner'), c.owner || none],
    ],
    steps: c.steps.map((s) => ({
      step: t(`cases:step.${s.key}`),
      status: t(`cases:stepStatus.${s.status}`),
      by: s.by ? makerLabel(t, s.by) : '',
      at: s.at ? formatTime(s.at) : '',
      note: s.note ?? '',
    })),
    promises: promises.map((p) => ({
      what: promiseWhat(t, p, settings.promises.guarantees),
      state: t(`promises:state.${p.state}`),
      madeBy: makerLabel(t, p.madeBy),
      due: formatTime(p.dueAt),
      note: p.note ?? '',
    })),
    timeline: c.timeline.map((event) => ({
      at: formatTime(event.at),
      by: makerLabel(t, event.by),
      text: timelineLineText(t, settings, event, formatTime),
    })),
    labels: {
      facts: t('cases:detail.facts'),
      steps: t('cases:steps.title'),
      promises: t('promises:section'),
      timeline: t('cases:timeline.title'),
      none: t('promises:none'),
      column: Object.fromEntries(
        sheetColumns.map((key) => [key, t(`print:column.${key}`)]),
      ) as CaseSheet['labels']['column'],
    },
  }
}
