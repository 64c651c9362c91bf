import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type ApiError } from '../../../shared/core/errors'
import { type Case, type Settings } from '../../../shared/schemas'
import { Dialog, DialogFooter } from '../components/Dialog'
import { Field } from '../components/Field'
import { asApiError, useApiCall, useFieldErrors } from '../hooks'
import { useSession } from '../team/useSession'

/** Hands the case to another person, with a note for them; the timeline keeps who, to whom and why. */
export function HandOffDialog({ c, settings, onClose }: { c: Case; settings: Settings; onClose: () => void }) {
  const { t } = useTranslation()
  const call = useApiCall()
  const [owner, setOwner] = useState('')
  const [note, setNote] = useState('')
  const [error, setError] = useState<ApiError>()
  const [isSaving, setIsSaving] = useState(false)
  const errors = useFieldErrors(error)
  // On a team database "ask a superior" has a name: the nearest supervisor or owner above me.
  const superior = useSession()?.superiors.find((name) => name !== c.owner)

  async function submit(event: FormEvent) {
    event.preventDefault()
    setIsSaving(true)
    try {
      await call('cases:assign', { id: c.id, owner, note })
      onClose()
    } catch (caught) {
      setError(asApiError(caught))
    } finally {
      setIsSaving(false)
    }
  }

  return (
    <Dialog title={t('cases:handOff.title', { number: c.number })} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} className="form-grid">
        <p>{c.owner ? t('cases:handOff.now', { owner: c.owner }) : t('cases:handOff.nobody')}</p>
        <Field label={t('cases:handOff.to')} error={errors.owner}>
          {(p) => (
            <>
              {/* Staff are offered, but anyone may be named: a superior need not be on the staff list. */}
              <input {...p} list="hand-off-staff" value={owner} onChange={(e) => setOwner(e.target.value)} autoFocus />
              <datalist id="hand-off-staff">
                {settings.staff
                  .filter((s) => s.name !== c.owner)
                  .map((s) => (
                    <option key={s.name} value={s.name}>
                      {s.department}
                    </option>
                  ))}
              </datalist>
            </>
          )}
        </Field>
        {superior ? (
          <button type="button" onClick={() => setOwner(superior)}>
            {t('cases:handOff.toSuperior', { name: superior })}
          </button>
        ) : null}
        <Field label={t('cases:handOff.note')} error={errors.note}>
          {(p) => <textarea {...p} rows={3} value={note} onChange={(e) => setNote(e.target.value)} />}
        </Field>
        <DialogFooter
          error={error}
          fieldErrors={errors}
          submitLabel={t('cases:handOff.confirm')}
          isBusy={isSaving}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  )
}
