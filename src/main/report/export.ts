import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import JSZip from 'jszip'
import { type Report, type Translate } from '../../shared/reports/report'
import { type PaperSize, type ReportFormat } from '../../shared/reports/settings'
import { renderReportHtml } from '../../shared/reports/reportHtml'
import { reportFileStem } from '../../shared/reports/reportTables'
import { renderReportCsv } from './csv'
import { renderReportPdf } from './pdf'
import { renderReportXlsx } from './xlsx'

export type RenderedFile = { name: string; mimeType: string; data: Buffer }

export const mimeTypes: Record<ReportFormat | 'zip', string> = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  html: 'text/html; charset=utf-8',
  json: 'application/json',
  zip: 'application/zip',
}

/** The report in one format: one file, or for CSV one file per section. */
export async function renderReport(
  report: Report,
  t: Translate,
  format: ReportFormat,
  paper: PaperSize = 'a4',
): Promise<RenderedFile[]> {
  const stem = reportFileStem(report)
  switch (format) {
    case 'pdf':
      return [{ name: `${stem}.pdf`, mimeType: mimeTypes.pdf, data: await renderReportPdf(report, t, paper) }]
    case 'xlsx':
      return [{ name: `${stem}.xlsx`, mimeType: mimeTypes.xlsx, data: await renderReportXlsx(report, t) }]
    case 'csv':
      return renderReportCsv(report, t).map(([name, content]) => ({
        name,
        mimeType: mimeTypes.csv,
        data: Buffer.from(content, 'utf8'),
      }))
    case 'html':
      return [
        { name: `${stem}.html`, mimeType: mimeTypes.html, data: Buffer.from(renderReportHtml(report, t), 'utf8') },
      ]
    case 'json':
      return [
        { name: `${stem}.json`, mimeType: mimeTypes.json, data: Buffer.from(`${JSON.stringify(report, null, 2)}\n`) },
      ]
  }
}

/** One file to hand to a browser download or a save dialog: the CSV files travel as one zip. */
export async function renderReportFile(
  report: Report,
  t: Translate,
  format: ReportFormat,
  paper: PaperSize = 'a4',
): Promise<RenderedFile> {
  const files = await renderReport(report, t, format, paper)
  if (format !== 'csv') return files[0] as RenderedFile
  const zip = new JSZip()
  const folder = zip.folder(reportFileStem(report)) as JSZip
  for (const f of files) folder.file(f.name, f.data)
  const data = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' })
  return { name: `${reportFileStem(report)}-csv.zip`, mimeType: mimeTypes.zip, data }
}

/**
 * Writes the report to `out`: a file path, or for CSV a folder (created if missing) that gets
 * one file per section. Returns the paths written.
 */
export async function writeReport(
  report: Report,
  t: Translate,
  format: ReportFormat,
  out: string,
  paper: PaperSize = 'a4',
): Promise<string[]> {
  const files = await renderReport(report, t, format, paper)
  if (format === 'csv') {
    await mkdir(out, { recursive: true })
    const paths = files.map((f) => join(out, f.name))
    await Promise.all(files.map((f, i) => writeFile(paths[i] as string, f.data)))
    return paths
  }
  await writeFile(out, (files[0] as RenderedFile).data)
  return [out]
}
