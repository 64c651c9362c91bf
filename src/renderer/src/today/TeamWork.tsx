import { useTranslation } from 'react-i18next'
import { type Locale } from '../../../shared/schemas'
import { NewEscalations } from '../escalations/TodayEscalations'
import { TodayPromises } from '../promises/TodayPromises'
import { formatAge } from '../format'
import { useApi, useErrorText } from '../hooks'
import { askAgainWhileIncomplete } from '../query'
import { href } from '../router'
import { TeamRubrics } from '../rubrics/TeamRubrics'

/** Today → Team: per person, open cases, overdue promises and the case untouched longest. */
export function TeamWork({ now }: { now: Date }) {
  const { t, i18n } = useTranslation()
  const errorText = useErrorText()
  const team = useApi('today:team', {}, { refetchInterval: askAgainWhileIncomplete })
  const locale = i18n.language as Locale
  if (team.error) return <p role="alert">{errorText(team.error)}</p>
  if (!team.data) return <p>{t('app.loading')}</p>
  return (
    <>
      <section aria-labelledby="team-title">
        <h2 id="team-title">{t('today.teamTitle')}</h2>
        <table aria-labelledby="team-title" className="team-table">
          <thead>
            <tr>
              <th scope="col">{t('today.person')}</th>
              <th scope="col">{t('today.openCases')}</th>
              <th scope="col">{t('today.overduePromises')}</th>
              <th scope="col">{t('today.oldestUntouched')}</th>
            </tr>
          </thead>
          <tbody>
            {team.data.members.map((m) => (
              <tr key={m.person}>
                <th scope="row">{m.person}</th>
                <td className="num">{m.openCases}</td>
                <td className={`num${m.overduePromises > 0 ? ' warning-text' : ''}`}>{m.overduePromises}</td>
                <td>
                  {m.oldestUntouched ? (
                    <a href={href.case(m.oldestUntouched.id)}>
                      {m.oldestUntouched.number} · {m.oldestUntouched.summary}{' '}
                      <span className="muted">
                        ({t('today.touched', { age: formatAge(m.oldestUntouched.updatedAt, now, locale) })})
                      </span>
                    </a>
                  ) : (
                    '—'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted small">
          {t('today.unowned', { count: team.data.unowned })} ·{' '}
          {t('today.unacknowledged', { count: team.data.unacknowledgedEscalations })}
        </p>
      </section>
      <TeamRubrics />
      {/* Everyone's promises by due date: the supervisor's view of the ledger. */}
      <TodayPromises />
      <NewEscalations />
    </>
  )
}
