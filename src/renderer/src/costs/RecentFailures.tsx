import { useTranslation } from 'react-i18next'
import { ScrollRegion } from '../components/ScrollRegion'
import { categoryLabel } from '../../../shared/cases/categoryLabel'
import { formatMoney } from '../../../shared/money/currency'
import { type Locale, type Settings } from '../../../shared/schemas'
import { formatDate } from '../format'
import { useApi } from '../hooks'
import { useCurrency } from '../money'

/** The last failures logged without a customer, with what each cost (up to ten). */
export function RecentFailures({ settings }: { settings: Settings }) {
  const { t, i18n } = useTranslation()
  const currency = useCurrency()
  const list = useApi('failures:list', {})
  const shown = (list.data ?? []).slice(0, 10)
  if (shown.length === 0) return null
  return (
    <ScrollRegion label={t('insights:failure.recent')}>
      <table className="figure-table">
        <caption>{t('insights:failure.recent')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('insights:failure.when')}</th>
            <th scope="col" className="text">
              {t('insights:failure.department')}
            </th>
            <th scope="col" className="text">
              {t('insights:failure.category')}
            </th>
            <th scope="col" className="text">
              {t('insights:failure.what')}
            </th>
            <th scope="col">{t('insights:column.cost')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((f) => (
            <tr key={f.id}>
              <td className="text">{formatDate(f.at, i18n.language as Locale)}</td>
              <td className="text">{f.department}</td>
              <td className="text wraps">{categoryLabel(t, settings.categories, f.category)}</td>
              <td className="text wraps">{f.what}</td>
              <td className="num">
                {f.cost === undefined ? t('report:none') : formatMoney(f.cost, i18n.language, currency)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  )
}
