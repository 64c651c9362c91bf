import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type ApiError } from '../../../shared/core/errors'
import { type ContactDirection, type ContactKind, contactKinds } from '../../../shared/contacts/schemas'
import { type Case, type Locale, type Settings } from '../../../shared/schemas'
import { Choice } from '../components/Choice'
import { Dialog, DialogFooter } from '../components/Dialog'
import { Field } from '../components/Field'
import { asApiError, useApiCall, useFieldErrors } from '../hooks'
import { CoachedText } from './CoachedText'

/**
 * Log contact: how (call, e-mail, letter, visit, message), who got in touch, what was said, and
 * optionally the date by which the next contact is promised — that becomes a promise in the ledger.
 */
export function LogContactDialog({
  c,
  customerName,
  settings,
  onClose,
}: {
  c: Pick<Case, 'id' | 'number'>
  customerName: string
  settings: Settings
  onClose: () => void
}) {
  const { t, i18n } = useTranslation()
  const call = useApiCall()
  const [kind, setKind] = useState<ContactKind>('call')
  const [direction, setDirection] = useState<ContactDirection>('out')
  const [summary, setSummary] = useState('')
  const [nextDate, setNextDate] = useState('')
  const [nextWhat, setNextWhat] = useState(t('conversation:contact.nextWhatDefault', { name: customerName }))
  const [error, setError] = useState<ApiError>()
  const [isBusy, setIsBusy] = useState(false)
  const fieldErrors = useFieldErrors(error)

  async function submit(event: FormEvent) {
    event.preventDefault()
    setIsBusy(true)
    try {
      await call('contacts:log', {
        caseId: c.id,
        kind,
        direction,
        summary,
        ...(nextDate ? { nextContact: { due: { kind: 'date', date: nextDate }, what: nextWhat } } : {}),
      })
      onClose()
    } catch (caught) {
      setError(asApiError(caught))
    } finally {
      setIsBusy(false)
    }
  }

  return (
    <Dialog title={t('conversation:contact.title', { number: c.number })} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} className="form-grid">
        <Field label={t('conversation:contact.kind')} error={fieldErrors.kind}>
          {(p) => (
            <Choice
              {...p}
              value={kind}
              onChange={(v) => setKind(v as ContactKind)}
              options={contactKinds.map((k) => ({ value: k, label: t(`conversation:contact.kinds.${k}`) }))}
            />
          )}
        </Field>
        <fieldset>
          <legend>{t('conversation:contact.direction')}</legend>
          {(['out', 'in'] as const).map((d) => (
            <label key={d} className="checkbox">
              <input type="radio" name="direction" checked={direction === d} onChange={() => setDirection(d)} />
              {t(`conversation:contact.directions.${d}`)}
            </label>
          ))}
        </fieldset>
        <Field label={t('conversation:contact.summary')} error={fieldErrors.summary}>
          {(p) => <textarea {...p} rows={4} value={summary} onChange={(e) => setSummary(e.target.value)} autoFocus />}
        </Field>
        <CoachedText text={summary} locale={i18n.language as Locale} settings={settings} />
        <Field label={t('conversation:contact.nextDate')} error={fieldErrors['nextContact.due.date']}>
          {(p) => <input {...p} type="date" value={nextDate} onChange={(e) => setNextDate(e.target.value)} />}
        </Field>
        {nextDate ? (
          <Field label={t('conversation:contact.nextWhat')} error={fieldErrors['nextContact.what']}>
            {(p) => <input {...p} value={nextWhat} onChange={(e) => setNextWhat(e.target.value)} />}
          </Field>
        ) : null}
        <DialogFooter
          error={error}
          fieldErrors={fieldErrors}
          submitLabel={t('conversation:contact.save')}
          isBusy={isBusy}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  )
}
