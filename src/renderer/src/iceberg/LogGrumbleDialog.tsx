import { type FormEvent, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type ApiError } from '../../../shared/core/errors'
import { type Grumble } from '../../../shared/iceberg/schemas'
import { type Settings } from '../../../shared/schemas'
import { Dialog, DialogFooter } from '../components/Dialog'
import { SuggestingInput } from '../components/SuggestingInput'
import { Field } from '../components/Field'
import { asApiError, useApiCall, useFieldErrors } from '../hooks'
import { useOfferUndo } from '../components/UndoNotice'
import { GrumbleFields } from './GrumbleFields'
import './iceberg.css'

const rememberKey = 'makegood.lastGrumble'

type Remembered = { heardBy: string; category: string; department: string }

/** The optional fields of the last grumble, so the next one is one line of text. */
function recall(settings: Settings): Remembered {
  const fallback = {
    heardBy: settings.currentUser,
    category: '',
    department: settings.staff.find((s) => s.name === settings.currentUser)?.department ?? '',
  }
  try {
    const saved = JSON.parse(localStorage.getItem(rememberKey) ?? 'null') as Partial<Remembered> | null
    return { ...fallback, ...(saved ?? {}) }
  } catch {
    return fallback
  }
}

/** Opened by `Log grumble` or Alt+G: focus is in the text, Enter saves. */
export function LogGrumbleDialog({
  settings,
  onClose,
  onLogged,
}: {
  settings: Settings
  onClose: () => void
  onLogged: (grumble: Grumble) => void
}) {
  const { t } = useTranslation()
  const call = useApiCall()
  const offerUndo = useOfferUndo()
  const [error, setError] = useState<ApiError>()
  const [isSaving, setIsSaving] = useState(false)
  const [form, setForm] = useState(() => ({ text: '', customerName: '', suggestion: '', ...recall(settings) }))
  const errors = useFieldErrors(error)

  async function submit(event: FormEvent) {
    event.preventDefault()
    if (isSaving) return
    setIsSaving(true)
    try {
      const grumble = await call('grumbles:log', {
        text: form.text,
        heardBy: form.heardBy,
        suggestion: form.suggestion,
        ...(form.customerName.trim() ? { customerName: form.customerName } : {}),
        ...(form.category ? { category: form.category } : {}),
        ...(form.department ? { department: form.department } : {}),
      })
      const remembered: Remembered = { heardBy: form.heardBy, category: form.category, department: form.department }
      localStorage.setItem(rememberKey, JSON.stringify(remembered))
      // A grumble logged by mistake (wrong person, half a sentence) is taken back whole.
      offerUndo(t('iceberg:grumble.saved', { text: grumble.text }), () => call('grumbles:undoLog', { id: grumble.id }))
      onLogged(grumble)
    } catch (caught) {
      setError(asApiError(caught))
    } finally {
      setIsSaving(false)
    }
  }

  return (
    <Dialog title={t('iceberg:grumble.title')} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)} className="form-grid grumble-form">
        <GrumbleFields
          form={form}
          errors={errors}
          settings={settings}
          onChange={(key, value) => setForm((f) => ({ ...f, [key]: value }))}
          heardBy={
            <Field label={t('iceberg:grumble.heardBy')} error={errors.heardBy}>
              {(p) => (
                <SuggestingInput
                  {...p}
                  value={form.heardBy}
                  onChange={(e) => setForm((f) => ({ ...f, heardBy: e.target.value }))}
                  suggestions={settings.staff.map((s) => s.name)}
                />
              )}
            </Field>
          }
        />
        <p className="muted small wide">{t('iceberg:grumble.hint')}</p>
        <DialogFooter
          error={error}
          fieldErrors={errors}
          submitLabel={t('actions.save')}
          isBusy={isSaving}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  )
}
