import { type Guarantee } from '../../../shared/promises/promises'
import { timelineWhat } from '../../../shared/promises/promiseLabels'
import { type FormEvent, useId, useMemo, useState } from 'react'
import { type TFunction } from 'i18next'
import { useTranslation } from 'react-i18next'
import { type EscalationView } from '../../../shared/api'
import { type ApiError } from '../../../shared/core/errors'
import {
  type Escalation,
  type EscalationRule,
  type EscalationSettings,
  type EscalationSeverity,
  type EscalationStatus,
  escalationRules,
  escalationSeverities,
  escalationStatuses,
  isOpenEscalation,
} from '../../../shared/escalations/escalation'
import { type EscalationGroup, groupEscalations } from '../../../shared/escalations/grouping'
import { categoryLabel } from '../../../shared/cases/categoryLabel'
import { escalationTitle } from '../../../shared/escalations/escalationText'
import { type Category, type Locale, type Settings } from '../../../shared/schemas'
import { Dialog } from '../components/Dialog'
import { Choice, asOptions } from '../components/Choice'
import { Field } from '../components/Field'
import { formatDate, formatDateTime } from '../format'
import { asApiError, useApi, useApiCall, useErrorText } from '../hooks'
import { href } from '../router'
import { usePermissions, useSession } from '../team/useSession'

/** How many evidence records an escalation shows before "and N more": the newest ones. */
const evidenceShown = 25

const pageSize = 50
type Action = 'acknowledge' | 'plan' | 'resolve' | 'dismiss'

/**
 * The escalation inbox: filters, related escalations grouped into one row (a department's
 * pattern with its "prevention failed" and target; one digest of repeat complainers; a case's
 * major and overdue), and a bulk acknowledge with one note, so a week's review fits one screen.
 */
export function EscalationsView({ settings }: { settings: Settings }) {
  const { t } = useTranslation()
  const [filter, setFilter] = useState<InboxFilter>({ status: 'open' })
  // A page at a time: a business with years of history can hold thousands of escalations.
  const [limit, setLimit] = useState(pageSize)
  const list = useApi('escalations:list', { ...definedOf(filter), limit })
  const errorText = useErrorText()
  const [acting, setActing] = useState<{ action: Action; escalation: EscalationView }>()
  const { mayAnswerEscalations } = usePermissions()
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set())
  const [isBulkOpen, setBulkOpen] = useState(false)
  // Which groups are open, kept here so a refresh after an answer does not fold them away.
  const [openGroups, setOpenGroups] = useState<ReadonlySet<string>>(new Set())
  const shown = useMemo(() => list.data?.escalations ?? [], [list.data])
  const groups = useMemo(() => groupEscalations(shown), [shown])
  // Only what is still raised and on screen can be acknowledged together.
  const selectable = useMemo(() => new Set(shown.filter((e) => e.status === 'raised').map((e) => e.id)), [shown])
  const chosen = [...selected].filter((id) => selectable.has(id))
  const toggle = (ids: readonly string[], isOn: boolean) =>
    setSelected((current) => {
      const next = new Set(current)
      for (const id of ids) {
        if (isOn) next.add(id)
        else next.delete(id)
      }
      return next
    })

  return (
    <section aria-labelledby="escalations-title" className="escalations-view">
      <h1 id="escalations-title">{t('escalations:title')}</h1>
      <p className="muted">{t('escalations:intro', { days: settings.escalation.quietDays })}</p>
      <RulesCard rules={settings.escalation} />
      <Filters
        settings={settings}
        filter={filter}
        onChange={(next) => {
          setFilter(next)
          setLimit(pageSize)
        }}
      />
      {list.error ? <p role="alert">{errorText(list.error)}</p> : null}
      <div className="inbox-bar">
        <p aria-live="polite">
          {list.data
            ? `${t('escalations:openCount', { count: list.data.open })} · ${t('escalations:nav.badge', { count: list.data.unacknowledged })} · ${t('inbox:shown', { count: list.data.total, rows: groups.length })}`
            : t('app.loading')}
        </p>
        {mayAnswerEscalations ? (
          <button type="button" className="primary" disabled={chosen.length === 0} onClick={() => setBulkOpen(true)}>
            {t('inbox:bulk.button', { count: chosen.length })}
          </button>
        ) : null}
        {chosen.length > 0 ? (
          <button type="button" onClick={() => setSelected(new Set())}>
            {t('inbox:bulk.clear')}
          </button>
        ) : null}
      </div>
      {list.data && list.data.escalations.length === 0 ? <p>{t('escalations:empty')}</p> : null}
      <ul className="escalation-list" aria-label={t('escalations:list')}>
        {groups.map((group) =>
          group.escalations.length === 1 && group.kind === 'single' ? (
            <EscalationItem
              key={group.key}
              escalation={group.escalations[0] as EscalationView}
              categories={settings.categories}
              guarantees={settings.promises.guarantees}
              isSelected={selected.has((group.escalations[0] as EscalationView).id)}
              onSelect={(isOn) => toggle([(group.escalations[0] as EscalationView).id], isOn)}
              onAct={(action) => setActing({ action, escalation: group.escalations[0] as EscalationView })}
            />
          ) : (
            <GroupItem
              key={group.key}
              group={group}
              settings={settings}
              selected={selected}
              onSelect={toggle}
              isOpen={openGroups.has(group.key)}
              onOpen={(isOpen) =>
                setOpenGroups((current) => {
                  if (current.has(group.key) === isOpen) return current
                  const next = new Set(current)
                  if (isOpen) next.add(group.key)
                  else next.delete(group.key)
                  return next
                })
              }
              onAct={(action, escalation) => setActing({ action, escalation })}
            />
          ),
        )}
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
      {isBulkOpen ? (
        <BulkAcknowledgeDialog
          ids={chosen}
          settings={settings}
          onClose={() => setBulkOpen(false)}
          onDone={() => {
            setBulkOpen(false)
            setSelected(new Set())
          }}
        />
      ) : null}
    </section>
  )
}

type InboxFilter = {
  status: EscalationStatus | 'open' | ''
  rule?: EscalationRule | ''
  department?: string
  severity?: EscalationSeverity | ''
  owner?: string
}

/** The filter as the list method takes it: "any" is no field at all. */
function definedOf(filter: InboxFilter) {
  return {
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.rule ? { rule: filter.rule } : {}),
    ...(filter.department ? { department: filter.department } : {}),
    ...(filter.severity ? { severity: filter.severity } : {}),
    ...(filter.owner ? { owner: filter.owner } : {}),
  }
}

function Filters({
  settings,
  filter,
  onChange,
}: {
  settings: Settings
  filter: InboxFilter
  onChange: (filter: InboxFilter) => void
}) {
  const { t } = useTranslation()
  const any = t('inbox:filters.any')
  const set = (patch: Partial<InboxFilter>) => onChange({ ...filter, ...patch })
  return (
    <div role="group" aria-label={t('inbox:filters.label')} className="inbox-filters">
      <Field label={t('inbox:filters.status')}>
        {(p) => (
          <Choice
            {...p}
            value={filter.status}
            onChange={(status) => set({ status: status as InboxFilter['status'] })}
            options={[
              { value: 'open', label: t('inbox:filters.open') },
              { value: '', label: t('inbox:filters.all') },
              ...escalationStatuses.map((s) => ({ value: s, label: t(`escalations:status.${s}`) })),
            ]}
          />
        )}
      </Field>
      <Field label={t('inbox:filters.rule')}>
        {(p) => (
          <Choice
            {...p}
            value={filter.rule ?? ''}
            onChange={(rule) => set({ rule: rule as EscalationRule })}
            emptyLabel={any}
            options={escalationRules.map((r) => ({ value: r, label: t(`inbox:rule.${r}`) }))}
          />
        )}
      </Field>
      <Field label={t('inbox:filters.department')}>
        {(p) => (
          <Choice
            {...p}
            value={filter.department ?? ''}
            onChange={(department) => set({ department })}
            emptyLabel={any}
            options={asOptions(settings.departments)}
          />
        )}
      </Field>
      <Field label={t('inbox:filters.severity')}>
        {(p) => (
          <Choice
            {...p}
            value={filter.severity ?? ''}
            onChange={(severity) => set({ severity: severity as EscalationSeverity })}
            emptyLabel={any}
            options={[...escalationSeverities]
              .reverse()
              .map((s) => ({ value: s, label: t(`escalations:severity.${s}`) }))}
          />
        )}
      </Field>
      <Field label={t('inbox:filters.owner')}>
        {(p) => (
          <Choice
            {...p}
            value={filter.owner ?? ''}
            onChange={(owner) => set({ owner })}
            emptyLabel={any}
            options={asOptions(settings.staff.map((s) => s.name))}
          />
        )}
      </Field>
      <button type="button" onClick={() => onChange({ status: 'open' })}>
        {t('inbox:filters.clear')}
      </button>
    </div>
  )
}

/** The title of a group row: what the grouped escalations are about together. */
function groupTitle(t: TFunction, settings: Settings, group: EscalationGroup<EscalationView>): string {
  const first = group.escalations[0] as EscalationView
  if (group.kind === 'repeat-complainers') return t('inbox:group.repeat', { count: group.escalations.length })
  if (group.kind === 'pattern') {
    return t('inbox:group.pattern', {
      category: categoryLabel(t, settings.categories, first.subject.category ?? ''),
      department: first.subject.department || t('escalations:noDepartment'),
    })
  }
  if (group.kind === 'case') return t('inbox:group.case', { case: first.caseNumber ?? first.subject.caseId ?? '' })
  return escalationTitle(t, settings.categories, first)
}

/** Several related escalations as one row: closed until opened, with a checkbox for all of them. */
function GroupItem({
  group,
  settings,
  selected,
  onSelect,
  isOpen,
  onOpen,
  onAct,
}: {
  group: EscalationGroup<EscalationView>
  settings: Settings
  selected: ReadonlySet<string>
  onSelect: (ids: readonly string[], isOn: boolean) => void
  isOpen: boolean
  onOpen: (isOpen: boolean) => void
  onAct: (action: Action, escalation: EscalationView) => void
}) {
  const { t } = useTranslation()
  const { mayAnswerEscalations: mayAnswer } = usePermissions()
  const title = groupTitle(t, settings, group)
  const raised = group.escalations.filter((e) => e.status === 'raised').map((e) => e.id)
  const isAllSelected = raised.length > 0 && raised.every((id) => selected.has(id))
  const rules = [...new Set(group.escalations.map((e) => t(`inbox:rule.${e.rule}`)))].join(' · ')
  return (
    <li aria-label={title} className={`card escalation-group severity-${group.severity}`}>
      <div className="escalation-head">
        {raised.length > 0 && mayAnswer ? (
          <input
            type="checkbox"
            aria-label={t('inbox:selectGroup', { title })}
            checked={isAllSelected}
            onChange={(e) => onSelect(raised, e.target.checked)}
          />
        ) : null}
        <h2>{title}</h2>
        <span className={`badge severity-badge-${group.severity}`}>
          {t('escalations:severityLabel', { severity: t(`escalations:severity.${group.severity}`) })}
        </span>
        <span className="status">
          {t('inbox:group.count', { count: group.escalations.length })}
          {raised.length > 0 ? ` · ${t('inbox:group.unacknowledged', { count: raised.length })}` : ''}
        </span>
      </div>
      <details open={isOpen} onToggle={(e) => onOpen(e.currentTarget.open)}>
        <summary>{group.kind === 'repeat-complainers' ? customersOf(group) : rules}</summary>
        <ul className="escalation-list" aria-label={title}>
          {group.escalations.map((e) => (
            <EscalationItem
              key={e.id}
              escalation={e}
              categories={settings.categories}
              guarantees={settings.promises.guarantees}
              isSelected={selected.has(e.id)}
              onSelect={(isOn) => onSelect([e.id], isOn)}
              onAct={(action) => onAct(action, e)}
              level={3}
            />
          ))}
        </ul>
      </details>
    </li>
  )
}

function Heading({ level, children }: { level: 2 | 3 | 4; children: string }) {
  return level === 2 ? <h2>{children}</h2> : level === 3 ? <h3>{children}</h3> : <h4>{children}</h4>
}

const customersOf = (group: EscalationGroup<EscalationView>) =>
  group.escalations.map((e) => e.customerName ?? e.subject.customerId ?? '').join(', ')

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
  isSelected,
  onSelect,
  onAct,
  level = 2,
}: {
  escalation: EscalationView
  categories: Category[]
  guarantees: readonly Guarantee[]
  /** Its heading's level: 2 on its own, 3 inside a group. */
  level?: 2 | 3
  isSelected: boolean
  onSelect: (isOn: boolean) => void
  onAct: (action: Action) => void
}) {
  const { t, i18n } = useTranslation()
  // Supervisors and owners answer escalations; an agent sees them, without the buttons.
  const { mayAnswerEscalations: mayAnswer } = usePermissions()
  const locale = i18n.language as Locale
  const title = escalationTitle(t, categories, e)
  const isOpen = isOpenEscalation(e)
  const shown = e.evidence.slice(-evidenceShown).reverse()
  const hidden = e.evidence.length - shown.length
  const hint = e.status === 'action-planned' && e.resolveBlock ? e.resolveBlock : undefined

  return (
    <li aria-label={title} className={`card escalation severity-${e.severity} ${isOpen ? '' : 'is-closed'}`}>
      <div className="escalation-head">
        {e.status === 'raised' && mayAnswer ? (
          <input
            type="checkbox"
            aria-label={t('inbox:select', { title })}
            checked={isSelected}
            onChange={(event) => onSelect(event.target.checked)}
          />
        ) : null}
        <Heading level={level}>{title}</Heading>
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
      <details className="escalation-details">
        <summary>{t('inbox:details', { count: e.evidence.length })}</summary>
        <div className="escalation-columns">
          <div>
            <Heading level={level === 2 ? 3 : 4}>{t('escalations:evidence.title')}</Heading>
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
            <Heading level={level === 2 ? 3 : 4}>{t('escalations:history.title')}</Heading>
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
      </details>
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
  const [manager, setManager] = useState(defaultManager(settings))
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
          session?.isTeam ? (
            // On a team database the answer is signed by the person of the login.
            <Field label={t('escalations:form.manager')} error={fieldError('manager')}>
              {(p) => <input {...p} value={session.name} readOnly />}
            </Field>
          ) : (
            <ManagerPicker settings={settings} value={manager} onChange={setManager} error={fieldError('manager')} />
          )
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

/** The working person when they are on the staff list; else nobody, so the manager is chosen. */
function defaultManager(settings: Settings): string {
  return settings.staff.some((s) => s.name === settings.currentUser) ? settings.currentUser : ''
}

/**
 * The acknowledging manager is a person picked from the staff, never free text. A data folder
 * records no roles, so every staff member is offered (the hint says so).
 */
function ManagerPicker({
  settings,
  value,
  onChange,
  error,
}: {
  settings: Settings
  value: string
  onChange: (name: string) => void
  error?: string
}) {
  const { t } = useTranslation()
  const hintId = useId()
  return (
    <>
      <Field label={t('escalations:form.manager')} {...(error ? { error } : {})}>
        {(p) => (
          <select {...p} aria-describedby={hintId} value={value} onChange={(e) => onChange(e.target.value)}>
            <option value="">{t('inbox:pickManager')}</option>
            {settings.staff.map((s) => (
              <option key={s.name} value={s.name}>
                {s.department ? `${s.name} (${s.department})` : s.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <p id={hintId} className="muted small">
        {settings.staff.length > 0 ? t('inbox:managerHint') : t('inbox:noStaff')}
      </p>
    </>
  )
}

/** One manager, one note, every selected escalation acknowledged together (all or none). */
function BulkAcknowledgeDialog({
  ids,
  settings,
  onClose,
  onDone,
}: {
  ids: readonly string[]
  settings: Settings
  onClose: () => void
  onDone: () => void
}) {
  const { t } = useTranslation()
  const errorText = useErrorText()
  const call = useApiCall()
  const [manager, setManager] = useState(defaultManager(settings))
  const [note, setNote] = useState('')
  const [error, setError] = useState<ApiError>()
  const fieldError = (path: string) =>
    error?.details.some((d) => d.path === path) ? errorText(error) || t('errors.field.required') : undefined
  const hasFieldError = error?.details.some((d) => d.path) ?? false

  async function submit(event: FormEvent) {
    event.preventDefault()
    try {
      const result = await call('escalations:acknowledgeMany', { ids: [...ids], manager, note })
      if (result) onDone()
    } catch (caught) {
      setError(asApiError(caught))
    }
  }

  return (
    <Dialog title={t('inbox:bulk.title', { count: ids.length })} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} className="form-grid">
        <ManagerPicker settings={settings} value={manager} onChange={setManager} error={fieldError('manager')} />
        <Field label={t('escalations:form.note')} error={fieldError('note')}>
          {(p) => <textarea {...p} rows={3} value={note} onChange={(e) => setNote(e.target.value)} />}
        </Field>
        {error && !hasFieldError ? <p role="alert">{errorText(error)}</p> : null}
        <div className="actions">
          <button type="button" onClick={onClose}>
            {t('actions.cancel')}
          </button>
          <button type="submit" className="primary">
            {t('escalations:actions.acknowledge')}
          </button>
        </div>
      </form>
    </Dialog>
  )
}
