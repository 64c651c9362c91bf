import { type KeyboardEvent, useRef } from 'react'
import { useTranslation } from 'react-i18next'

export type TodayTab = 'mine' | 'team'
const tabs: readonly TodayTab[] = ['mine', 'team']

/** The two views of Today, as ARIA tabs: arrow keys move between them, Tab goes into the panel. */
export function TodayTabs({ selected, onSelect }: { selected: TodayTab; onSelect: (tab: TodayTab) => void }) {
  const { t } = useTranslation()
  const refs = useRef<Record<string, HTMLButtonElement | null>>({})
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return
    event.preventDefault()
    const next = tabs[(tabs.indexOf(selected) + (event.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length]
    if (!next) return
    onSelect(next)
    refs.current[next]?.focus()
  }
  return (
    <div role="tablist" aria-label={t('today.views')} className="tabs" onKeyDown={onKeyDown}>
      {tabs.map((tab) => (
        <button
          key={tab}
          ref={(node) => {
            refs.current[tab] = node
          }}
          type="button"
          role="tab"
          id={`today-tab-${tab}`}
          aria-selected={tab === selected}
          aria-controls={`today-panel-${tab}`}
          tabIndex={tab === selected ? 0 : -1}
          onClick={() => onSelect(tab)}
        >
          {t(`today.${tab}`)}
        </button>
      ))}
    </div>
  )
}
