import { type FormEvent, useId, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type ApiError } from '../../../shared/core/errors'
import { type Rubric, type RubricDimension, type RubricScores, rubricDimensions } from '../../../shared/rubrics/rubrics'
import { type Locale } from '../../../shared/schemas'
import { formatDateTime } from '../format'
import { asApiError, useApi, useApiCall, useErrorText } from '../hooks'

type Draft = Record<RubricDimension, string>
const emptyDraft: Draft = { timing: '', information: '', connection: '', differentiation: '' }
const levels = [1, 2, 3, 4, 5] as const

/**
 * A supervisor's score of how a closed case was handled: four dimensions, each level described
 * in the choice itself, and a comment. An open case shows why it cannot be scored yet.
 */
export function CaseRubric({ caseId, isClosed }: { caseId: string; isClosed: boolean }) {
  const { t } = useTranslation()
  const errorText = useErrorText()
  const rubric = useApi('rubrics:get', { caseId })
  const ids = useId()
  return (
    <section aria-labelledby={`${ids}-title`} className="card rubric">
      <h2 id={`${ids}-title`}>{t('rubrics:title')}</h2>
      {!isClosed ? (
        <p className="muted">{t('rubrics:onlyClosed')}</p>
      ) : rubric.error ? (
        <p role="alert">{errorText(rubric.error)}</p>
      ) : rubric.data === undefined ? (
        <p>{t('app.loading')}</p>
      ) : (
        // A new saved score starts the form afresh from it.
        <RubricForm key={rubric.data?.scoredAt ?? 'new'} caseId={caseId} saved={rubric.data} />
      )}
    </section>
  )
}

function RubricForm({ caseId, saved }: { caseId: string; saved: Rubric | null }) {
  const { t, i18n } = useTranslation()
  const errorText = useErrorText()
  const call = useApiCall()
  const [draft, setDraft] = useState<Draft>(() =>
    saved ? (Object.fromEntries(rubricDimensions.map((d) => [d, String(saved.scores[d])])) as Draft) : emptyDraft,
  )
  const [comment, setComment] = useState(saved?.comment ?? '')
  const [error, setError] = useState<ApiError>()
  const [isSaving, setIsSaving] = useState(false)
  const ids = useId()

  const isComplete = rubricDimensions.every((d) => draft[d] !== '')

  async function save(event: FormEvent) {
    event.preventDefault()
    if (!isComplete) return
    setIsSaving(true)
    try {
      const scores = Object.fromEntries(rubricDimensions.map((d) => [d, Number(draft[d])])) as RubricScores
      await call('rubrics:score', { caseId, scores, comment })
      setError(undefined)
    } catch (caught) {
      setError(asApiError(caught))
    } finally {
      setIsSaving(false)
    }
  }

  return (
    <form onSubmit={(e) => void save(e)}>
      <p className="muted small">{t('rubrics:intro')}</p>
      {rubricDimensions.map((d) => (
        <div className="field" key={d}>
          <label htmlFor={`${ids}-${d}`}>{t(`rubrics:dimension.${d}`)}</label>
          <p className="muted small" id={`${ids}-${d}-hint`}>
            {t(`rubrics:question.${d}`)}
          </p>
          <select
            id={`${ids}-${d}`}
            aria-describedby={`${ids}-${d}-hint`}
            value={draft[d]}
            required
            onChange={(e) => setDraft({ ...draft, [d]: e.target.value })}
          >
            <option value="">{t('rubrics:choose')}</option>
            {levels.map((level) => (
              <option key={level} value={String(level)}>
                {t('rubrics:levelOption', { level, text: t(`rubrics:level.${d}.${level}`) })}
              </option>
            ))}
          </select>
        </div>
      ))}
      <div className="field">
        <label htmlFor={`${ids}-comment`}>{t('rubrics:comment')}</label>
        <textarea id={`${ids}-comment`} rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
      </div>
      {error ? <p role="alert">{errorText(error)}</p> : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={!isComplete || isSaving}>
          {isSaving ? t('rubrics:saving') : t('rubrics:save')}
        </button>
      </div>
      {saved ? (
        <p className="muted small" role="status">
          {t('rubrics:scoredBy', {
            by: saved.scoredBy,
            when: formatDateTime(saved.scoredAt, i18n.language as Locale),
          })}
        </p>
      ) : null}
    </form>
  )
}
