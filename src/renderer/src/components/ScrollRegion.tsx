import { type ReactNode } from 'react'

/**
 * A wide table's card that scrolls sideways: the scroll box takes focus and a name, so a keyboard
 * can reach and scroll it (WCAG: scrollable regions must be focusable).
 */
export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="card table-card" role="region" tabIndex={0} aria-label={label}>
      {children}
    </div>
  )
}
