import { makerLabel } from '../../../shared/promises/promiseLabels'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type ApiError } from '../../../shared/core/errors'
import { closeRefusals } from '../../../shared/cases/recovery'
import { caseTimelineText } from '../../../shared/cases/timelineText'
import { type Case, type Locale, type RecoveryStep, type Settings, type TimelineEvent } from '../../../shared/schemas'
import { formatList } from '../../../shared/core/i18n/listFormat'
import { Choice } from '../components/Choice'
import { Dialog } from '../components/Dialog'
import { useOfferUndo } from '../components/UndoNotice'
import { Field } from '../components/Field'
import { categoryLabel } from '../../../shared/cases/categoryLabel'
import { formatDate, formatDateTime } from '../format'
import { asApiError, useApi, useApiCall, useErrorText } from '../hooks'
import { href, navigate } from '../router'
import { DeleteButton } from '../trash/DeleteButton'
import { CasePromises } from '../promises/CasePromises'
import { CaseCosts } from '../costs/CaseCosts'
import { EditCaseDialog } from './EditCaseDialog'
import { HandOffDialog } from './HandOffDialog'
import { PromiseTimelineText, isPromiseEvent } from '../promises/PromiseTimelineText'
import { CoachedText } from '../contacts/CoachedText'
import { LogContactDialog } from '../contacts/LogContactDialog'
import { RepliesSent } from '../contacts/RepliesSent'
import { WriteReplyDialog } from '../contacts/WriteReplyDialog'
import { CaseRubric } from '../rubrics/CaseRubric'
import { AttachmentsPanel } from '../attachments/AttachmentsPanel'

import { ViewersNotice, useViewing } from '../live/live'

type Props = { id: string; settings: Settings }

export function CaseView({ id, settings }: Props) {
  const { t, i18n } = useTranslation()
  const detail = useApi('cases:get', { id })
  const call = useApiCall()
  const errorText = useErrorText()
  const [isClosing, setIsClosing] = useState(false)
  const [openDialog, setOpenDialog] = useState<'edit' | 'handOff' | 'contact' | 'reply'>()
  const [actionError, setActionError] = useState<ApiError>()
  const locale = i18n.language as Locale
  useViewing(id)

  if (detail.error) return <p role="alert">{errorText(detail.error)}</p>
  if (!detail.data) return <p>{t('app.loading')}</p>
  const { case: c, customer, customerCases } = detail.data
  const isClosed = c.status === 'closed'

  async function reopen() {
    try {
      await call('cases:reopen', { id: c.id, reason: '' })
      setActionError(undefined)
    } catch (caught) {
      setActionError(asApiError(caught))
    }
  }

  return (
    <article aria-labelledby="case-title" className="case-view">
      <header className="case-header">
        <p className="mono">{c.number}</p>
        <h1 id="case-title">{c.summary}</h1>
        <ViewersNotice caseId={c.id} />
        <p>
          <span className={`status status-${c.status}`}>{t(`cases:status.${c.status}`)}</span>{' '}
          <span className="muted">{t('cases:detail.received', { when: formatDateTime(c.receivedAt, locale) })}</span>
        </p>
        <div className="actions">
          <button type="button" onClick={() => setOpenDialog('contact')}>
            {t('conversation:contact.button')}
          </button>
          <button type="button" onClick={() => setOpenDialog('reply')}>
            {t('conversation:reply.button')}
          </button>
          <button type="button" onClick={() => setOpenDialog('edit')}>
            {t('cases:edit.button')}
          </button>
          <button type="button" onClick={() => setOpenDialog('handOff')}>
            {t('cases:handOff.button')}
          </button>
          <button type="button" onClick={() => navigate(href.casePrint(c.id))}>
            {t('print:button')}
          </button>
          {isClosed ? (
            <button type="button" onClick={() => void reopen()}>
              {t('cases:detail.reopen')}
            </button>
          ) : (
            <button type="button" className="primary" onClick={() => setIsClosing(true)}>
              {t('cases:close.button')}
            </button>
          )}
          <DeleteButton
            method="cases:delete"
            id={c.id}
            what={`${c.number} ${c.summary}`}
            onDeleted={() => navigate(href.cases)}
          />
        </div>
        {actionError ? <p role="alert">{errorText(actionError)}</p> : null}
        {c.grumbleId ? (
          <p>
            <a href={href.grumbles}>{t('iceberg:grumble.fromGrumbleLink')}</a>
          </p>
        ) : null}
        {isClosed && c.closure ? (
          <p className="closure">
            {c.closure.reached
              ? t('cases:detail.closedWith', {
                  satisfaction: c.closure.satisfaction,
                  comeBack: t(`cases:comeBack.${c.closure.wouldComeBack}`),
                })
              : t('cases:detail.closedUnreached')}
          </p>
        ) : null}
      </header>

      <div className="case-columns">
        <div>
          <section aria-labelledby="facts-title" className="card">
            <h2 id="facts-title">{t('cases:detail.facts')}</h2>
            <dl className="facts">
              <dt>{t('cases:field.remedySought')}</dt>
              <dd>{c.remedySought || '—'}</dd>
              <dt>{t('cases:field.description')}</dt>
              <dd className="prewrap">{c.description || '—'}</dd>
              <dt>{t('cases:field.category')}</dt>
              <dd>{categoryLabel(t, settings.categories, c.category)}</dd>
              <dt>{t('cases:field.severity')}</dt>
              <dd>{t(`cases:severity.${c.severity}`)}</dd>
              <dt>{t('cases:field.channel')}</dt>
              <dd>{t(`cases:channel.${c.channel}`)}</dd>
              <dt>{t('cases:field.source')}</dt>
              <dd>{t(`cases:source.${c.source}`)}</dd>
              <dt>{t('cases:field.department')}</dt>
              <dd>{c.department || '—'}</dd>
              <dt>{t('cases:field.owner')}</dt>
              <dd>{c.owner || '—'}</dd>
            </dl>
          </section>

          <section aria-labelledby="steps-title" className="card">
            <h2 id="steps-title">{t('cases:steps.title')}</h2>
            <ol className="steps" aria-labelledby="steps-title">
              {c.steps.map((step) => (
                <StepItem key={step.key} caseId={c.id} step={step} isClosed={isClosed} />
              ))}
            </ol>
          </section>

          <CasePromises caseId={c.id} customerName={customer.name} settings={settings} />
          <AttachmentsPanel owner={{ kind: 'case', id: c.id }} />
          <CaseRubric caseId={c.id} isClosed={isClosed} />
          <CaseCosts c={c} settings={settings} />
        </div>

        <div>
          <section aria-labelledby="customer-title" className="card">
            <h2 id="customer-title">{t('cases:detail.customer')}</h2>
            <p>
              <a href={href.customer(customer.id)}>
                <strong>{customer.name}</strong>
              </a>
            </p>
            {customer.email ? <p>{customer.email}</p> : null}
            {customer.phone ? <p>{customer.phone}</p> : null}
            {customer.notes ? <p className="prewrap notes">{customer.notes}</p> : null}
            <h3>{t('cases:detail.earlierCases', { count: customerCases.length })}</h3>
            <ul className="compact">
              {customerCases.map((other) => (
                <li key={other.id}>
                  <a href={href.case(other.id)}>
                    {other.number} · {formatDate(other.receivedAt, locale)} · {other.summary}
                  </a>{' '}
                  <span className="muted">({t(`cases:status.${other.status}`)})</span>
                </li>
              ))}
            </ul>
          </section>

          <RepliesSent c={c} />

          <section aria-labelledby="timeline-title" className="card">
            <h2 id="timeline-title">{t('cases:timeline.title')}</h2>
            <ol className="timeline" aria-labelledby="timeline-title">
              {[...c.timeline].reverse().map((event, index) => (
                <li key={`${event.at}-${index}`}>
                  <span className="muted">{formatDateTime(event.at, locale)}</span> · {makerLabel(t, event.by)}:{' '}
                  {isPromiseEvent(event) ? (
                    <PromiseTimelineText event={event} settings={settings} />
                  ) : (
                    <TimelineText event={event} settings={settings} />
                  )}
                </li>
              ))}
            </ol>
          </section>
        </div>
      </div>

      {openDialog === 'edit' ? (
        <EditCaseDialog c={c} customer={customer} settings={settings} onClose={() => setOpenDialog(undefined)} />
      ) : null}
      {openDialog === 'contact' ? (
        <LogContactDialog
          c={c}
          customerName={customer.name}
          settings={settings}
          onClose={() => setOpenDialog(undefined)}
        />
      ) : null}
      {openDialog === 'reply' ? (
        <WriteReplyDialog c={c} customer={customer} settings={settings} onClose={() => setOpenDialog(undefined)} />
      ) : null}
      {openDialog === 'handOff' ? (
        <HandOffDialog c={c} settings={settings} onClose={() => setOpenDialog(undefined)} />
      ) : null}
      {isClosing ? (
        <CloseCaseDialog c={c} onClose={() => setIsClosing(false)} onClosed={() => setIsClosing(false)} />
      ) : null}
    </article>
  )
}

function TimelineText({ event, settings }: { event: TimelineEvent; settings: Settings }) {
  const { t } = useTranslation()
  return (
    <>
      {caseTimelineText(t, event, (id) => categoryLabel(t, settings.categories, id))}
      {event.note ? <span className="muted"> — {event.note}</span> : null}
    </>
  )
}

function StepItem({ caseId, step, isClosed }: { caseId: string; step: RecoveryStep; isClosed: boolean }) {
  const { t, i18n } = useTranslation()
  const call = useApiCall()
  const offerUndo = useOfferUndo()
  const errorText = useErrorText()
  const [note, setNote] = useState('')
  const [error, setError] = useState<ApiError>()
  const [isReopening, setIsReopening] = useState(false)
  const name = t(`cases:step.${step.key}`)
  const isPending = step.status === 'pending'

  async function act(kind: 'done' | 'skip') {
    try {
      if (kind === 'done') await call('cases:completeStep', { id: caseId, step: step.key, note })
      else await call('cases:skipStep', { id: caseId, step: step.key, reason: note })
      setNote('')
      setError(undefined)
      // The undo is a reopen with a reason the timeline can show, never a silent rewrite.
      offerUndo(t(kind === 'done' ? 'undo.stepDone' : 'undo.stepSkipped', { step: name }), () =>
        call('cases:reopenStep', { id: caseId, step: step.key, reason: t('undo.reason') }),
      )
    } catch (caught) {
      setError(asApiError(caught))
    }
  }

  async function reopen() {
    try {
      await call('cases:reopenStep', { id: caseId, step: step.key, reason: note })
      setNote('')
      setError(undefined)
      setIsReopening(false)
    } catch (caught) {
      setError(asApiError(caught))
    }
  }

  return (
    <li aria-label={name} className={`step step-${step.status}`}>
      <div className="step-head">
        <strong>{name}</strong>
        <span className={`badge step-badge-${step.status}`}>{t(`cases:stepStatus.${step.status}`)}</span>
      </div>
      <p className="muted small">{t(`cases:stepHint.${step.key}`)}</p>
      {!isPending ? (
        <>
          <p className="small">
            {t('cases:steps.by', {
              by: step.by ?? '',
              when: step.at ? formatDateTime(step.at, i18n.language as Locale) : '',
            })}
            {step.note ? <span className="prewrap"> — {step.note}</span> : null}
          </p>
          {isClosed ? null : isReopening ? (
            <>
              <Field label={t('cases:steps.reopenReason', { step: name })} error={error ? errorText(error) : undefined}>
                {(p) => <textarea {...p} rows={1} value={note} onChange={(e) => setNote(e.target.value)} autoFocus />}
              </Field>
              <div className="actions">
                <button type="button" className="primary" onClick={() => void reopen()} aria-description={name}>
                  {t('cases:steps.reopenConfirm')}
                </button>
                <button type="button" onClick={() => setIsReopening(false)}>
                  {t('actions.cancel')}
                </button>
              </div>
            </>
          ) : (
            <div className="actions">
              <button type="button" onClick={() => setIsReopening(true)} aria-description={name}>
                {t('cases:steps.reopen')}
              </button>
            </div>
          )}
        </>
      ) : !isClosed ? (
        <>
          <Field label={t('cases:steps.note', { step: name })} error={error ? errorText(error) : undefined}>
            {(p) => <textarea {...p} rows={1} value={note} onChange={(e) => setNote(e.target.value)} />}
          </Field>
          <CoachedText text={note} locale={i18n.language as Locale} />
          <div className="actions">
            <button type="button" className="primary" onClick={() => void act('done')} aria-description={name}>
              {t('cases:steps.done')}
            </button>
            <button type="button" onClick={() => void act('skip')} aria-description={name}>
              {t('cases:steps.skip')}
            </button>
          </div>
        </>
      ) : null}
    </li>
  )
}

/** Records the satisfaction call and closes the case (case screen, and Today → Ready to close). */
export function CloseCaseDialog({
  c,
  onClose,
  onClosed,
}: {
  c: Pick<Case, 'id' | 'number' | 'status' | 'steps'>
  onClose: () => void
  onClosed: () => void
}) {
  const { t, i18n } = useTranslation()
  const errorText = useErrorText()
  const call = useApiCall()
  const offerUndo = useOfferUndo()
  const [satisfaction, setSatisfaction] = useState('')
  const [wouldComeBack, setWouldComeBack] = useState('')
  const [isUnreachable, setIsUnreachable] = useState(false)
  const [error, setError] = useState<ApiError>()
  const refusals = closeRefusals(c)

  async function submit(event: FormEvent) {
    event.preventDefault()
    try {
      if (isUnreachable) await call('cases:close', { id: c.id, reached: false })
      else
        await call('cases:close', {
          id: c.id,
          reached: true,
          satisfaction: Number(satisfaction),
          wouldComeBack: wouldComeBack as 'yes' | 'no' | 'unsure',
        })
      offerUndo(t('undo.caseClosed', { number: c.number }), () => call('cases:undoClose', { id: c.id }))
      onClosed()
    } catch (caught) {
      setError(asApiError(caught))
    }
  }

  const fieldError = (path: string) =>
    error?.code === 'invalid_input' && error.details.some((d) => d.path === path)
      ? t('errors.field.required')
      : undefined

  return (
    <Dialog title={t('cases:close.title', { number: c.number })} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} className="form-grid">
        {refusals.length > 0 ? (
          <p className="warning">
            {t('cases:close.notYet', {
              steps: formatList(
                i18n.language,
                refusals.map((r) => (r.params?.step ? t(`cases:step.${r.params.step}`) : '')).filter(Boolean),
              ),
            })}
          </p>
        ) : null}
        <label className="checkbox">
          <input type="checkbox" checked={isUnreachable} onChange={(e) => setIsUnreachable(e.target.checked)} />
          {t('cases:close.unreachable')}
        </label>
        {!isUnreachable ? (
          <>
            <Field label={t('cases:close.satisfaction')} error={fieldError('satisfaction')}>
              {(p) => (
                <Choice
                  {...p}
                  value={satisfaction}
                  onChange={setSatisfaction}
                  options={['5', '4', '3', '2', '1'].map((n) => ({ value: n, label: t(`cases:satisfaction.${n}`) }))}
                  emptyLabel={t('cases:close.choose')}
                />
              )}
            </Field>
            <Field label={t('cases:close.wouldComeBack')} error={fieldError('wouldComeBack')}>
              {(p) => (
                <Choice
                  {...p}
                  value={wouldComeBack}
                  onChange={setWouldComeBack}
                  options={(['yes', 'no', 'unsure'] as const).map((v) => ({
                    value: v,
                    label: t(`cases:comeBack.${v}`),
                  }))}
                  emptyLabel={t('cases:close.choose')}
                />
              )}
            </Field>
          </>
        ) : null}
        {error && error.code !== 'invalid_input' ? <p role="alert">{errorText(error)}</p> : null}
        <div className="actions">
          <button type="button" onClick={onClose}>
            {t('actions.cancel')}
          </button>
          <button type="submit" className="primary">
            {t('cases:close.confirm')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
