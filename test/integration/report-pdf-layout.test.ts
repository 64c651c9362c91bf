import { execFile } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { pdfTableLayouts, paperSizes, renderReportPdf } from '../../src/main/report/pdf'
import { dispatch } from '../../src/main/services'
import { type ServiceContext } from '../../src/main/services/context'
import { getReport, translatorFor } from '../../src/main/services/reports/reports'
import { openContext, tempDir } from '../helpers/temp'

const run = promisify(execFile)
const locales = ['en', 'hu', 'zh-CN', 'zh-TW'] as const
const papers = ['a4', 'letter'] as const

let ctx: ServiceContext

beforeAll(async () => {
  ctx = await openContext(await tempDir(), { now: '2026-11-25T10:00:00.000Z' })
  const loaded = await dispatch(ctx, 'demo:load', {})
  expect(loaded.ok).toBe(true)
})

/** Where a line may end, told apart from the app's code: at a space, or at a dictionary word boundary in Chinese. */
function allowedBreaks(label: string, locale: string): Set<number> {
  const out = new Set<number>()
  if (/\s/.test(label) || !/\p{Script=Han}/u.test(label)) {
    let at = 0
    for (const word of label.split(' ')) out.add((at += word.length + 1) - 1)
    return out
  }
  for (const { index } of new Intl.Segmenter(locale, { granularity: 'word' }).segment(label)) out.add(index)
  return out
}

describe('PDF table headers never split a word', () => {
  for (const locale of locales) {
    for (const paper of papers) {
      it(`${locale}, ${paper}: every header line fits its column and ends where a line may end`, async () => {
        const t = await translatorFor(locale)
        const report = await getReport(ctx, { month: '2026-10', locale })
        const total = paperSizes[paper][0] - 2 * 48
        for (const { id, labels, layout, measureHeader } of pdfTableLayouts(report, t, paper)) {
          expect(
            layout.widths.reduce((a, b) => a + b, 0),
            id,
          ).toBeLessThanOrEqual(total + 0.01)
          labels.forEach((label, i) => {
            const lines = layout.headerLines[i]!
            const joiner = /\s/.test(label) || !/\p{Script=Han}/u.test(label) ? ' ' : ''
            expect(lines.join(joiner), `${id}: ${label}`).toBe(label.trim())
            const breaks = allowedBreaks(label.trim(), locale)
            let at = 0
            for (const line of lines.slice(0, -1)) {
              at += line.length
              expect(breaks.has(at), `${id}: "${label}" broken after "${line}"`).toBe(true)
              at += joiner.length
            }
            for (const line of lines) {
              expect(measureHeader(line, layout.headerSize), `${id}: ${line}`).toBeLessThanOrEqual(
                layout.widths[i]! - 8,
              )
            }
          })
        }
      })
    }
  }

  it('the drawn PDF holds every header word whole (pdftotext)', async () => {
    const t = await translatorFor('hu')
    const report = await getReport(ctx, { month: '2026-10', locale: 'hu' })
    const file = join(await tempDir(), 'report.pdf')
    await writeFile(file, await renderReportPdf(report, t, 'a4'))
    const { stdout } = await run('pdftotext', ['-raw', file, '-'])
    const words = new Set(stdout.split(/\s+/))
    const headerWords = pdfTableLayouts(report, t, 'a4').flatMap((l) => l.labels.flatMap((label) => label.split(/\s+/)))
    const missing = [...new Set(headerWords)].filter((word) => !words.has(word))
    expect(missing).toEqual([])
  })
})
