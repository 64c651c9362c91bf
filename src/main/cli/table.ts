import stringWidth from 'string-width'

/**
 * Plain-text tables for the CLI, padded by display width: a Chinese character takes two terminal
 * columns, an accented Hungarian letter one, so `padEnd` (which counts UTF-16 units) misaligns
 * every column after a Chinese label. Cells wider than their column's cap are cut with "…".
 */
export type Column = {
  /** The widest the column may be, in terminal columns; longer cells are truncated. */
  max?: number
  align?: 'left' | 'right'
}

const gap = '  '
const ellipsis = '…'

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' })

/** Display width in terminal columns. */
export function displayWidth(text: string): number {
  return stringWidth(text)
}

/** Cuts text to at most `width` columns, ending in "…" when something was cut. */
export function truncateToWidth(text: string, width: number): string {
  if (displayWidth(text) <= width) return text
  const room = width - displayWidth(ellipsis)
  let out = ''
  let used = 0
  for (const { segment } of graphemes.segment(text)) {
    const w = displayWidth(segment)
    if (used + w > room) break
    out += segment
    used += w
  }
  return `${out}${ellipsis}`
}

function pad(text: string, width: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)))
  return align === 'right' ? `${fill}${text}` : `${text}${fill}`
}

/**
 * Lines of a table: each column as wide as its widest (capped) cell, columns two spaces apart.
 * The last column is left unpadded, so no line ends in spaces.
 */
export function renderTable(rows: readonly (readonly string[])[], columns: readonly Column[] = []): string[] {
  const count = Math.max(0, ...rows.map((r) => r.length))
  const cells = rows.map((row) =>
    Array.from({ length: count }, (_, i) => {
      const text = (row[i] ?? '').replace(/\s+/g, ' ')
      const max = columns[i]?.max
      return max === undefined ? text : truncateToWidth(text, max)
    }),
  )
  const widths = Array.from({ length: count }, (_, i) => Math.max(0, ...cells.map((row) => displayWidth(row[i] ?? ''))))
  return cells.map((row) =>
    row
      .map((cell, i) => {
        const align = columns[i]?.align ?? 'left'
        return i === count - 1 && align === 'left' ? cell : pad(cell, widths[i] ?? 0, align)
      })
      .join(gap),
  )
}
