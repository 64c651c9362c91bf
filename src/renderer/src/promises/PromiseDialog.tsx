import { type FormEvent, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type ApiError } from '../../../shared/core/errors'
import { type DueSpec } from '../../../shared/promises/promises'
import { type Locale, type Settings } from '../../../shared/schemas'
import { api } from '../api'
import { Dialog } from '../components/Dialog'
import { Field } from '../components/Field'
import { formatDateTime } from '../format'
import { asApiError, useApiCall, useErrorText, useFieldErrors } from '../hooks'
import { useSession } from '../team/useSession'

const dueKinds = ['today', 'tomorrow', 'business-days', 'business-hours', 'date', 'at'] as const
type DueKind = (typeof dueKinds)[number]

type Props = {
  settings: Settings
  /** A new promise on a case, or standalone to a named customer… */
  caseId?: string
  customerName: string
  initialWhat?: string
  /** …or a renegotiation of this open promise. */
  renegotiate?: { id: string; what: string }
  onClose: () => void
  onDone: () => void
}

function dueSpecOf(kind: DueKind, amount: string, date: string, dateTime: string): DueSpec | undefined {
  switch (kind) {
    case 'today':
    case 'tomorrow':
      return { kind }
    case 'business-days':
    case 'business-hours': {
      const n = Number(amount)
      return amount !== '' && Number.isFinite(n) && n >= 0 ? { kind, n } : undefined
    }
    case 'date':
      return date ? { kind, date } : undefined
    case 'at':
      // A datetime-local value is the user's own wall-clock time.
      return dateTime ? { kind, at: new Date(dateTime).toISOString() } : undefined
  }
}

/** Make a promise (What, Due with quick picks, Made by), or renegotiate one to a new due time. */
export function PromiseDialog({ settings, caseId, customerName, initialWhat, renegotiate, onClose, onDone }: Props) {
  const { t, i18n } = useTranslation()
  const errorText = useErrorText()
  const call = useApiCall()
  const locale = i18n.language as Locale
  const makers = [...new Set([settings.currentUser, ...settings.staff.map((s) => s.name)].filter(Boolean))]
  const [what, setWhat] = useState(renegotiate?.what ?? initialWhat ?? '')
  const [kind, setKind] = useState<DueKind>(renegotiate ? 'business-days' : 'today')
  // Whether "today at close" has already gone by (after closing time); undefined while asking.
  const [isTodayPast, setIsTodayPast] = useState<boolean>()
  const [amount, setAmount] = useState('1')
  const [date, setDate] = useState('')
  const [dateTime, setDateTime] = useState('')
  const [madeBy, setMadeBy] = useState(settings.currentUser || makers[0] || '')
  const session = useSession()
  const [note, setNote] = useState('')
  const [preview, setPreview] = useState<{ dueAt: string; isPast: boolean }>()
  const [error, setError] = useState<ApiError>()
  const fieldErrors = useFieldErrors(error)
  const due = dueSpecOf(kind, amount, date, dateTime)
  const dueKey = JSON.stringify(due ?? null)
  const closesAt = settings.promises.calendar.closesAt

  // A quick pick whose time has passed is refused here, before a click, not by the server after it:
  // "today" is then disabled with the reason, and the dialog starts on the first pick still ahead.
  useEffect(() => {
    let isCurrent = true
    api('calendar:resolveDue', { due: { kind: 'today' } }).then(
      (resolved) => {
        if (!isCurrent) return
        setIsTodayPast(resolved.isPast)
        if (resolved.isPast) setKind((current) => (current === 'today' ? 'tomorrow' : current))
      },
      // Unknown: leave the pick open; the server still refuses a time in the past.
      () => isCurrent && setIsTodayPast(false),
    )
    return () => {
      isCurrent = false
    }
  }, [])

  useEffect(() => {
    let isCurrent = true
    const spec = JSON.parse(dueKey) as DueSpec | null
    if (!spec) return
    api('calendar:resolveDue', { due: spec }).then(
      (resolved) => isCurrent && setPreview(resolved),
      () => isCurrent && setPreview(undefined),
    )
    return () => {
      isCurrent = false
    }
  }, [dueKey])

  async function submit(event: FormEvent) {
    event.preventDefault()
    if (!due) {
      setError({ code: 'invalid_input', message: 'Required', details: [{ path: 'due', message: 'Required' }] })
      return
    }
    try {
      if (renegotiate) {
        await call('promises:renegotiate', {
          id: renegotiate.id,
          due,
          ...(what.trim() && what.trim() !== renegotiate.what ? { what } : {}),
          ...(note.trim() ? { note } : {}),
        })
      } else {
        await call('promises:create', {
          what,
          due,
          ...(madeBy ? { madeBy } : {}),
          ...(caseId ? { caseId } : { customerName }),
        })
      }
      onDone()
    } catch (caught) {
      setError(asApiError(caught))
    }
  }

  const title = renegotiate
    ? t('promises:dialog.renegotiateTitle', { what: renegotiate.what })
    : t('promises:dialog.newTitle', { customer: customerName })
  const closedToday = t('promises:due.closedToday', { time: closesAt })
  const dueError = fieldErrors.due ?? (error?.reason === 'promise.due_in_past' ? errorText(error) : undefined)

  return (
    <Dialog title={title} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} className="form-grid">
        <p className="muted small">
          {renegotiate ? t('promises:dialog.renegotiateHint') : t('promises:dialog.honestHint')}
        </p>
        <Field label={t('promises:field.what')} error={fieldErrors.what}>
          {(p) => <textarea {...p} rows={2} value={what} onChange={(e) => setWhat(e.target.value)} />}
        </Field>
        <Field label={t('promises:field.due')} error={dueError}>
          {(p) => (
            <select {...p} value={kind} onChange={(e) => setKind(e.target.value as DueKind)}>
              {dueKinds.map((k) =>
                k === 'today' && isTodayPast ? (
                  <option key={k} value={k} disabled>
                    {`${t('promises:due.today')} (${closedToday})`}
                  </option>
                ) : (
                  <option key={k} value={k}>
                    {t(`promises:due.${k}`)}
                  </option>
                ),
              )}
            </select>
          )}
        </Field>
        {kind === 'business-days' || kind === 'business-hours' ? (
          <Field label={t(kind === 'business-days' ? 'promises:field.businessDays' : 'promises:field.businessHours')}>
            {(p) => (
              <input
                {...p}
                type="number"
                min={kind === 'business-days' ? 0 : 1}
                max={1000}
                value={amount}
                onChange={(e) => setAmount(e.target.value)}
              />
            )}
          </Field>
        ) : null}
        {kind === 'date' ? (
          <Field label={t('promises:field.date')}>
            {(p) => <input {...p} type="date" value={date} onChange={(e) => setDate(e.target.value)} />}
          </Field>
        ) : null}
        {kind === 'at' ? (
          <Field label={t('promises:field.dateTime')}>
            {(p) => (
              <input {...p} type="datetime-local" value={dateTime} onChange={(e) => setDateTime(e.target.value)} />
            )}
          </Field>
        ) : null}
        {isTodayPast ? (
          <p className="muted small due-closed">{t('promises:due.todayClosed', { time: closesAt })}</p>
        ) : null}
        <p className={preview?.isPast ? 'due-preview due-past' : 'due-preview'} aria-live="polite">
          {due && preview ? t('promises:due.preview', { when: formatDateTime(preview.dueAt, locale) }) : ''}
          {due && preview?.isPast ? ` — ${t('promises:due.alreadyPassed')}` : ''}
        </p>
        {renegotiate ? (
          <Field label={t('promises:field.note')}>
            {(p) => <textarea {...p} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />}
          </Field>
        ) : (
          <Field label={t('promises:field.madeBy')}>
            {(p) =>
              // On a team database a promise is made by the person of the login: shown, not chosen.
              session?.isTeam ? (
                <input {...p} value={session.name} readOnly />
              ) : makers.length > 0 ? (
                <select {...p} value={madeBy} onChange={(e) => setMadeBy(e.target.value)}>
                  {makers.map((name) => (
                    <option key={name} value={name}>
                      {name}
                    </option>
                  ))}
                </select>
              ) : (
                <input {...p} value={madeBy} onChange={(e) => setMadeBy(e.target.value)} />
              )
            }
          </Field>
        )}
        {error && !dueError && Object.keys(fieldErrors).length === 0 ? <p role="alert">{errorText(error)}</p> : null}
        <div className="actions">
          <button type="button" onClick={onClose}>
            {t('actions.cancel')}
          </button>
          {/* Not before the dialog knows whether "today" is still ahead: a quick click must not fail. */}
          <button type="submit" className="primary" disabled={isTodayPast === undefined}>
            {t('promises:dialog.save')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
