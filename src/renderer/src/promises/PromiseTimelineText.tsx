import { useTranslation } from 'react-i18next'
import { timelineWhat } from '../../../shared/promises/promiseLabels'
import { type Locale, type Settings, type TimelineEvent } from '../../../shared/schemas'
import { formatDateTime } from '../format'

/** A promise line of a case timeline (type `promise`, or a broken promise logged as a `failure`). */
export function PromiseTimelineText({ event, settings }: { event: TimelineEvent; settings: Settings }) {
  const { t, i18n } = useTranslation()
  const what = timelineWhat(t, event.after ?? '', settings.promises.guarantees)
  const due = event.before ? formatDateTime(event.before, i18n.language as Locale) : ''
  const key = event.type === 'failure' ? 'failure' : (event.field ?? 'made')
  return (
    <>
      {t(`promises:timeline.${key}`, { what, due })}
      {event.note ? <span className="muted"> — {event.note}</span> : null}
    </>
  )
}

/** Is this timeline event one of the promise ledger's? */
export function isPromiseEvent(event: TimelineEvent): boolean {
  return event.type === 'promise' || event.type === 'failure'
}
