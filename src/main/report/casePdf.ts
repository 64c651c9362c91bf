import PDFDocument from 'pdfkit'
import { type CaseSheet } from '../../shared/cases/caseSheet'
import { type Translate } from '../../shared/core/i18n/translate'
import { type Writer, colors, heightOf, paperSizes, pdfWriter, text } from './pdf'

/**
 * One case as a PDF (`makegood cases show NUMBER --pdf FILE`): the same sheet as the app's print
 * view, drawn with the monthly report's library and embedded fonts so Chinese prints as well as
 * Hungarian. A4; one case per document, continued on further pages only when it does not fit.
 */

const margin = { top: 56, bottom: 48, side: 42 }
const pad = 3

function bottomOf(doc: PDFKit.PDFDocument): number {
  return doc.page.height - margin.bottom
}

function newPage(w: Writer): void {
  w.doc.addPage()
  w.doc.y = margin.top
}

function heading(w: Writer, label: string): void {
  // A heading never ends a page alone: it needs room for itself and a first row.
  if (w.doc.y + 50 > bottomOf(w.doc)) newPage(w)
  w.doc.y += 8
  text(w, label, margin.side, w.doc.y, { size: 12, isBold: true, color: colors.accent })
  w.doc.y += 3
}

/** A table whose columns share the width by `fractions`; rows never split across pages. */
function table(w: Writer, head: string[], rows: string[][], fractions: number[]): void {
  const { doc } = w
  const width = doc.page.width - margin.side * 2
  const widths = fractions.map((f) => f * width)
  const rowHeight = (cells: string[], isBold: boolean) =>
    Math.max(...cells.map((c, i) => heightOf(w, c, (widths[i] ?? 50) - pad * 2, 8, isBold))) + pad * 2
  const drawRow = (cells: string[], isHeader: boolean) => {
    const h = rowHeight(cells, isHeader)
    if (doc.y + h > bottomOf(doc)) {
      newPage(w)
      if (!isHeader) drawRow(head, true)
    }
    const y = doc.y
    if (isHeader) doc.rect(margin.side, y, width, h).fill(colors.head)
    let x = margin.side
    cells.forEach((cell, i) => {
      const cellWidth = widths[i] ?? 50
      text(w, cell, x + pad, y + pad, { width: cellWidth - pad * 2, size: 8, isBold: isHeader })
      x += cellWidth
    })
    doc
      .moveTo(margin.side, y + h)
      .lineTo(margin.side + width, y + h)
      .lineWidth(0.5)
      .strokeColor(colors.rule)
      .stroke()
    doc.y = y + h
  }
  drawRow(head, true)
  for (const cells of rows) drawRow(cells, false)
}

/** The case number, "Printed …" and "Page 1 of 2" on every page, once all pages exist. */
function frames(w: Writer, sheet: CaseSheet, t: Translate, printed: string): void {
  const { doc } = w
  const range = doc.bufferedPageRange()
  const width = doc.page.width - margin.side * 2
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i)
    // Writing inside the margins must not start a new page.
    const savedBottom = doc.page.margins.bottom
    doc.page.margins.bottom = 0
    text(w, `${sheet.number} · ${sheet.title}`, margin.side, 30, { size: 9, color: colors.muted, width: width * 0.7 })
    text(w, t('print:printed', { when: printed }), margin.side + width * 0.7, 30, {
      size: 8,
      color: colors.muted,
      width: width * 0.3,
      align: 'right',
    })
    text(w, t('print:page', { page: i - range.start + 1, pages: range.count }), margin.side, doc.page.height - 36, {
      size: 8,
      color: colors.muted,
      width,
      align: 'center',
    })
    doc.page.margins.bottom = savedBottom
  }
}

/** Renders the sheet as a PDF document in memory. */
export function renderCasePdf(
  sheet: CaseSheet,
  t: Translate,
  options: { locale: string; printedAt: Date; printed: string },
): Promise<Buffer> {
  const doc = new PDFDocument({
    size: paperSizes.a4,
    margins: { top: margin.top, bottom: margin.bottom, left: margin.side, right: margin.side },
    bufferPages: true,
    info: { Title: `${sheet.number} ${sheet.title}`, Creator: 'MakeGood', CreationDate: options.printedAt },
    lang: options.locale,
    displayTitle: true,
  })
  const chunks: Buffer[] = []
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  const w = pdfWriter(doc, options.locale)
  const width = doc.page.width - margin.side * 2
  doc.y = margin.top
  text(w, sheet.number, margin.side, doc.y, { size: 10, color: colors.muted })
  text(w, sheet.title, margin.side, doc.y, { size: 18, isBold: true, width })
  text(w, sheet.subtitle, margin.side, doc.y, { size: 10, width })
  if (sheet.closure) text(w, sheet.closure, margin.side, doc.y, { size: 10, width })
  const { labels } = sheet
  const col = labels.column

  heading(w, labels.facts)
  for (const [label, value] of sheet.facts) {
    const h = Math.max(heightOf(w, label, width * 0.25, 9, true), heightOf(w, value, width * 0.75 - 6, 9)) + 2
    if (doc.y + h > bottomOf(doc)) newPage(w)
    const y = doc.y
    text(w, label, margin.side, y, { size: 9, isBold: true, width: width * 0.25 })
    text(w, value, margin.side + width * 0.25 + 6, y, { size: 9, width: width * 0.75 - 6 })
    doc.y = y + h
  }

  heading(w, labels.steps)
  table(
    w,
    [col.step, col.status, col.by, col.when, col.note],
    sheet.steps.map((s) => [s.step, s.status, s.by, s.at, s.note]),
    [0.14, 0.1, 0.15, 0.22, 0.39],
  )

  heading(w, labels.promises)
  if (sheet.promises.length === 0) {
    text(w, labels.none, margin.side, doc.y, { size: 9, color: colors.muted })
  } else {
    table(
      w,
      [col.what, col.state, col.madeBy, col.due, col.note],
      sheet.promises.map((p) => [p.what, p.state, p.madeBy, p.due, p.note]),
      [0.32, 0.13, 0.14, 0.22, 0.19],
    )
  }

  heading(w, labels.timeline)
  table(
    w,
    [col.when, col.by, col.change],
    sheet.timeline.map((line) => [line.at, line.by, line.text]),
    [0.22, 0.15, 0.63],
  )
  frames(w, sheet, t, options.printed)
  doc.end()
  return done
}
