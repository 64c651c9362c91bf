import { followsStep, guaranteeSteps } from '../../../shared/promises/guaranteeRule'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type ApiError } from '../../../shared/core/errors'
import { type PromiseSummary } from '../../../shared/promises/contract'
import { promiseMaker, promiseWhat } from '../../../shared/promises/promiseLabels'
import { type Locale, type Settings } from '../../../shared/schemas'
import { Dialog } from '../components/Dialog'
import { Field } from '../components/Field'
import { formatDateTime } from '../format'
import { useOfferUndo } from '../components/UndoNotice'
import { DeleteButton } from '../trash/DeleteButton'
import { asApiError, useApiCall, useErrorText, useFieldErrors } from '../hooks'
import { href } from '../router'
import { PromiseDialog } from './PromiseDialog'

/** The badge of a promise's state: overdue and broken stand out. */
export function StateBadge({ state }: { state: PromiseSummary['state'] }) {
  const { t } = useTranslation()
  return <span className={`badge promise-${state}`}>{t(`promises:state.${state}`)}</span>
}

type Props = {
  p: PromiseSummary
  settings: Settings
  /** Show the customer and case (lists outside a case). */
  isShowingCustomer?: boolean
}

/**
 * One promise with its state, and for an open one the buttons Kept, Broken, Renegotiate, Cancel.
 * The list item is named after what was promised, so it can be found by that name.
 */
export function PromiseItem({ p, settings, isShowingCustomer = false }: Props) {
  const { t, i18n } = useTranslation()
  const call = useApiCall()
  const offerUndo = useOfferUndo()
  const errorText = useErrorText()
  const locale = i18n.language as Locale
  const [dialog, setDialog] = useState<'break' | 'cancel' | 'renegotiate' | 'honest'>()
  const [error, setError] = useState<ApiError>()
  const what = promiseWhat(t, p, settings.promises.guarantees)
  const isOpen = p.status === 'open'
  const guaranteeStep = followsStep(p) ? guaranteeSteps[p.guaranteeId ?? ''] : undefined
  const isOverdue = p.state === 'overdue'

  async function keep() {
    try {
      await call('promises:keep', { id: p.id, note: '' })
      offerUndo(t('undo.promiseKept', { what: promiseWhat(t, p, settings.promises.guarantees) }), () =>
        call('promises:undoClose', { id: p.id }),
      )
      setError(undefined)
    } catch (caught) {
      setError(asApiError(caught))
    }
  }

  return (
    <li aria-label={what} className={`promise promise-item-${p.state}`}>
      <div className="promise-head">
        <strong className="grow">{what}</strong>
        <StateBadge state={p.state} />
      </div>
      <p className="small">
        {isShowingCustomer ? (
          <>
            <strong>{p.customerName}</strong>
            {p.caseId && p.caseNumber ? (
              <>
                {' · '}
                <a href={href.case(p.caseId)}>{t('promises:row.case', { number: p.caseNumber })}</a>
              </>
            ) : null}
            {' · '}
          </>
        ) : null}
        {t('promises:due.dueAt', { when: formatDateTime(p.dueAt, locale) })} ·{' '}
        {t('promises:row.madeBy', { name: promiseMaker(t, p) })}
      </p>
      {p.closedAt && !isOpen ? (
        <p className="small muted">
          {t('promises:row.closed', {
            state: t(`promises:state.${p.state}`),
            when: formatDateTime(p.closedAt, locale),
            by: p.closedBy ?? '',
          })}
          {p.note ? <span className="prewrap"> — {p.note}</span> : null}
        </p>
      ) : null}
      {p.compensation ? <p className="small">{t('promises:row.compensation', { text: p.compensation })}</p> : null}
      {p.predecessorId ? <p className="small muted">{t('promises:row.predecessor')}</p> : null}
      {isOpen ? (
        <div className="actions">
          {guaranteeStep ? (
            // Kept by its recovery step on the case, never by hand: no button that can only be refused.
            <span className="muted small">
              {t('promises:guarantee.keptByStep', { step: t(`cases:step.${guaranteeStep}`) })}
            </span>
          ) : (
            <button type="button" className="primary" onClick={() => void keep()} aria-description={what}>
              {t('promises:action.kept')}
            </button>
          )}
          <button type="button" onClick={() => setDialog('break')} aria-description={what}>
            {t('promises:action.broken')}
          </button>
          <button
            type="button"
            onClick={() => setDialog('renegotiate')}
            disabled={isOverdue}
            aria-description={isOverdue ? t('promises:action.pastDue') : what}
          >
            {t('promises:action.renegotiate')}
          </button>
          <button type="button" onClick={() => setDialog('cancel')} aria-description={what}>
            {t('promises:action.cancel')}
          </button>
        </div>
      ) : null}
      {p.guaranteeId ? null : (
        // A service guarantee follows its case's steps: it goes to Trash only with the case.
        <div className="actions">
          <DeleteButton method="promises:delete" id={p.id} what={what} />
        </div>
      )}
      {error ? <p role="alert">{errorText(error)}</p> : null}
      {dialog === 'break' ? (
        <BreakDialog
          p={p}
          what={what}
          onClose={() => setDialog(undefined)}
          onBroken={(isMakingNew) => setDialog(isMakingNew ? 'honest' : undefined)}
        />
      ) : null}
      {dialog === 'cancel' ? (
        <CancelDialog p={p} what={what} onClose={() => setDialog(undefined)} onCancelled={() => setDialog(undefined)} />
      ) : null}
      {dialog === 'renegotiate' ? (
        <PromiseDialog
          settings={settings}
          customerName={p.customerName}
          renegotiate={{ id: p.id, what }}
          onClose={() => setDialog(undefined)}
          onDone={() => setDialog(undefined)}
        />
      ) : null}
      {dialog === 'honest' ? (
        <PromiseDialog
          settings={settings}
          customerName={p.customerName}
          {...(p.caseId ? { caseId: p.caseId } : {})}
          initialWhat={what}
          onClose={() => setDialog(undefined)}
          onDone={() => setDialog(undefined)}
        />
      ) : null}
    </li>
  )
}

/** A field's error in words: the rule's own message when there is one ("Write what happened."). */
function reasonOr(
  error: ApiError | undefined,
  fieldError: string | undefined,
  errorText: (e: ApiError | undefined) => string,
): string | undefined {
  if (!fieldError) return undefined
  return error?.reason ? errorText(error) : fieldError
}

function BreakDialog({
  p,
  what,
  onClose,
  onBroken,
}: {
  p: PromiseSummary
  what: string
  onClose: () => void
  onBroken: (isMakingNew: boolean) => void
}) {
  const { t } = useTranslation()
  const errorText = useErrorText()
  const call = useApiCall()
  const offerUndo = useOfferUndo()
  const [whatHappened, setWhatHappened] = useState('')
  const [isLoggedOnCase, setIsLoggedOnCase] = useState(Boolean(p.caseId))
  const [isMakingNew, setIsMakingNew] = useState(true)
  const [error, setError] = useState<ApiError>()
  const fieldErrors = useFieldErrors(error)

  async function submit(event: FormEvent) {
    event.preventDefault()
    try {
      await call('promises:break', { id: p.id, whatHappened, isLoggedOnCase })
      offerUndo(t('undo.promiseBroken', { what }), () => call('promises:undoClose', { id: p.id }))
      onBroken(isMakingNew)
    } catch (caught) {
      setError(asApiError(caught))
    }
  }

  return (
    <Dialog title={t('promises:break.title', { what })} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} className="form-grid">
        <p className="muted small">{t('promises:break.hint')}</p>
        <Field label={t('promises:break.whatHappened')} error={reasonOr(error, fieldErrors.whatHappened, errorText)}>
          {(props) => (
            <textarea {...props} rows={3} value={whatHappened} onChange={(e) => setWhatHappened(e.target.value)} />
          )}
        </Field>
        {p.caseId ? (
          <label className="checkbox">
            <input type="checkbox" checked={isLoggedOnCase} onChange={(e) => setIsLoggedOnCase(e.target.checked)} />
            {t('promises:break.logOnCase')}
          </label>
        ) : null}
        <label className="checkbox">
          <input type="checkbox" checked={isMakingNew} onChange={(e) => setIsMakingNew(e.target.checked)} />
          {t('promises:break.makeNew')}
        </label>
        {error && Object.keys(fieldErrors).length === 0 ? <p role="alert">{errorText(error)}</p> : null}
        <div className="actions">
          <button type="button" onClick={onClose}>
            {t('actions.cancel')}
          </button>
          <button type="submit" className="primary">
            {t('promises:break.confirm')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}

function CancelDialog({
  p,
  what,
  onClose,
  onCancelled,
}: {
  p: PromiseSummary
  what: string
  onClose: () => void
  onCancelled: () => void
}) {
  const { t } = useTranslation()
  const errorText = useErrorText()
  const call = useApiCall()
  const [reason, setReason] = useState('')
  const [error, setError] = useState<ApiError>()
  const fieldErrors = useFieldErrors(error)

  async function submit(event: FormEvent) {
    event.preventDefault()
    try {
      await call('promises:cancel', { id: p.id, reason })
      onCancelled()
    } catch (caught) {
      setError(asApiError(caught))
    }
  }

  return (
    <Dialog title={t('promises:cancel.title', { what })} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} className="form-grid">
        <Field label={t('promises:cancel.reason')} error={reasonOr(error, fieldErrors.reason, errorText)}>
          {(props) => <textarea {...props} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
        {error && Object.keys(fieldErrors).length === 0 ? <p role="alert">{errorText(error)}</p> : null}
        <div className="actions">
          <button type="button" onClick={onClose}>
            {t('promises:cancel.back')}
          </button>
          <button type="submit" className="primary">
            {t('promises:cancel.confirm')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
