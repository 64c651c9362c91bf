import { useTranslation } from 'react-i18next'
import { type Case, type Locale } from '../../../shared/schemas'
import { formatDateTime } from '../format'

const languageNames: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文', 'zh-TW': '繁體中文', hu: 'Magyar' }

/** The replies sent on a case, as sent; one sent despite a form-letter warning says so. */
export function RepliesSent({ c }: { c: Pick<Case, 'replies'> }) {
  const { t, i18n } = useTranslation()
  const replies = c.replies ?? []
  if (replies.length === 0) return null
  return (
    <section aria-labelledby="replies-title" className="card">
      <h2 id="replies-title">{t('conversation:reply.sent')}</h2>
      <ol className="compact">
        {[...replies].reverse().map((r) => (
          <li key={r.id}>
            <details>
              <summary>
                {t('conversation:reply.sentLine', {
                  when: formatDateTime(r.at, i18n.language as Locale),
                  via: t(`conversation:reply.vias.${r.via}`),
                  language: languageNames[r.locale],
                })}
                {r.check.isFormLetter && r.check.nearestCaseNumber ? (
                  <span className="badge">
                    {' '}
                    {t('conversation:reply.warned', {
                      share: `${Math.round(r.check.share * 100)}%`,
                      number: r.check.nearestCaseNumber,
                    })}
                  </span>
                ) : null}
              </summary>
              <p className="prewrap" lang={r.locale}>
                {r.body}
              </p>
            </details>
          </li>
        ))}
      </ol>
    </section>
  )
}
