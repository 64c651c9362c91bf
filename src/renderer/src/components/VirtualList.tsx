import { useVirtualizer } from '@tanstack/react-virtual'
import { type CSSProperties, type ReactNode, useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'

type Props<T> = {
  /** A hole (undefined) is a row not fetched yet: it says it is loading until it arrives. */
  items: readonly (T | undefined)[]
  /** Every row has this height in pixels: fixed rows keep scrolling through 100k items cheap. */
  rowHeight: number
  /** The list's accessible name. */
  label: string
  getKey: (item: T) => string
  renderRow: (item: T) => ReactNode
  /** A row's own accessible name, where its text alone would not do. */
  rowLabel?: (item: T) => string
  className?: string
  style?: CSSProperties
  /** Told which rows are on screen, so a paged source can fetch them. */
  onRangeChange?: (first: number, last: number) => void
}

/** A list of which only the rows on screen are in the DOM (TanStack Virtual). */
export function VirtualList<T>({
  items,
  rowHeight,
  label,
  getKey,
  renderRow,
  rowLabel,
  className,
  style,
  onRangeChange,
}: Props<T>) {
  const { t } = useTranslation()
  const scrollRef = useRef<HTMLDivElement>(null)
  // eslint-disable-next-line react-hooks/incompatible-library -- the compiler skips this component; TanStack Virtual is still correct
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 10,
  })
  const visible = virtualizer.getVirtualItems()
  const first = visible[0]?.index ?? 0
  const last = visible.at(-1)?.index ?? -1
  useEffect(() => {
    if (last >= first) onRangeChange?.(first, last)
  }, [first, last, onRangeChange])
  return (
    <div ref={scrollRef} className={className ?? 'virtual-scroll'} style={style}>
      <ul aria-label={label} className="rows" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {visible.map((row) => {
          const item = items[row.index]
          return (
            <li
              key={item === undefined ? `row-${row.index}` : getKey(item)}
              aria-label={item === undefined ? undefined : rowLabel?.(item)}
              aria-busy={item === undefined ? true : undefined}
              style={{
                position: 'absolute',
                top: 0,
                left: 0,
                right: 0,
                height: rowHeight,
                transform: `translateY(${row.start}px)`,
              }}
            >
              {item === undefined ? <span className="row-link muted">{t('app.loading')}</span> : renderRow(item)}
            </li>
          )
        })}
      </ul>
    </div>
  )
}
