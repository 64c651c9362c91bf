import { TZDate } from '@date-fns/tz'
import { format } from 'date-fns'
import PDFDocument from 'pdfkit'
import { dateLocaleOf } from '../../../shared/core/i18n/dateLocales'
import { type Locale } from '../../../shared/schemas'
import { makeWriter, paperSizes } from '../../report/pdf'

export type Letter = {
  locale: Locale
  businessName: string
  customerName: string
  caseNumber: string
  date: Date
  /** The business's time zone: the letter is dated as the business's wall calendar says. */
  timeZone: string
  body: string
}

/**
 * A reply printed as a letter (A4), with the same embedded fonts as the monthly report, so a
 * Chinese or Hungarian letter prints with every character (pdfkit in plain Node: the CLI, browser
 * mode and the desktop app make the same file).
 */
export function renderLetterPdf(letter: Letter): Promise<Buffer> {
  const side = 64
  const doc = new PDFDocument({
    size: paperSizes.a4,
    margins: { top: 72, bottom: 64, left: side, right: side },
    info: { Title: `${letter.caseNumber} — ${letter.customerName}`, Author: letter.businessName, Creator: 'MakeGood' },
    lang: letter.locale,
  })
  const chunks: Buffer[] = []
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  const w = makeWriter(doc, letter)
  const width = doc.page.width - side * 2
  const write = (text: string, size: number, options: { isBold?: boolean; align?: 'left' | 'right' } = {}) => {
    w.use(text, options.isBold)
    doc
      .fontSize(size)
      .fillColor('#1d2733')
      .text(text, side, doc.y, { width, align: options.align ?? 'left' })
  }
  if (letter.businessName) write(letter.businessName, 14, { isBold: true })
  const day = format(new TZDate(letter.date.getTime(), letter.timeZone), 'PPP', { locale: dateLocaleOf(letter.locale) })
  write(day, 10, { align: 'right' })
  write(letter.caseNumber, 8, { align: 'right' })
  doc.moveDown(2)
  // One paragraph at a time: each gets the font that has all its characters.
  for (const paragraph of letter.body.replace(/\r\n?/g, '\n').split('\n')) {
    if (paragraph.trim() === '') doc.moveDown(0.6)
    else write(paragraph, 11)
  }
  doc.end()
  return done
}
