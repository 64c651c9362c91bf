import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type SearchGroup, type SearchHit } from '../../../shared/api'
import { escalationTitle } from '../../../shared/escalations/escalationText'
import { promiseWhat } from '../../../shared/promises/promiseLabels'
import { type Locale, type Settings } from '../../../shared/schemas'
import { formatDate } from '../format'
import { useApi, useErrorText } from '../hooks'
import { href } from '../router'
import './search.css'

/** Typing pauses this long before a search is asked for: one search per word, not per key. */
const debounceMs = 250
const firstLimit = 5
const fullLimit = 50

/** The query as typed, once typing has paused. */
function useDebounced(value: string): string {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), debounceMs)
    return () => clearTimeout(timer)
  }, [value])
  return settled
}

function hitHref(hit: SearchHit): string {
  if (hit.kind === 'customer') return href.customer(hit.id)
  if (hit.kind === 'grumble') return hit.caseId ? href.case(hit.caseId) : href.grumbles
  if (hit.kind === 'escalation') return href.escalations
  return hit.caseId ? href.case(hit.caseId) : href.promises
}

function HitRow({ hit, settings }: { hit: SearchHit; settings: Settings }) {
  const { t, i18n } = useTranslation()
  const title =
    hit.kind === 'escalation' && hit.rule && hit.subject
      ? escalationTitle(t, settings.categories, {
          rule: hit.rule,
          subject: hit.subject,
          customerName: hit.customerName,
          caseNumber: hit.caseNumber,
        })
      : hit.kind === 'promise'
        ? promiseWhat(t, { what: hit.title, guaranteeId: hit.guaranteeId }, settings.promises.guarantees)
        : hit.title
  const context = [
    hit.caseNumber,
    hit.step ? t(`cases:step.${hit.step}`) : undefined,
    hit.by,
    hit.kind !== 'customer' ? hit.customerName : undefined,
    formatDate(hit.at, i18n.language as Locale),
  ].filter((part): part is string => Boolean(part))
  const showsExcerpt = hit.excerpt !== '' && hit.excerpt !== hit.title
  return (
    <li className="search-hit">
      <a href={hitHref(hit)}>{title || hit.excerpt}</a>
      <span className="muted"> · {context.join(' · ')}</span>
      {showsExcerpt ? <p className="search-excerpt">{hit.excerpt}</p> : null}
    </li>
  )
}

function Group({
  group,
  settings,
  onShowAll,
}: {
  group: SearchGroup
  settings: Settings
  onShowAll: (() => void) | undefined
}) {
  const { t } = useTranslation()
  const headingId = `search-group-${group.kind}`
  return (
    <section className="search-group" aria-labelledby={headingId}>
      <h3 id={headingId}>
        {t(`search:kind.${group.kind}`)} <span className="search-count">({group.total})</span>
      </h3>
      <ul>
        {group.hits.map((hit, i) => (
          <HitRow key={`${hit.id}-${i}`} hit={hit} settings={settings} />
        ))}
      </ul>
      {group.total > group.hits.length ? (
        onShowAll ? (
          <button type="button" className="link" onClick={onShowAll}>
            {t('search:showAll', { count: group.total, kind: t(`search:kind.${group.kind}`) })}
          </button>
        ) : (
          <p className="muted">{t('search:more', { shown: group.hits.length, total: group.total })}</p>
        )
      ) : null}
    </section>
  )
}

/**
 * "Search everywhere": what the Cases screen's search box finds in every kind of record, one
 * group per kind (cases, customers, grumbles, promises, escalations, step notes, timeline).
 */
export function SearchEverywhere({ query, settings }: { query: string; settings: Settings }) {
  const { t } = useTranslation()
  const errorText = useErrorText()
  const settled = useDebounced(query.trim())
  const [widened, setWidened] = useState('')
  const limit = widened === settled ? fullLimit : firstLimit
  const results = useApi('search:everywhere', { query: settled, limit }, { enabled: settled !== '' })
  if (query.trim() === '') return null
  const data = results.data?.query === settled ? results.data : undefined
  const groups = data?.groups.filter((g) => g.total > 0) ?? []
  const total = groups.reduce((sum, g) => sum + g.total, 0)
  return (
    <section className="search-everywhere" aria-labelledby="search-everywhere-title">
      <h2 id="search-everywhere-title" className="search-title">
        {t('search:title')}
      </h2>
      {results.error ? <p role="alert">{errorText(results.error)}</p> : null}
      <p className="muted" aria-live="polite">
        {!data
          ? t('search:searching')
          : total === 0
            ? t('search:nothing', { query: settled })
            : t('search:summary', { count: total, kinds: groups.length })}
      </p>
      {groups.map((group) => (
        <Group
          key={group.kind}
          group={group}
          settings={settings}
          onShowAll={limit < fullLimit ? () => setWidened(settled) : undefined}
        />
      ))}
    </section>
  )
}
