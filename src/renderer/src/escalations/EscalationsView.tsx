import { type Guarantee } from '../../../shared/promises/promises'
import { timelineWhat } from '../../../shared/promises/promiseLabels'
import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type EscalationView } from '../../../shared/api'
import { type ApiError } from '../../../shared/core/errors'
import { type Escalation, type EscalationSettings, isOpenEscalation } from '../../../shared/escalations/escalation'
import { escalationTitle } from '../../../shared/escalations/escalationText'
import { type Category, type Locale, type Settings } from '../../../shared/schemas'
import { Dialog } from '../components/Dialog'
import { Field } from '../components/Field'
import { formatDate, formatDateTime } from '../format'
import { asApiError, useApi, useApiCall, useErrorText } from '../hooks'
import { href } from '../router'
import { usePermissions, useSession } from '../team/useSession'

/** How many evidence records an escalation shows before "and N more": the newest ones. */
const evidenceShown = 25

const pageSize = 50
type Action = 'acknowledge' | 'plan' | 'resolve' | 'dismiss'

export function EscalationsView({ settings }: { settings: Settings }) {
  const { t } = useTranslation()
  // A page at a time: a business with years of history can hold thousands of escalations.
  const [limit, setLimit] = useState(pageSize)
  const list = useApi('escalations:list', { limit })
  const errorText = useErrorText()
  const [acting, setActing] = useState<{ action: Action; escalation: EscalationView }>()
  const { mayAnswerEscalations } = usePermissions()

  return (
    <section aria-labelledby="escalations-title" className="escalations-view">
      <h1 id="escalations-title">{t('escalations:title')}</h1>
      <p className="muted">{t('escalations:intro', { days: settings.escalation.quietDays })}</p>
      <RulesCard rules={settings.escalation} />
      {list.error ? <p role="alert">{errorText(list.error)}</p> : null}
      <p aria-live="polite">{list.data ? t('escalations:openCount', { count: list.data.open }) : t('app.loading')}</p>
      {list.data && list.data.escalations.length === 0 ? <p>{t('escalations:empty')}</p> : null}
      <ul className="escalation-list" aria-label={t('escalations:list')}>
        {list.data?.escalations.map((e) => (
          <EscalationItem
            key={e.id}
            escalation={e}
            categories={settings.categories}
            guarantees={settings.promises.guarantees}
            onAct={(action) => setActing({ action, escalation: e })}
            mayAnswer={mayAnswerEscalations}
          />
        ))}
      </ul>
      {list.data && list.data.total > list.data.escalations.length ? (
        <button type="button" onClick={() => setLimit((n) => n + pageSize)}>
          {t('escalations:showMore', {
            count: Math.min(pageSize, list.data.total - list.data.escalations.length),
            total: list.data.total,
          })}
        </button>
      ) : null}
      {acting ? (
        <ActionDialog
          action={acting.action}
          escalation={acting.escalation}
          settings={settings}
          onClose={() => setActing(undefined)}
          onDone={() => setActing(undefined)}
        />
      ) : null}
    </section>
  )
}

/** The thresholds in force and the reasoning behind them. */
function RulesCard({ rules }: { rules: EscalationSettings }) {
  const { t } = useTranslation()
  return (
    <details className="card rules">
      <summary>{t('escalations:rules.title')}</summary>
      <ul>
        <li>{t('escalations:rules.recurring', { count: rules.recurringCount, days: rules.recurringWindowDays })}</li>
        <li>{t('escalations:rules.prevention', { days: rules.preventionWindowDays })}</li>
        <li>
          {t('escalations:rules.heinrich', {
            days: rules.ladderWindowDays,
            threshold: rules.ladderMinorThreshold,
            perMinor: rules.ladderNearMissesPerMinor,
          })}
        </li>
        <li>
          {t('escalations:rules.promises', {
            count: rules.brokenPromiseCount,
            days: rules.brokenPromiseWindowDays,
            customerDays: rules.customerBrokenPromiseWindowDays,
          })}
        </li>
        <li>{t('escalations:rules.overdue')}</li>
        <li>{t('escalations:rules.repeat', { days: rules.repeatComplainerDays })}</li>
        <li>{t('escalations:rules.target')}</li>
        <li>{t('escalations:rules.quiet', { days: rules.quietDays })}</li>
      </ul>
    </details>
  )
}

function EscalationItem({
  escalation: e,
  categories,
  guarantees,
  onAct,
  mayAnswer,
}: {
  escalation: EscalationView
  categories: Category[]
  guarantees: readonly Guarantee[]
  onAct: (action: Action) => void
  /** Supervisors and owners answer escalations; an agent sees them, without the buttons. */
  mayAnswer: boolean
}) {
  const { t, i18n } = useTranslation()
  const locale = i18n.language as Locale
  const title = escalationTitle(t, categories, e)
  const isOpen = isOpenEscalation(e)
  const shown = e.evidence.slice(-evidenceShown).reverse()
  const hidden = e.evidence.length - shown.length
  const hint = e.status === 'action-planned' && e.resolveBlock ? e.resolveBlock : undefined

  return (
    <li aria-label={title} className={`card escalation severity-${e.severity} ${isOpen ? '' : 'is-closed'}`}>
      <div className="escalation-head">
        <h2>{title}</h2>
        <span className={`badge severity-badge-${e.severity}`}>
          {t('escalations:severityLabel', { severity: t(`escalations:severity.${e.severity}`) })}
        </span>
        <span className={`status escalation-status-${e.status}`}>{t(`escalations:status.${e.status}`)}</span>
      </div>
      {e.isPreventionFailed ? <p className="warning">{t('escalations:preventionFailed')}</p> : null}
      <p className="muted small">
        {t('escalations:raisedSeen', {
          raised: formatDateTime(e.firstRaisedAt, locale),
          seen: formatDate(e.lastSeenAt, locale),
        })}
      </p>
      {e.acknowledgement ? (
        <p>{t('escalations:answer.acknowledged', { by: e.acknowledgement.by, note: e.acknowledgement.note })}</p>
      ) : null}
      {e.action ? (
        <p>
          {t('escalations:answer.action', {
            what: e.action.what,
            owner: e.action.owner,
            due: formatDate(e.action.dueAt, locale),
          })}
        </p>
      ) : null}
      {e.resolution ? <p>{t('escalations:answer.resolved', { by: e.resolution.by })}</p> : null}
      {e.dismissal ? <p>{t('escalations:answer.dismissed', { by: e.dismissal.by, note: e.dismissal.note })}</p> : null}
      {hint ? <ResolveHint block={hint} /> : null}
      {isOpen && !mayAnswer ? <p className="muted small">{t('team:session.agentCannotAnswer')}</p> : null}
      {isOpen && mayAnswer ? (
        <div className="actions">
          {e.status === 'raised' ? (
            <button type="button" className="primary" onClick={() => onAct('acknowledge')} aria-description={title}>
              {t('escalations:actions.acknowledge')}
            </button>
          ) : (
            <button
              type="button"
              className={e.status === 'acknowledged' ? 'primary' : ''}
              onClick={() => onAct('plan')}
              aria-description={title}
            >
              {t('escalations:actions.plan')}
            </button>
          )}
          <button type="button" onClick={() => onAct('resolve')} aria-description={title}>
            {t('escalations:actions.resolve')}
          </button>
          <button type="button" onClick={() => onAct('dismiss')} aria-description={title}>
            {t('escalations:actions.dismiss')}
          </button>
        </div>
      ) : null}
      <div className="escalation-columns">
        <div>
          <h3>{t('escalations:evidence.title')}</h3>
          <ol className="timeline" aria-label={t('escalations:evidence.title')}>
            {shown.map((item) => (
              <li key={`${item.kind}:${item.id}`}>
                <span className="muted">{formatDate(item.at, locale)}</span> ·{' '}
                {t(`escalations:evidence.kind.${item.kind}`)}{' '}
                {item.kind === 'case' ? (
                  <a href={href.case(item.id)}>{item.label}</a>
                ) : (
                  <span>{item.kind === 'promise' ? timelineWhat(t, item.label, guarantees) : item.label}</span>
                )}
                {item.customerName ? <span className="muted"> ({item.customerName})</span> : null}
                {item.role === 'prevented' ? (
                  <span className="muted"> — {t('escalations:evidence.prevented')}</span>
                ) : null}
              </li>
            ))}
          </ol>
          {hidden > 0 ? <p className="muted small">{t('escalations:evidence.more', { count: hidden })}</p> : null}
        </div>
        <div>
          <h3>{t('escalations:history.title')}</h3>
          <ol className="timeline" aria-label={t('escalations:history.title')}>
            {[...e.history].reverse().map((event, index) => (
              <li key={`${event.at}-${index}`}>
                <span className="muted">{formatDateTime(event.at, locale)}</span> · {event.by}:{' '}
                {t(`escalations:history.${event.type}`, { count: event.count ?? 0 })}
                {event.note ? <span className="muted"> — {event.note}</span> : null}
              </li>
            ))}
          </ol>
        </div>
      </div>
    </li>
  )
}

function ResolveHint({ block }: { block: NonNullable<EscalationView['resolveBlock']> }) {
  const { t, i18n } = useTranslation()
  const errorText = useErrorText()
  const quietUntil = typeof block.params.quietUntil === 'string' ? block.params.quietUntil : undefined
  return (
    <p className="muted small">
      {errorText({ code: 'rule_violation', message: '', details: [], reason: block.reason, params: block.params })}{' '}
      {quietUntil ? t('escalations:quietFrom', { when: formatDate(quietUntil, i18n.language as Locale) }) : null}
    </p>
  )
}

function ActionDialog({
  action,
  escalation,
  settings,
  onClose,
  onDone,
}: {
  action: Action
  escalation: EscalationView
  settings: Settings
  onClose: () => void
  onDone: () => void
}) {
  const { t } = useTranslation()
  const errorText = useErrorText()
  const call = useApiCall()
  const session = useSession()
  const [manager, setManager] = useState(settings.currentUser)
  const [text, setText] = useState('')
  const [owner, setOwner] = useState('')
  const [due, setDue] = useState('')
  const [error, setError] = useState<ApiError>()
  const title = escalationTitle(t, settings.categories, escalation)
  const fieldError = (path: string) =>
    error?.details.some((d) => d.path === path) ? errorText(error) || t('errors.field.required') : undefined

  async function submit(event: FormEvent) {
    event.preventDefault()
    try {
      const id = escalation.id
      let result: Escalation
      if (action === 'acknowledge') result = await call('escalations:acknowledge', { id, manager, note: text })
      else if (action === 'plan')
        result = await call('escalations:planAction', {
          id,
          what: text,
          owner,
          // A due date is a day: the end of that day where the user is.
          dueAt: due ? new Date(`${due}T23:59:59`).toISOString() : '',
        })
      else if (action === 'resolve') result = await call('escalations:resolve', { id, note: text })
      else result = await call('escalations:dismiss', { id, reason: text })
      if (result) onDone()
    } catch (caught) {
      setError(asApiError(caught))
    }
  }

  const textLabel =
    action === 'acknowledge'
      ? t('escalations:form.note')
      : action === 'plan'
        ? t('escalations:form.what')
        : action === 'resolve'
          ? t('escalations:form.resolveNote')
          : t('escalations:form.reason')
  const textPath = action === 'plan' ? 'what' : action === 'dismiss' ? 'reason' : 'note'
  const hasFieldError = error?.details.some((d) => d.path) ?? false

  return (
    <Dialog title={t(`escalations:dialog.${action}`, { title })} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} className="form-grid">
        {action === 'resolve' && escalation.resolveBlock ? (
          <div className="warning">
            <ResolveHint block={escalation.resolveBlock} />
          </div>
        ) : null}
        {action === 'acknowledge' ? (
          <Field label={t('escalations:form.manager')} error={fieldError('manager')}>
            {(p) =>
              // On a team database the answer is signed by the person of the login.
              session?.isTeam ? (
                <input {...p} value={session.name} readOnly />
              ) : (
                <input {...p} value={manager} onChange={(e) => setManager(e.target.value)} />
              )
            }
          </Field>
        ) : null}
        <Field label={textLabel} error={fieldError(textPath)}>
          {(p) => <textarea {...p} rows={3} value={text} onChange={(e) => setText(e.target.value)} />}
        </Field>
        {action === 'plan' ? (
          <>
            <Field label={t('escalations:form.owner')} error={fieldError('owner')}>
              {(p) => (
                <input {...p} list="escalation-owners" value={owner} onChange={(e) => setOwner(e.target.value)} />
              )}
            </Field>
            <datalist id="escalation-owners">
              {settings.staff.map((s) => (
                <option key={s.name} value={s.name} />
              ))}
            </datalist>
            <Field label={t('escalations:form.due')} error={fieldError('dueAt')}>
              {(p) => <input {...p} type="date" value={due} onChange={(e) => setDue(e.target.value)} />}
            </Field>
          </>
        ) : null}
        {error && !hasFieldError ? <p role="alert">{errorText(error)}</p> : null}
        <div className="actions">
          <button type="button" onClick={onClose}>
            {t('actions.cancel')}
          </button>
          <button type="submit" className="primary">
            {t(`escalations:actions.${action}`)}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
