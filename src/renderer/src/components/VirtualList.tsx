import { useVirtualizer } from '@tanstack/react-virtual'
import { type CSSProperties, type ReactNode, useRef } from 'react'

type Props<T> = {
  items: readonly T[]
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
}

/** A list of which only the rows on screen are in the DOM (TanStack Virtual). */
export function VirtualList<T>({ items, rowHeight, label, getKey, renderRow, rowLabel, className, style }: Props<T>) {
  const scrollRef = useRef<HTMLDivElement>(null)
  // eslint-disable-next-line react-hooks/incompatible-library -- the compiler skips this component; TanStack Virtual is still correct
  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 10,
  })
  return (
    <div ref={scrollRef} className={className ?? 'virtual-scroll'} style={style}>
      <ul aria-label={label} className="rows" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((row) => {
          const item = items[row.index]
          if (item === undefined) return null
          return (
            <li
              key={getKey(item)}
              aria-label={rowLabel?.(item)}
              style={{
                position: 'absolute',
                top: 0,
                left: 0,
                right: 0,
                height: rowHeight,
                transform: `translateY(${row.start}px)`,
              }}
            >
              {renderRow(item)}
            </li>
          )
        })}
      </ul>
    </div>
  )
}
