import { useTranslation } from 'react-i18next'
import { href } from '../router'

/** Links between the iceberg overview, grumbles and silent churn (not a second nav landmark). */
export function IcebergSubnav({ current }: { current: 'iceberg' | 'grumbles' | 'signals' }) {
  const { t } = useTranslation()
  const items = [
    { key: 'iceberg', to: href.iceberg, label: t('iceberg:nav.overview') },
    { key: 'grumbles', to: href.grumbles, label: t('iceberg:nav.grumbles') },
    { key: 'signals', to: href.signals, label: t('iceberg:nav.signals') },
  ] as const
  return (
    <ul className="subnav" aria-label={t('iceberg:nav.sub')}>
      {items.map((item) => (
        <li key={item.key}>
          <a href={item.to} aria-current={item.key === current ? 'page' : undefined}>
            {item.label}
          </a>
        </li>
      ))}
    </ul>
  )
}
