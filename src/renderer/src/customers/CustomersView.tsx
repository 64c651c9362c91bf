import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type LoyaltySegment, loyaltySegments } from '../../../shared/iceberg/schemas'
import { VirtualList } from '../components/VirtualList'
import { useErrorText } from '../hooks'
import { usePages } from '../usePages'
import { href } from '../router'
import { MergeCustomersDialog } from '../trash/MergeCustomersDialog'
import { usePermissions } from '../team/useSession'

const rowHeight = 48

export function CustomersView() {
  const { t } = useTranslation()
  const [query, setQuery] = useState('')
  const [segment, setSegment] = useState<LoyaltySegment | ''>('')
  // A page at a time, as the list scrolls: a shop with 100k cases knows tens of thousands of customers.
  const customers = usePages('customers:page', { ...(query ? { query } : {}), ...(segment ? { segment } : {}) })
  const errorText = useErrorText()
  const [isMerging, setIsMerging] = useState(false)
  const [merged, setMerged] = useState('')
  const { mayTrash } = usePermissions()
  return (
    <section aria-labelledby="customers-title">
      <h1 id="customers-title">{t('customers.title')}</h1>
      {mayTrash ? (
        <div className="actions">
          <button type="button" onClick={() => setIsMerging(true)}>
            {t('trash:merge.button')}
          </button>
        </div>
      ) : null}
      {merged ? (
        <p className="notice" aria-live="polite">
          {merged}
        </p>
      ) : null}
      {isMerging ? (
        <MergeCustomersDialog
          onClose={() => setIsMerging(false)}
          onMerged={(text) => {
            setIsMerging(false)
            setMerged(text)
          }}
        />
      ) : null}
      <div className="filters" role="search">
        <label>
          {t('customers.search')}
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} />
        </label>
        <label>
          {t('iceberg:segment.label')}
          <select value={segment} onChange={(e) => setSegment(e.target.value as LoyaltySegment | '')}>
            <option value="">{t('iceberg:segment.any')}</option>
            {loyaltySegments.map((s) => (
              <option key={s} value={s}>
                {t(`iceberg:segment.${s}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="muted" aria-live="polite">
        {customers.total !== undefined ? t('customers.count', { count: customers.total }) : t('app.loading')}
      </p>
      {customers.error ? <p role="alert">{errorText(customers.error)}</p> : null}
      <VirtualList
        items={customers.rows}
        onRangeChange={customers.onRangeChange}
        rowHeight={rowHeight}
        label={t('customers.title')}
        getKey={(c) => c.id}
        renderRow={(c) => (
          <a href={href.customer(c.id)} className="row-link">
            <span className="grow ellipsis">
              <strong>{c.name}</strong> <span className="muted">{c.email ?? c.phone ?? ''}</span>
            </span>
            {c.segment ? (
              <span className={`badge segment-${c.segment}`}>{t(`iceberg:segment.${c.segment}`)}</span>
            ) : null}
            <span className="muted">{t('customers.caseCount', { count: c.caseCount })}</span>
            {c.openCaseCount > 0 ? (
              <span className="badge">{t('customers.openCount', { count: c.openCaseCount })}</span>
            ) : null}
          </a>
        )}
      />
    </section>
  )
}
