/**
 * How a PDF table is laid out: column widths from their content, header labels wrapped only
 * where a line may break (at spaces; between words in Chinese, which writes none). Pure: the
 * caller measures text with the font that will draw it.
 */

/** Width of a text in points, in the font and size that will draw it. */
export type Measure = (text: string) => number

const hasCjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u

const han = /\p{Script=Han}/u
/** Punctuation that never starts a line (it closes or follows what comes before). */
const closing = /^[、，。：；！？）」』》〉,.:;!?)\]]/u

/**
 * The pieces a label may break between, and how they join on one line. Words are split at
 * spaces. A Chinese label (no spaces) breaks between the words of the language's dictionary
 * (Intl.Segmenter), with a lone character kept on the word before it (率 in 兑现率, and a term the
 * dictionary does not know, such as 客訴, stays whole); a run of Latin, digits and brackets such as
 * （1–5） is one piece, and closing punctuation stays with what it closes.
 */
export function labelUnits(label: string, locale: string): { units: string[]; joiner: string } {
  const trimmed = label.trim()
  if (/\s/.test(trimmed) || !hasCjk.test(trimmed)) return { units: trimmed.split(/\s+/).filter(Boolean), joiner: ' ' }
  const units: string[] = []
  const segmenter = new Intl.Segmenter(locale, { granularity: 'word' })
  for (const run of trimmed.match(/\p{Script=Han}+|[^\p{Script=Han}]+/gu) ?? []) {
    if (!han.test(run)) {
      const glued = closing.exec(run)
      const rest = glued ? run.slice(glued[0].length) : run
      if (glued && units.length > 0) units[units.length - 1] += glued[0]
      else if (glued) units.push(glued[0])
      if (rest) {
        // Closing punctuation after a bracketed run stays on it: "（1–5）" is one piece.
        units.push(rest)
      }
      continue
    }
    let isFirstOfRun = true
    for (const { segment } of segmenter.segment(run)) {
      const isLone = [...segment].length === 1
      if (isLone && !isFirstOfRun && units.length > 0) units[units.length - 1] += segment
      else units.push(segment)
      isFirstOfRun = false
    }
  }
  return { units, joiner: '' }
}

/** The label as lines no wider than `width`, breaking only between units; a unit wider than `width` gets a line of its own. */
export function wrapLabel(label: string, locale: string, width: number, measure: Measure): string[] {
  const { units, joiner } = labelUnits(label, locale)
  const lines: string[] = []
  let line = ''
  for (const unit of units) {
    const candidate = line ? `${line}${joiner}${unit}` : unit
    if (line && measure(candidate) > width) {
      lines.push(line)
      line = unit
    } else line = candidate
  }
  if (line) lines.push(line)
  return lines
}

export type ColumnContent = {
  /** The widest unit of the header label: the column is never narrower. */
  labelWord: number
  /** The header label on one line. */
  labelLine: number
  /** The widest value; numbers, dates and months never wrap. */
  value: number
  /** The widest word of the values: a text column may wrap its values down to this. */
  valueWord: number
  isText: boolean
}

/**
 * Column widths (padding included in the inputs) that fit `total`: every column at least its
 * widest header word and its widest number; text columns give way first (their values wrap at
 * spaces). Null when even that does not fit: the caller sets the header smaller and asks again.
 */
export function fitColumns(columns: readonly ColumnContent[], total: number, textCap = 160): number[] | null {
  const sum = (list: readonly number[]) => list.reduce((a, b) => a + b, 0)
  const floor = columns.map((c) => Math.max(36, c.labelWord, c.isText ? c.valueWord : c.value))
  if (sum(floor) > total) return null
  const hard = columns.map((c, i) => Math.max(floor[i]!, c.isText ? Math.min(c.value, textCap) : c.value))
  const preferred = columns.map((c, i) => Math.max(hard[i]!, c.labelLine, c.isText ? c.value : 0))
  if (sum(preferred) <= total) {
    const extra = total - sum(preferred)
    const textColumns = columns.filter((c) => c.isText).length
    return preferred.map((n, i) =>
      textColumns > 0 ? n + (columns[i]!.isText ? extra / textColumns : 0) : n + extra / columns.length,
    )
  }
  // Between the floor and the preferred widths: each column gets its share of what is left.
  const base = sum(hard) <= total ? hard : floor
  const room = total - sum(base)
  const wish = sum(preferred) - sum(base)
  return base.map((n, i) => n + (wish > 0 ? ((preferred[i]! - n) / wish) * room : 0))
}
