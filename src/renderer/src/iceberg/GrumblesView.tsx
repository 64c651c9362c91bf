import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { VirtualList } from '../components/VirtualList'
import { type ApiError } from '../../../shared/core/errors'
import { type GrumbleSummary } from '../../../shared/iceberg/contract'
import { type Locale, type Settings } from '../../../shared/schemas'
import { Dialog, DialogFooter } from '../components/Dialog'
import { Field } from '../components/Field'
import { categoryLabel } from '../../../shared/cases/categoryLabel'
import { formatDateTime } from '../format'
import { asApiError, useApiCall, useErrorText, useFieldErrors } from '../hooks'
import { usePages } from '../usePages'
import { href, navigate } from '../router'
import { IcebergSubnav } from './IcebergSubnav'
import { AttachmentsPanel } from '../attachments/AttachmentsPanel'
import { DeleteButton } from '../trash/DeleteButton'
import { EditGrumbleDialog } from '../trash/EditGrumbleDialog'

const rowHeight = 68

export function GrumblesView({ settings }: { settings: Settings }) {
  const { t, i18n } = useTranslation()
  const call = useApiCall()
  const grumbles = usePages('grumbles:page', {})
  const errorText = useErrorText()
  const [promoting, setPromoting] = useState<GrumbleSummary>()
  const [attaching, setAttaching] = useState<GrumbleSummary>()
  const [editing, setEditing] = useState<GrumbleSummary>()
  const [actionError, setActionError] = useState<ApiError>()

  async function promote(grumble: GrumbleSummary) {
    if (!grumble.customerId) return setPromoting(grumble)
    try {
      const created = await call('grumbles:promote', { id: grumble.id })
      navigate(href.case(created.id))
    } catch (caught) {
      setActionError(asApiError(caught))
    }
  }

  return (
    <section aria-labelledby="grumbles-title" className="cases-view">
      <h1 id="grumbles-title">{t('iceberg:grumble.listTitle')}</h1>
      <IcebergSubnav current="grumbles" />
      <p className="muted" aria-live="polite">
        {grumbles.total !== undefined ? t('iceberg:grumble.count', { count: grumbles.total }) : t('app.loading')}
        {grumbles.isLoadingHistory ? ` · ${t('today.stillLoading')}` : null} · {t('iceberg:grumble.shortcutHint')}
      </p>
      {grumbles.error ? <p role="alert">{errorText(grumbles.error)}</p> : null}
      {actionError ? <p role="alert">{errorText(actionError)}</p> : null}
      {grumbles.total === 0 ? <p>{t('iceberg:grumble.empty')}</p> : null}
      <VirtualList
        items={grumbles.rows}
        onRangeChange={grumbles.onRangeChange}
        rowHeight={rowHeight}
        label={t('iceberg:grumble.listTitle')}
        getKey={(g) => g.id}
        rowLabel={(g) => g.text}
        renderRow={(g) => (
          <div className="row-link grumble-row">
            <div className="grow">
              <div className="ellipsis">
                <strong>{g.text}</strong>
                {g.suggestion ? <span className="muted"> → {g.suggestion}</span> : null}
              </div>
              <div className="muted small ellipsis">
                {t('iceberg:grumble.heard', {
                  by: g.heardBy,
                  when: formatDateTime(g.heardAt, i18n.language as Locale),
                })}
                {g.customerName ? ` · ${g.customerName}` : ''}
                {g.category ? ` · ${categoryLabel(t, settings.categories, g.category)}` : ''}
                {g.department ? ` · ${g.department}` : ''}
              </div>
            </div>
            <button type="button" onClick={() => setAttaching(g)} aria-description={g.text}>
              {t('attachments:title')}
            </button>
            {g.caseId ? (
              <a href={href.case(g.caseId)}>{t('iceberg:grumble.case', { number: g.caseNumber ?? '' })}</a>
            ) : (
              <button type="button" onClick={() => void promote(g)}>
                {t('iceberg:grumble.promote')}
              </button>
            )}
            <button type="button" onClick={() => setEditing(g)}>
              {t('trash:edit')}
            </button>
            <DeleteButton method="grumbles:delete" id={g.id} what={g.text} />
          </div>
        )}
      />
      {attaching ? (
        <Dialog title={attaching.text} onClose={() => setAttaching(undefined)}>
          <AttachmentsPanel owner={{ kind: 'grumble', id: attaching.id }} />
          <div className="actions">
            <button type="button" onClick={() => setAttaching(undefined)}>
              {t('actions.close')}
            </button>
          </div>
        </Dialog>
      ) : null}
      {editing ? (
        <EditGrumbleDialog grumble={editing} settings={settings} onClose={() => setEditing(undefined)} />
      ) : null}
      {promoting ? (
        <PromoteDialog
          grumble={promoting}
          onClose={() => setPromoting(undefined)}
          onPromoted={(caseId) => {
            setPromoting(undefined)
            navigate(href.case(caseId))
          }}
        />
      ) : null}
    </section>
  )
}

/** A grumble heard from nobody in particular needs a customer before it can be a case. */
function PromoteDialog({
  grumble,
  onClose,
  onPromoted,
}: {
  grumble: GrumbleSummary
  onClose: () => void
  onPromoted: (caseId: string) => void
}) {
  const { t } = useTranslation()
  const call = useApiCall()
  const [customerName, setCustomerName] = useState('')
  const [error, setError] = useState<ApiError>()
  const errors = useFieldErrors(error)

  async function submit(event: FormEvent) {
    event.preventDefault()
    try {
      const created = await call('grumbles:promote', { id: grumble.id, customerName })
      onPromoted(created.id)
    } catch (caught) {
      setError(asApiError(caught))
    }
  }

  return (
    <Dialog title={t('iceberg:grumble.promoteTitle')} onClose={onClose}>
      <p>
        <strong>{grumble.text}</strong>
      </p>
      <p className="muted">{t('iceberg:grumble.promoteHint')}</p>
      <form onSubmit={(e) => void submit(e)} className="form-grid">
        <Field label={t('iceberg:grumble.promoteCustomer')} error={errors.customerName}>
          {(p) => <input {...p} value={customerName} onChange={(e) => setCustomerName(e.target.value)} autoFocus />}
        </Field>
        <DialogFooter
          error={error}
          fieldErrors={errors}
          submitLabel={t('iceberg:grumble.promote')}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  )
}
