import { useVirtualizer } from '@tanstack/react-virtual'
import { useRef, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type CaseFilter } from '../../../shared/api'
import { type Locale, type Settings, caseStatuses } from '../../../shared/schemas'
import { categoryLabel } from '../components/labels'
import { formatDate } from '../format'
import { useApi, useErrorText } from '../hooks'
import { href } from '../router'

const rowHeight = 44

export function CasesView({ revision, settings }: { revision: number; settings: Settings }) {
  const { t, i18n } = useTranslation()
  const [filter, setFilter] = useState<CaseFilter>({})
  const cases = useApi('cases:list', filter, revision)
  const errorText = useErrorText()
  const scrollRef = useRef<HTMLDivElement>(null)
  const rows = cases.data ?? []
  // Virtualised: only the rows on screen are in the DOM, so 100,000 cases scroll smoothly.
  // eslint-disable-next-line react-hooks/incompatible-library -- the compiler skips this component; TanStack Virtual is still correct
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 10,
  })
  const set = (key: keyof CaseFilter, value: string) =>
    setFilter((current) => {
      const next = { ...current }
      if (value === '') delete next[key]
      else Object.assign(next, { [key]: value })
      return next
    })
  const owners = settings.staff.map((s) => s.name)

  return (
    <section aria-labelledby="cases-title" className="cases-view">
      <h1 id="cases-title">{t('cases:list.title')}</h1>
      <div className="filters" role="search">
        <label>
          {t('cases:list.search')}
          <input type="search" value={filter.query ?? ''} onChange={(e) => set('query', e.target.value)} />
        </label>
        <label>
          {t('cases:field.status')}
          <select value={filter.status ?? ''} onChange={(e) => set('status', e.target.value)}>
            <option value="">{t('cases:list.any')}</option>
            {caseStatuses.map((s) => (
              <option key={s} value={s}>
                {t(`cases:status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('cases:field.category')}
          <select value={filter.category ?? ''} onChange={(e) => set('category', e.target.value)}>
            <option value="">{t('cases:list.any')}</option>
            {settings.categories.map((c) => (
              <option key={c.id} value={c.id}>
                {categoryLabel(t, settings.categories, c.id)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('cases:field.department')}
          <select value={filter.department ?? ''} onChange={(e) => set('department', e.target.value)}>
            <option value="">{t('cases:list.any')}</option>
            {settings.departments.map((d) => (
              <option key={d} value={d}>
                {d}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('cases:field.owner')}
          <select value={filter.owner ?? ''} onChange={(e) => set('owner', e.target.value)}>
            <option value="">{t('cases:list.any')}</option>
            {owners.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
      </div>
      {cases.error ? <p role="alert">{errorText(cases.error)}</p> : null}
      <p className="muted" aria-live="polite">
        {cases.data ? t('cases:list.count', { count: rows.length }) : t('app.loading')}
      </p>
      <div ref={scrollRef} className="virtual-scroll">
        <ul
          aria-label={t('cases:list.title')}
          className="rows"
          style={{ height: virtualizer.getTotalSize(), position: 'relative' }}
        >
          {virtualizer.getVirtualItems().map((item) => {
            const c = rows[item.index]
            if (!c) return null
            return (
              <li
                key={c.id}
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  right: 0,
                  height: rowHeight,
                  transform: `translateY(${item.start}px)`,
                }}
              >
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
                </a>
              </li>
            )
          })}
        </ul>
      </div>
    </section>
  )
}
