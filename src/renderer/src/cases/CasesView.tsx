import { useEffect, useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { VirtualList } from '../components/VirtualList'
import { type CaseFilter } from '../../../shared/api'
import { type Locale, type Settings, caseStatuses } from '../../../shared/schemas'
import { Choice, asOptions } from '../components/Choice'
import { categoryLabel } from '../../../shared/cases/categoryLabel'
import { categoryOptions } from '../components/labels'
import { formatDate } from '../format'
import { useErrorText } from '../hooks'
import { href } from '../router'
import { usePages } from '../usePages'
import { caseSearchId, takePendingSearchFocus } from './searchFocus'
import { SearchEverywhere } from '../search/SearchEverywhere'
import { ViewersMarker } from '../live/live'

const rowHeight = 44

export function CasesView({ settings }: { settings: Settings }) {
  const { t, i18n } = useTranslation()
  const [filter, setFilter] = useState<CaseFilter>({})
  const cases = usePages('cases:page', filter)
  const errorText = useErrorText()
  const searchRef = useRef<HTMLInputElement>(null)
  useEffect(() => {
    if (takePendingSearchFocus()) searchRef.current?.focus()
  }, [])
  const set = (key: keyof CaseFilter, value: string) =>
    setFilter((current) => {
      const next = { ...current }
      if (value === '') delete next[key]
      else Object.assign(next, { [key]: value })
      return next
    })

  return (
    <section aria-labelledby="cases-title" className="cases-view">
      <h1 id="cases-title">{t('cases:list.title')}</h1>
      <div className="filters" role="search">
        <label>
          {t('cases:list.search')}
          <input
            ref={searchRef}
            id={caseSearchId}
            type="search"
            aria-keyshortcuts="/"
            value={filter.query ?? ''}
            onChange={(e) => set('query', e.target.value)}
          />
        </label>
        <label>
          {t('cases:field.status')}
          <Choice
            value={filter.status ?? ''}
            onChange={(v) => set('status', v)}
            options={caseStatuses.map((s) => ({ value: s, label: t(`cases:status.${s}`) }))}
            emptyLabel={t('cases:list.any')}
          />
        </label>
        <label>
          {t('cases:field.category')}
          <Choice
            value={filter.category ?? ''}
            onChange={(v) => set('category', v)}
            options={categoryOptions(t, settings.categories, { isArchivedIncluded: true })}
            emptyLabel={t('cases:list.any')}
          />
        </label>
        <label>
          {t('cases:field.department')}
          <Choice
            value={filter.department ?? ''}
            onChange={(v) => set('department', v)}
            options={asOptions(settings.departments)}
            emptyLabel={t('cases:list.any')}
          />
        </label>
        <label>
          {t('cases:field.owner')}
          <Choice
            value={filter.owner ?? ''}
            onChange={(v) => set('owner', v)}
            options={asOptions(settings.staff.map((s) => s.name))}
            emptyLabel={t('cases:list.any')}
          />
        </label>
      </div>
      <SearchEverywhere query={filter.query ?? ''} settings={settings} />
      {cases.error ? <p role="alert">{errorText(cases.error)}</p> : null}
      <p className="muted" aria-live="polite">
        {cases.total !== undefined ? t('cases:list.count', { count: cases.total }) : t('app.loading')}
        {cases.isLoadingHistory ? ` · ${t('today.stillLoading')}` : null}
      </p>
      <VirtualList
        items={cases.rows}
        onRangeChange={cases.onRangeChange}
        rowHeight={rowHeight}
        label={t('cases:list.title')}
        getKey={(c) => c.id}
        renderRow={(c) => (
          <a href={href.case(c.id)} className="row-link case-row">
            <span className="mono">{c.number}</span>
            <span className="muted">{formatDate(c.receivedAt, i18n.language as Locale)}</span>
            <span className="grow ellipsis">
              <strong>{c.customerName}</strong> — {c.summary}
            </span>
            <span className="muted ellipsis" title={categoryLabel(t, settings.categories, c.category)}>
              {categoryLabel(t, settings.categories, c.category)}
            </span>
            <span className={`status status-${c.status}`}>{t(`cases:status.${c.status}`)}</span>
            <ViewersMarker caseId={c.id} />
          </a>
        )}
      />
    </section>
  )
}
