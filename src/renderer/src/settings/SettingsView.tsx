import { type FormEvent, useEffect, useState } from 'react'
import { TrashSection } from '../trash/TrashSection'
import { useTranslation } from 'react-i18next'
import { type ApiError } from '../../../shared/core/errors'
import { type Settings, locales } from '../../../shared/schemas'
import { Choice, asOptions } from '../components/Choice'
import { Field } from '../components/Field'
import { Currency, currencyOf } from '../../../shared/money/currency'
import { categoryLabel } from '../../../shared/cases/categoryLabel'
import { asApiError, useApiCall, useErrorText } from '../hooks'
import { BackupsSection } from '../storage/BackupsSection'
import { ImportComplaintsSection } from '../imports/ImportComplaintsSection'
import { PromiseSettingsFields } from '../promises/PromiseSettingsFields'
import { ConversationSettingsFields } from '../contacts/ConversationSettingsFields'
import { usePermissions, useSession } from '../team/useSession'
import { TeamDatabaseSection } from '../teamDatabase/TeamDatabaseSection'

/** The codes the engine knows, offered as suggestions while typing. */
const currencyCodes = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('currency') : []

const languageNames: Record<(typeof locales)[number], string> = {
  en: 'English',
  'zh-CN': '简体中文',
  'zh-TW': '繁體中文',
  hu: 'Magyar',
}

export function SettingsView({
  settings,
  section,
}: {
  settings: Settings
  /** `#/settings/backups` opens Settings scrolled to that part. */
  section?: string | undefined
}) {
  const { t } = useTranslation()
  const call = useApiCall()
  useEffect(() => {
    if (section) document.getElementById(`${section}-title`)?.scrollIntoView({ block: 'start' })
  }, [section])
  const errorText = useErrorText()
  // Only what the user changed is held here; the rest always shows the stored settings, so a
  // save can never write back stale values loaded before another change.
  const [edits, setEdits] = useState<Partial<Settings>>({})
  const draft: Settings = { ...settings, ...edits }
  const [error, setError] = useState<ApiError>()
  const [isSaved, setIsSaved] = useState(false)
  const [newDepartment, setNewDepartment] = useState('')
  const [newStaff, setNewStaff] = useState({ name: '', department: '' })
  const [newCategory, setNewCategory] = useState('')
  const session = useSession()
  const { mayEditSettings } = usePermissions()
  const [currencyText, setCurrencyText] = useState(() => currencyOf(settings, navigator.language))
  const currencyError = !Currency.safeParse(currencyText).success

  const change = (next: Partial<Settings>) => {
    setIsSaved(false)
    setEdits((current) => ({ ...current, ...next }))
  }

  async function save(next: Partial<Settings>) {
    try {
      await call('settings:update', next)
      setEdits({})
      setError(undefined)
      setIsSaved(true)
    } catch (caught) {
      setIsSaved(false)
      setError(asApiError(caught))
    }
  }

  async function saveLanguage(language: Settings['language']) {
    try {
      await call('settings:update', { language })
    } catch (caught) {
      setError(asApiError(caught))
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault()
    if (currencyError) return
    void save(edits)
  }

  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">{t('settings.title')}</h1>
      {/* Outside the form an agent cannot change: on a team database the language is each person's own. */}
      <div className="card form-grid settings-form">
        <Field label={t('settings.language')}>
          {(p) => (
            <Choice
              {...p}
              value={draft.language}
              // The language applies at once, on its own: no restart, no separate Save.
              onChange={(language) => void saveLanguage(language as Settings['language'])}
              options={[
                { value: 'auto', label: t('settings.languageAuto') },
                ...locales.map((l) => ({ value: l, label: languageNames[l] })),
              ]}
            />
          )}
        </Field>
        {session?.isTeam ? <p className="muted small">{t('team:session.ownLanguage')}</p> : null}
      </div>
      {session && !mayEditSettings ? <p className="muted">{t('team:session.readOnlySettings')}</p> : null}
      <form onSubmit={submit} className="settings-form">
        {/* An agent sees the settings; the team database refuses their changes, so nothing is offered. */}
        <fieldset className="plain" disabled={!mayEditSettings}>
          <div className="card form-grid">
            <Field label={t('settings.whoAmI')}>
              {(p) =>
                // Who you are is the login you connected with: shown, never chosen.
                session?.isTeam ? (
                  <input {...p} value={session.name} readOnly />
                ) : (
                  <Choice
                    {...p}
                    value={draft.currentUser}
                    onChange={(currentUser) => change({ currentUser })}
                    options={asOptions(draft.staff.map((s) => s.name))}
                    emptyLabel={t('cases:field.none')}
                  />
                )
              }
            </Field>
            {session?.isTeam ? <p className="muted small">{t('team:session.fixed')}</p> : null}
            <Field label={t('settings.businessName')}>
              {(p) => (
                <input {...p} value={draft.businessName} onChange={(e) => change({ businessName: e.target.value })} />
              )}
            </Field>
            <Field
              label={t('insights:currency')}
              error={currencyError ? t('insights:badCurrency', { code: currencyText }) : undefined}
            >
              {(p) => (
                <>
                  <input
                    {...p}
                    list="currency-codes"
                    maxLength={3}
                    autoComplete="off"
                    value={currencyText}
                    onChange={(e) => {
                      const code = e.target.value.toUpperCase()
                      setCurrencyText(code)
                      if (Currency.safeParse(code).success) change({ currency: code })
                    }}
                  />
                  <datalist id="currency-codes">
                    {currencyCodes.map((code) => (
                      <option key={code} value={code} />
                    ))}
                  </datalist>
                  <p className="muted small">{t('insights:currencyHint')}</p>
                </>
              )}
            </Field>
          </div>

          <fieldset className="card">
            <legend>{t('settings.departments')}</legend>
            <ul className="compact">
              {draft.departments.map((d) => (
                <li key={d}>
                  {d}{' '}
                  <button
                    type="button"
                    className="link"
                    aria-label={t('settings.removeNamed', { name: d })}
                    onClick={() => change({ departments: draft.departments.filter((x) => x !== d) })}
                  >
                    {t('settings.remove')}
                  </button>
                </li>
              ))}
            </ul>
            <div className="inline">
              <Field label={t('settings.newDepartment')}>
                {(p) => <input {...p} value={newDepartment} onChange={(e) => setNewDepartment(e.target.value)} />}
              </Field>
              <button
                type="button"
                onClick={() => {
                  if (!newDepartment.trim()) return
                  change({ departments: [...draft.departments, newDepartment.trim()] })
                  setNewDepartment('')
                }}
              >
                {t('settings.addDepartment')}
              </button>
            </div>
          </fieldset>

          <fieldset className="card">
            <legend>{t('settings.staff')}</legend>
            <ul className="compact">
              {draft.staff.map((s) => (
                <li key={s.name}>
                  {s.name} <span className="muted">{s.department}</span>{' '}
                  <button
                    type="button"
                    className="link"
                    aria-label={t('settings.removeNamed', { name: s.name })}
                    onClick={() => change({ staff: draft.staff.filter((x) => x.name !== s.name) })}
                  >
                    {t('settings.remove')}
                  </button>
                </li>
              ))}
            </ul>
            <div className="inline">
              <Field label={t('settings.staffName')}>
                {(p) => (
                  <input
                    {...p}
                    value={newStaff.name}
                    onChange={(e) => setNewStaff((s) => ({ ...s, name: e.target.value }))}
                  />
                )}
              </Field>
              <Field label={t('settings.staffDepartment')}>
                {(p) => (
                  <Choice
                    {...p}
                    value={newStaff.department}
                    onChange={(department) => setNewStaff((s) => ({ ...s, department }))}
                    options={asOptions(draft.departments)}
                    emptyLabel={t('cases:field.none')}
                  />
                )}
              </Field>
              <button
                type="button"
                onClick={() => {
                  if (!newStaff.name.trim()) return
                  change({ staff: [...draft.staff, { name: newStaff.name.trim(), department: newStaff.department }] })
                  setNewStaff({ name: '', department: '' })
                }}
              >
                {t('settings.addStaff')}
              </button>
            </div>
          </fieldset>

          <fieldset className="card">
            <legend>{t('settings.categories')}</legend>
            <p className="muted small">{t('settings.categoriesHint')}</p>
            <ul className="compact">
              {draft.categories.map((c) => (
                <li key={c.id}>
                  <label className="checkbox">
                    <input
                      type="checkbox"
                      checked={!c.isArchived}
                      onChange={(e) =>
                        change({
                          categories: draft.categories.map((x) =>
                            x.id === c.id ? { ...x, isArchived: !e.target.checked } : x,
                          ),
                        })
                      }
                    />
                    {categoryLabel(t, draft.categories, c.id)}
                  </label>
                </li>
              ))}
            </ul>
            <div className="inline">
              <Field label={t('settings.newCategory')}>
                {(p) => <input {...p} value={newCategory} onChange={(e) => setNewCategory(e.target.value)} />}
              </Field>
              <button
                type="button"
                onClick={() => {
                  const label = newCategory.trim()
                  if (!label) return
                  change({
                    categories: [
                      ...draft.categories,
                      { id: `custom-${crypto.randomUUID()}`, label, isArchived: false },
                    ],
                  })
                  setNewCategory('')
                }}
              >
                {t('settings.addCategory')}
              </button>
            </div>
          </fieldset>

          <PromiseSettingsFields value={draft.promises} onChange={(promises) => change({ promises })} />
          <ConversationSettingsFields
            value={draft.conversation}
            onChange={(conversation) => change({ conversation })}
          />

          {error ? <p role="alert">{errorText(error)}</p> : null}
          <div className="actions">
            <button type="submit" className="primary">
              {t('actions.save')}
            </button>
            {isSaved ? <span role="status">{t('actions.saved')}</span> : null}
          </div>
        </fieldset>
      </form>
      <TeamDatabaseSection />
      <BackupsSection settings={draft} />
      <ImportComplaintsSection settings={settings} />
      <TrashSection />
    </section>
  )
}
