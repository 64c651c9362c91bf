import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { type FontkitFont, openSync } from 'fontkit'
import PDFDocument from 'pdfkit'
import { type Report, type Translate } from '../../shared/reports/report'
import { type PaperSize } from '../../shared/reports/settings'
import {
  type Cell,
  type ReportChart,
  type ReportTable,
  formatCell,
  formatPeriod,
  reportCharts,
  reportTables,
} from '../../shared/reports/reportTables'
import { type ColumnContent, fitColumns, labelUnits, wrapLabel } from './pdfLayout'

/**
 * The print-ready PDF, drawn with pdfkit in plain Node: the same code runs in the CLI, behind
 * browser mode and in the desktop app, with no browser engine needed. Fonts are embedded
 * (subset) from npm packages: DejaVu Sans for Latin, Greek, Cyrillic and Hungarian ő/ű; Noto
 * Sans Hans (Source Han Sans) for Chinese, whose 30,000 glyphs also cover Traditional
 * characters. Each string is set in the first font that has all its characters.
 */

type FontFace = { regular: string; bold: string; postscript?: { regular: string; bold: string } }
type LoadedFace = FontFace & { coverage: FontkitFont }

function packageDir(entry: string): string | undefined {
  try {
    return dirname(require.resolve(entry))
  } catch {
    return undefined
  }
}

/** The CJK face: the npm package first, else the system's Noto Sans CJK (Debian fonts-noto-cjk). */
function cjkFace(): FontFace | undefined {
  const dist = packageDir('@embedpdf/fonts-sc')
  if (dist) {
    const regular = join(dist, '..', 'fonts', 'NotoSansHans-Regular.otf')
    const bold = join(dist, '..', 'fonts', 'NotoSansHans-Bold.otf')
    if (existsSync(regular) && existsSync(bold)) return { regular, bold }
  }
  const system = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'
  const systemBold = '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc'
  if (existsSync(system) && existsSync(systemBold)) {
    return {
      regular: system,
      bold: systemBold,
      postscript: { regular: 'NotoSansCJKsc-Regular', bold: 'NotoSansCJKsc-Bold' },
    }
  }
  return undefined
}

function latinFace(): FontFace | undefined {
  const dir = packageDir('dejavu-fonts-ttf/package.json')
  if (!dir) return undefined
  const regular = join(dir, 'ttf', 'DejaVuSans.ttf')
  const bold = join(dir, 'ttf', 'DejaVuSans-Bold.ttf')
  return existsSync(regular) && existsSync(bold) ? { regular, bold } : undefined
}

let loadedFaces: { latin?: LoadedFace; cjk?: LoadedFace } | undefined

function faces(): { latin?: LoadedFace; cjk?: LoadedFace } {
  if (loadedFaces) return loadedFaces
  const load = (face: FontFace | undefined): LoadedFace | undefined =>
    face ? { ...face, coverage: openSync(face.regular, face.postscript?.regular) } : undefined
  loadedFaces = { latin: load(latinFace()), cjk: load(cjkFace()) }
  return loadedFaces
}

export const paperSizes: Record<PaperSize, [number, number]> = { a4: [595.28, 841.89], letter: [612, 792] }

export const colors = { ink: '#1d2733', muted: '#4a5866', rule: '#d5dde5', accent: '#1f5f99', head: '#eef3f8' }
const margin = { top: 72, bottom: 56, side: 48 }

export type Writer = {
  doc: PDFKit.PDFDocument
  use: (text: string, isBold?: boolean) => void
}

export function makeWriter(doc: PDFKit.PDFDocument, report: Pick<Report, 'locale'>): Writer {
  return pdfWriter(doc, report.locale)
}

/**
 * Registers the embedded faces on `doc` (Chinese first for a Chinese reader, so shared
 * punctuation is set in the Chinese face) and picks, per string, the first face with all its
 * characters. The case sheet's PDF uses it too.
 */
export function pdfWriter(doc: PDFKit.PDFDocument, locale: string): Writer {
  const { latin, cjk } = faces()
  const order = (locale.startsWith('zh') ? [cjk, latin] : [latin, cjk]).filter((f): f is LoadedFace => f !== undefined)
  order.forEach((f, i) => {
    doc.registerFont(`f${i}`, f.regular, f.postscript?.regular)
    doc.registerFont(`f${i}b`, f.bold, f.postscript?.bold)
  })
  const cache = new Map<string, number>()
  const pick = (text: string): number => {
    const known = cache.get(text)
    if (known !== undefined) return known
    let best = 0
    let bestMissing = Number.POSITIVE_INFINITY
    for (const [i, face] of order.entries()) {
      let missing = 0
      for (const ch of text) {
        const cp = ch.codePointAt(0) ?? 32
        if (cp > 32 && !face.coverage.hasGlyphForCodePoint(cp)) missing++
      }
      if (missing < bestMissing) {
        best = i
        bestMissing = missing
      }
      if (missing === 0) break
    }
    cache.set(text, best)
    return best
  }
  return {
    doc,
    use: (text, isBold = false) => {
      // No embedded font found at all: the PDF standard font still gives a readable Latin report.
      if (order.length === 0) doc.font(isBold ? 'Helvetica-Bold' : 'Helvetica')
      else doc.font(`f${pick(text)}${isBold ? 'b' : ''}`)
    },
  }
}

type Box = { left: number; right: number; top: number; bottom: number }

function box(doc: PDFKit.PDFDocument): Box {
  return {
    left: margin.side,
    right: doc.page.width - margin.side,
    top: margin.top,
    bottom: doc.page.height - margin.bottom,
  }
}

function ensureSpace(w: Writer, height: number): void {
  if (w.doc.y + height > box(w.doc).bottom) {
    w.doc.addPage()
    w.doc.y = box(w.doc).top
  }
}

export function text(
  w: Writer,
  value: string,
  x: number,
  y: number,
  options: {
    width?: number
    size?: number
    isBold?: boolean
    color?: string
    align?: 'left' | 'right' | 'center'
  } = {},
): void {
  w.use(value, options.isBold)
  w.doc
    .fontSize(options.size ?? 9)
    .fillColor(options.color ?? colors.ink)
    .text(value, x, y, { width: options.width, align: options.align ?? 'left', lineGap: 1 })
}

export function heightOf(w: Writer, value: string, width: number, size = 9, isBold = false): number {
  w.use(value, isBold)
  return w.doc.fontSize(size).heightOfString(value || ' ', { width, lineGap: 1 })
}

const isNumeric = (cell: Cell) => cell.kind !== 'text' && cell.kind !== 'date' && cell.kind !== 'month'

type TableLayout = { widths: number[]; headerSize: number; headerLines: string[][] }

const cellPad = 4

/**
 * Column widths from the content, and each header label wrapped at its word boundaries: no word
 * is ever split (docs/report.md, "PDF"). When the words do not fit at 9 pt, the header is set
 * smaller, down to 6 pt; only then would a column be squeezed.
 */
function tableLayout(w: Writer, table: ReportTable, report: Report, t: Translate, total: number): TableLayout {
  const measure = (size: number, isBold: boolean) => (value: string) => {
    w.use(value, isBold)
    return w.doc.fontSize(size).widthOfString(value)
  }
  const values = table.columns.map((_, ci) =>
    table.rows.slice(0, 200).map((r) => formatCell(r.cells[ci] as Cell, report.locale, t)),
  )
  const valueWidth = measure(9, false)
  const padded = (n: number) => n + cellPad * 2 + 2
  const lay = (headerSize: number, widths: number[]): TableLayout => {
    const label = measure(headerSize, true)
    return {
      widths,
      headerSize,
      headerLines: table.columns.map((col, i) =>
        wrapLabel(col.label, report.locale, (widths[i] ?? 50) - cellPad * 2 - 2, label),
      ),
    }
  }
  if (table.columns.length === 2) {
    const widths = [total * 0.68, total * 0.32]
    return lay(9, widths)
  }
  for (let headerSize = 9; headerSize >= 6; headerSize -= 0.5) {
    const label = measure(headerSize, true)
    const content: ColumnContent[] = table.columns.map((col, ci) => {
      const { units, joiner } = labelUnits(col.label, report.locale)
      const cells = values[ci] ?? []
      return {
        labelWord: padded(Math.max(0, ...units.map(label))),
        labelLine: padded(label(units.join(joiner))),
        value: padded(Math.max(0, ...cells.map(valueWidth))),
        valueWord: padded(Math.max(0, ...cells.flatMap((v) => v.split(/\s+/)).map(valueWidth))),
        isText: col.kind === 'text',
      }
    })
    const widths = fitColumns(content, total)
    if (widths) return lay(headerSize, widths)
  }
  // Far too many columns for the page: shared out evenly (not reached by the report's tables).
  return lay(
    6,
    table.columns.map(() => total / table.columns.length),
  )
}

function drawTable(w: Writer, table: ReportTable, report: Report, t: Translate): void {
  const { doc } = w
  const b = box(doc)
  const layout = tableLayout(w, table, report, t, b.right - b.left)
  const { widths, headerSize, headerLines } = layout
  const pad = cellPad
  const rowHeight = (cells: string[], isBold: boolean) =>
    Math.max(...cells.map((c, i) => heightOf(w, c, (widths[i] ?? 50) - pad * 2, 9, isBold))) + pad * 2
  // Each header line is drawn on its own, so pdfkit never re-breaks it (the lines already fit).
  const lineHeight = (line: string) => heightOf(w, line, 10_000, headerSize, true)
  const headerHeight =
    Math.max(...headerLines.map((lines) => lines.reduce((sum, line) => sum + lineHeight(line), 0))) + pad * 2

  const drawCaption = (isContinued: boolean) => {
    const caption = isContinued ? `${table.title} ${t('report:continued')}` : table.title
    text(w, caption, b.left, doc.y, { size: 12, isBold: true, color: colors.accent })
    doc.y += 4
  }
  const drawHeader = () => {
    const y = doc.y
    doc.rect(b.left, y, b.right - b.left, headerHeight).fill(colors.head)
    let x = b.left
    table.columns.forEach((col, i) => {
      const width = widths[i] ?? 50
      let lineY = y + pad
      for (const line of headerLines[i] ?? []) {
        text(w, line, x + pad, lineY, {
          width: width - pad * 2,
          size: headerSize,
          isBold: true,
          align: i > 0 && col.kind !== 'text' && col.kind !== 'month' && col.kind !== 'date' ? 'right' : 'left',
        })
        lineY += lineHeight(line)
      }
      x += width
    })
    doc.y = y + headerHeight
  }

  const rows = table.rows.map((row) => row.cells.map((cell) => formatCell(cell, report.locale, t)))
  const first = rows[0] ?? [t('report:empty')]
  // A short table stays whole on one page; a long one keeps at least its caption, header and first row together.
  const wholeHeight =
    24 + headerHeight + rows.reduce((sum, cells) => sum + rowHeight(cells, false), 0) + (table.note ? 20 : 0)
  const isShort = rows.length <= 12 && wholeHeight < b.bottom - b.top
  ensureSpace(w, isShort ? wholeHeight : 24 + headerHeight + rowHeight(first, false))
  drawCaption(false)
  drawHeader()
  if (rows.length === 0) {
    text(w, t('report:empty'), b.left + pad, doc.y + pad, { color: colors.muted })
    doc.y += 18
  }
  rows.forEach((cells, ri) => {
    const h = rowHeight(cells, false)
    if (doc.y + h > b.bottom) {
      // A row never splits: the table continues on the next page under its repeated header.
      doc.addPage()
      doc.y = box(doc).top
      drawCaption(true)
      drawHeader()
    }
    const y = doc.y
    let x = b.left
    cells.forEach((value, ci) => {
      const width = widths[ci] ?? 50
      const cell = table.rows[ri]?.cells[ci] as Cell
      text(w, value, x + pad, y + pad, { width: width - pad * 2, align: ci > 0 && isNumeric(cell) ? 'right' : 'left' })
      x += width
    })
    doc
      .moveTo(b.left, y + h)
      .lineTo(b.right, y + h)
      .lineWidth(0.5)
      .strokeColor(colors.rule)
      .stroke()
    doc.y = y + h
  })
  if (table.note) {
    doc.y += 3
    text(w, table.note, b.left, doc.y, { size: 8, color: colors.muted, width: b.right - b.left })
  }
  doc.y += 14
}

function drawChart(w: Writer, chart: ReportChart): void {
  const { doc } = w
  const b = box(doc)
  const width = b.right - b.left
  const max = Math.max(1, ...chart.series.flatMap((s) => s.values))
  const legendHeight = 16
  const height =
    chart.kind === 'hbars'
      ? legendHeight + chart.categories.length * (chart.series.length * 11 + 6) + 4
      : legendHeight + 150
  ensureSpace(w, height + 30)
  text(w, chart.title, b.left, doc.y, { size: 11, isBold: true })
  doc.y += 4
  const top = doc.y
  chart.series.forEach((s, i) => {
    doc.rect(b.left + i * 150, top + 2, 8, 8).fill(s.color)
    text(w, s.label, b.left + i * 150 + 12, top + 1, { size: 8, color: colors.muted })
  })
  const plotTop = top + legendHeight
  if (chart.kind === 'hbars') {
    const labelWidth = 190
    const scale = (width - labelWidth - 40) / max
    chart.categories.forEach((category, ci) => {
      const groupTop = plotTop + ci * (chart.series.length * 11 + 6)
      text(w, category, b.left, groupTop + 1, { size: 8, width: labelWidth - 8, align: 'right' })
      chart.series.forEach((s, si) => {
        const v = s.values[ci] ?? 0
        const y = groupTop + si * 11
        const barWidth = Math.max(v > 0 ? 1 : 0, v * scale)
        if (barWidth > 0) doc.rect(b.left + labelWidth, y, barWidth, 9).fill(s.color)
        text(w, String(v), b.left + labelWidth + barWidth + 3, y, { size: 7, color: colors.muted })
      })
    })
  } else {
    const plotHeight = 120
    const groupWidth = width / Math.max(1, chart.categories.length)
    const barWidth = Math.min(22, (groupWidth - 10) / chart.series.length)
    const base = plotTop + plotHeight
    doc.moveTo(b.left, base).lineTo(b.right, base).lineWidth(0.5).strokeColor('#888888').stroke()
    chart.categories.forEach((category, ci) => {
      const x0 = b.left + ci * groupWidth + (groupWidth - barWidth * chart.series.length) / 2
      chart.series.forEach((s, si) => {
        const v = s.values[ci] ?? 0
        const h = (v / max) * (plotHeight - 12)
        const x = x0 + si * barWidth
        if (h > 0) doc.rect(x, base - h, barWidth - 2, h).fill(s.color)
        text(w, String(v), x - 4, base - h - 10, { size: 7, width: barWidth + 6, align: 'center', color: colors.muted })
      })
      text(w, category, b.left + ci * groupWidth, base + 4, { size: 8, width: groupWidth, align: 'center' })
    })
  }
  doc.y = top + height + 14
}

/** Header and footer on every page, drawn once all pages exist so "Page 2 of 5" is known. */
function drawFrames(w: Writer, report: Report, t: Translate): void {
  const { doc } = w
  const range = doc.bufferedPageRange()
  const period = formatPeriod(report, t)
  const business = report.businessName || t('report:noBusinessName')
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i)
    const b = box(doc)
    // Writing inside the margins must not start a new page.
    const savedBottom = doc.page.margins.bottom
    doc.page.margins.bottom = 0
    text(w, business, b.left, 30, { size: 10, isBold: true, width: (b.right - b.left) / 2 })
    const right = `${t('report:title')} · ${period}`
    text(w, right, b.left + (b.right - b.left) / 2, 30, {
      size: 9,
      color: colors.muted,
      width: (b.right - b.left) / 2,
      align: 'right',
    })
    doc.moveTo(b.left, 50).lineTo(b.right, 50).lineWidth(1).strokeColor(colors.accent).stroke()
    const pageText = t('report:page', { page: i - range.start + 1, pages: range.count })
    text(w, pageText, b.left, doc.page.height - 36, {
      size: 8,
      color: colors.muted,
      width: b.right - b.left,
      align: 'center',
    })
    doc.page.margins.bottom = savedBottom
  }
}

/**
 * The layout every table of the report gets on `paper`, and a ruler in its header font: lets a
 * test check that each header line fits its column and breaks only between words.
 */
export function pdfTableLayouts(
  report: Report,
  t: Translate,
  paper: PaperSize = 'a4',
): { id: string; labels: string[]; layout: TableLayout; measureHeader: (line: string, size: number) => number }[] {
  const doc = new PDFDocument({ size: paperSizes[paper], margins: { top: 0, bottom: 0, left: 0, right: 0 } })
  const w = makeWriter(doc, report)
  const [width] = paperSizes[paper]
  const measureHeader = (line: string, size: number) => {
    w.use(line, true)
    return doc.fontSize(size).widthOfString(line)
  }
  const layouts = reportTables(report, t).map((table) => ({
    id: table.id,
    labels: table.columns.map((c) => c.label),
    layout: tableLayout(w, table, report, t, width - margin.side * 2),
    measureHeader,
  }))
  doc.end()
  return layouts
}

/** Renders the report as a PDF document in memory. */
export function renderReportPdf(report: Report, t: Translate, paper: PaperSize = 'a4'): Promise<Buffer> {
  const doc = new PDFDocument({
    size: paperSizes[paper],
    margins: { top: margin.top, bottom: margin.bottom, left: margin.side, right: margin.side },
    bufferPages: true,
    info: {
      Title: `${t('report:title')} ${formatPeriod(report, t)}`,
      Author: report.businessName,
      Creator: 'MakeGood',
      CreationDate: new Date(report.generatedAt),
    },
    lang: report.locale,
    displayTitle: true,
  })
  const chunks: Buffer[] = []
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  const w = makeWriter(doc, report)
  const b = box(doc)
  doc.y = b.top
  text(w, report.businessName || t('report:noBusinessName'), b.left, doc.y, { size: 20, isBold: true })
  doc.y += 2
  text(w, t('report:title'), b.left, doc.y, { size: 14, color: colors.accent })
  doc.y += 2
  text(w, formatPeriod(report, t), b.left, doc.y, { size: 11 })
  text(w, t('insights:amountsIn', { currency: report.currency }), b.left, doc.y, { size: 8, color: colors.muted })
  const generated = formatCell({ kind: 'date', value: report.generatedAt }, report.locale, t)
  text(w, t('report:generated', { when: generated }), b.left, doc.y, { size: 8, color: colors.muted })
  doc.y += 14

  const tables = reportTables(report, t)
  const charts = new Map(reportCharts(report, t).map((c) => [c.id, c]))
  // Each chart sits just before the table that holds its figures.
  for (const table of tables) {
    const chart = charts.get(table.id)
    if (chart) drawChart(w, chart)
    drawTable(w, table, report, t)
  }
  drawFrames(w, report, t)
  doc.end()
  return done
}
