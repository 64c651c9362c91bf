import { z } from 'zod'
import { ReportMonth, lastFullMonth } from '../core/months'

export const reportFormats = ['pdf', 'xlsx', 'csv', 'html', 'json'] as const
export const ReportFormat = z.enum(reportFormats)
export type ReportFormat = z.infer<typeof ReportFormat>

export const paperSizes = ['a4', 'letter'] as const
export const PaperSize = z.enum(paperSizes)
export type PaperSize = z.infer<typeof PaperSize>

/** The `reports` field of Settings: the desktop app's optional monthly export. */
export const ReportSettings = z.object({
  autoExport: z
    .object({
      isEnabled: z.boolean().default(false),
      /** An absolute folder on this computer; empty = not chosen yet. */
      folder: z.string().max(1000).default(''),
      format: ReportFormat.default('pdf'),
      paper: PaperSize.default('a4'),
      /** The last month exported automatically: nothing is exported twice. */
      lastMonth: ReportMonth.nullable().default(null),
    })
    .default({ isEnabled: false, folder: '', format: 'pdf', paper: 'a4', lastMonth: null }),
})
export type ReportSettings = z.infer<typeof ReportSettings>

export function defaultReportSettings(): ReportSettings {
  return { autoExport: { isEnabled: false, folder: '', format: 'pdf', paper: 'a4', lastMonth: null } }
}

/**
 * Which month's report the monthly export owes at `now`, or null. Due from the first day of a
 * month for the month before; a computer that was off on the 1st catches up at its next start,
 * and only the latest month is written (older ones can be exported by hand).
 */
export function dueAutoExportMonth(settings: ReportSettings, now: Date): string | null {
  const auto = settings.autoExport
  if (!auto.isEnabled || auto.folder.trim() === '') return null
  const month = lastFullMonth(now)
  if (auto.lastMonth !== null && auto.lastMonth >= month) return null
  return month
}
