import { useTranslation } from 'react-i18next'
import { type RubricAverage, rubricDimensions } from '../../../shared/rubrics/rubrics'
import { useApi, useErrorText } from '../hooks'
import './rubrics.css'

/** Today → Team: rubric averages per person (case owner) and per department. */
export function TeamRubrics() {
  const { t, i18n } = useTranslation()
  const errorText = useErrorText()
  const averages = useApi('rubrics:averages', {})
  const number = new Intl.NumberFormat(i18n.language, { minimumFractionDigits: 1, maximumFractionDigits: 2 })
  if (averages.error) return <p role="alert">{errorText(averages.error)}</p>
  if (!averages.data) return null

  const table = (id: string, caption: string, nameHeader: string, rows: RubricAverage[]) => (
    <table aria-labelledby={id} className="team-table team-rubrics">
      <caption id={id}>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{nameHeader}</th>
          <th scope="col">{t('rubrics:team.count')}</th>
          {rubricDimensions.map((d) => (
            <th scope="col" key={d}>
              {t(`rubrics:dimension.${d}`)}
            </th>
          ))}
          <th scope="col">{t('rubrics:overall')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.name}>
            <th scope="row">{row.name || t('rubrics:team.nobody')}</th>
            <td className="num">{row.count}</td>
            {rubricDimensions.map((d) => (
              <td className="num" key={d}>
                {number.format(row[d])}
              </td>
            ))}
            <td className="num">
              <strong>{number.format(row.overall)}</strong>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )

  return (
    <section aria-labelledby="team-rubrics-title">
      <h2 id="team-rubrics-title">{t('rubrics:team.title')}</h2>
      {averages.data.scored === 0 ? (
        <p className="muted">{t('rubrics:team.none')}</p>
      ) : (
        <>
          {table('team-rubrics-people', t('rubrics:team.people'), t('rubrics:team.person'), averages.data.people)}
          {table(
            'team-rubrics-departments',
            t('rubrics:team.departments'),
            t('rubrics:team.department'),
            averages.data.departments,
          )}
        </>
      )}
    </section>
  )
}
