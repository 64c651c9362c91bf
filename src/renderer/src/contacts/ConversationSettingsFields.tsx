import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type ConversationSettings } from '../../../shared/contacts/settings'
import { type CoachLocale } from '../../../shared/replies/coach'
import { type Locale, locales } from '../../../shared/schemas'
import { Choice } from '../components/Choice'
import { Field } from '../components/Field'

const languageNames: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文', 'zh-TW': '繁體中文', hu: 'Magyar' }

/** A share 0–1 shown and typed as a whole percentage. */
const toPercent = (share: number) => String(Math.round(share * 100))
const fromPercent = (text: string, fallback: number) => {
  const n = Number(text)
  return text.trim() !== '' && Number.isFinite(n) ? Math.min(1, Math.max(0.05, n / 100)) : fallback
}

/**
 * Settings → Talking with the customer: when a case is "waiting for news", the form-letter
 * check's thresholds, and the response coach's phrases per language. Edits the Settings draft;
 * the form's Save stores it with everything else.
 */
export function ConversationSettingsFields({
  value,
  onChange,
}: {
  value: ConversationSettings
  onChange: (next: ConversationSettings) => void
}) {
  const { t, i18n } = useTranslation()
  const [language, setLanguage] = useState<CoachLocale>(i18n.language as CoachLocale)
  const phrases = value.coachPhrases[language]
  const setPhrases = (next: typeof phrases) =>
    onChange({ ...value, coachPhrases: { ...value.coachPhrases, [language]: next } })

  return (
    <fieldset className="card form-grid">
      <legend id="conversation-title">{t('conversation:settings.title')}</legend>
      <Field label={t('conversation:settings.silentDays')}>
        {(p) => (
          <input
            {...p}
            type="number"
            min={1}
            max={60}
            value={value.silentAfterBusinessDays}
            onChange={(e) =>
              onChange({ ...value, silentAfterBusinessDays: Math.max(1, Math.round(Number(e.target.value) || 1)) })
            }
          />
        )}
      </Field>
      <Field label={t('conversation:settings.formLetterShare')}>
        {(p) => (
          <input
            {...p}
            type="number"
            min={5}
            max={100}
            value={toPercent(value.formLetterShare)}
            onChange={(e) =>
              onChange({ ...value, formLetterShare: fromPercent(e.target.value, value.formLetterShare) })
            }
          />
        )}
      </Field>
      <Field label={t('conversation:settings.specificsShare')}>
        {(p) => (
          <input
            {...p}
            type="number"
            min={5}
            max={100}
            value={toPercent(value.specificsShare)}
            onChange={(e) => onChange({ ...value, specificsShare: fromPercent(e.target.value, value.specificsShare) })}
          />
        )}
      </Field>
      <h3>{t('conversation:settings.coachPhrases')}</h3>
      <Field label={t('conversation:settings.coachLanguage')}>
        {(p) => (
          <Choice
            {...p}
            value={language}
            onChange={(v) => setLanguage(v as CoachLocale)}
            options={locales.map((l) => ({ value: l, label: languageNames[l] }))}
          />
        )}
      </Field>
      <ul className="compact">
        {phrases.map((phrase, index) => (
          <li key={index} className="inline">
            {(['phrase', 'better'] as const).map((part) => (
              <Field key={part} label={t(`conversation:settings.${part}`)}>
                {(p) => (
                  <input
                    {...p}
                    lang={language}
                    value={phrase[part]}
                    onChange={(e) =>
                      setPhrases(phrases.map((x, i) => (i === index ? { ...x, [part]: e.target.value } : x)))
                    }
                  />
                )}
              </Field>
            ))}
            <button
              type="button"
              aria-label={t('conversation:settings.removePhrase', { phrase: phrase.phrase })}
              onClick={() => setPhrases(phrases.filter((_, i) => i !== index))}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <div>
        <button type="button" onClick={() => setPhrases([...phrases, { phrase: '', better: '' }])}>
          {t('conversation:settings.addPhrase')}
        </button>
      </div>
    </fieldset>
  )
}
