import { z } from 'zod'
import { everything, method } from '../core/contract'
import { Locale } from '../schemas'
import { ReportMonth } from '../core/months'
import { Report } from './reportModel'
import { PaperSize, ReportFormat } from './settings'

/** Which report: a calendar month (default: the last full month), or `from`–`to` dates inclusive. */
const reportQueryFields = {
  month: ReportMonth.optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  /** The report's language; default: the app's language setting. */
  locale: Locale.optional(),
}
const isRangeValid = (v: { month?: string; from?: string; to?: string }) =>
  (v.from === undefined) === (v.to === undefined) &&
  (v.from === undefined || (v.from <= (v.to as string) && v.month === undefined))
const rangeIssue = { message: 'Give a month, or both from and to (from not after to), not both', path: ['to'] }

export const ReportQuery = z.object(reportQueryFields).strict().refine(isRangeValid, rangeIssue)
export const ReportExportInput = z
  .object({ ...reportQueryFields, format: ReportFormat, paper: PaperSize.default('a4') })
  .strict()
  .refine(isRangeValid, rangeIssue)
export const ReportFile = z.object({ fileName: z.string(), mimeType: z.string(), base64: z.string() })
export type ReportFile = z.infer<typeof ReportFile>

export const reportsContract = {
  'reports:get': method(ReportQuery.default({}), Report, { reads: everything }),
  /** Builds the file and hands it back; nothing is written to the data folder. */
  'reports:export': method(ReportExportInput, ReportFile, { reads: everything }),
}
