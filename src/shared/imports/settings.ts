import { z } from 'zod'

/**
 * The mapping of the last complaint import made in the app, offered again for the next file with
 * the same columns (a monthly export keeps its columns). Loosely typed on purpose: it is checked
 * against `CsvMapping` when used, and this file stays free of the import code.
 */
export const SavedCsvMapping = z.object({
  columns: z.record(z.string().max(100), z.string().max(500)),
  dateFormat: z.string().max(100).optional(),
  defaults: z.record(z.string().max(100), z.string().max(500)).default({}),
  values: z.record(z.string().max(100), z.record(z.string().max(500), z.string().max(500))).default({}),
})
export type SavedCsvMapping = z.infer<typeof SavedCsvMapping>

/** Settings of the CSV import. */
export const ImportSettings = z.object({
  lastComplaintMapping: SavedCsvMapping.nullable().default(null),
})
export type ImportSettings = z.infer<typeof ImportSettings>

export function defaultImportSettings(): ImportSettings {
  return { lastComplaintMapping: null }
}
