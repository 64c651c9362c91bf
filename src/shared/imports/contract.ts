import { z } from 'zod'
import { method } from '../core/contract'
import { CsvImportReport, CsvMapping } from './csvImport'

export const importsContract = {
  /** Complaints from another system's CSV; a dry run only checks. */
  'imports:complaints': method(
    z
      .object({
        csv: z.string().min(1).max(20_000_000),
        mapping: CsvMapping,
        isDryRun: z.boolean().default(false),
        isSkipInvalid: z.boolean().default(false),
      })
      .strict(),
    CsvImportReport,
    { changes: ['cases', 'customers', 'promises', 'settings'], isSweepAfter: true },
  ),
}
