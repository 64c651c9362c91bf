import { useTranslation } from 'react-i18next'
import { type CoachLocale, coachHits, coachSegments } from '../../../shared/replies/coach'
import { type Settings } from '../../../shared/schemas'
import { useApi } from '../hooks'
import './contacts.css'

/**
 * The response coach under a text being written: the text again with every listed phrase
 * underlined, and each one's better alternative. It advises; nothing is blocked. Shows nothing
 * while the text holds none of the phrases.
 */
export function CoachedText({ text, locale, settings }: { text: string; locale: CoachLocale; settings?: Settings }) {
  const { t } = useTranslation()
  const loaded = useApi('settings:get', {}, { enabled: settings === undefined })
  const phrases = (settings ?? loaded.data)?.conversation.coachPhrases[locale] ?? []
  const hits = coachHits(text, phrases)
  if (hits.length === 0) return null
  return (
    <section className="coach" aria-label={t('conversation:coach.title')}>
      <p className="coach-text prewrap">
        {coachSegments(text, hits).map((segment, index) =>
          segment.hit ? (
            <mark key={index} className="coach-mark" title={segment.hit.better}>
              {segment.text}
            </mark>
          ) : (
            <span key={index}>{segment.text}</span>
          ),
        )}
      </p>
      <ul className="coach-advice">
        {hits.map((hit, index) => (
          <li key={index}>
            {t('conversation:coach.instead', { phrase: text.slice(hit.start, hit.end), better: hit.better })}
          </li>
        ))}
      </ul>
      <p className="muted small">{t('conversation:coach.hint')}</p>
    </section>
  )
}
