import Papa from 'papaparse'

/** A file's header (names trimmed) and its other rows as cells, in file order. */
export type CsvTable = { header: string[]; rows: string[][]; errors: CsvProblem[] }
/** `row` as a spreadsheet numbers it: the header is row 1. */
export type CsvProblem = { row: number; message: string }

/**
 * Reads CSV text as spreadsheet programs write it: the UTF-8 BOM they put in front is dropped,
 * CRLF or LF, quoted fields may span lines, blank lines are skipped. Every importer reads through
 * here so a file means the same in each. `errors` lists unterminated quotes, the one fault that
 * shifts every cell after it. `isHeaderOnly` stops after the first row (to offer the columns).
 */
export function readCsv(text: string, options: { isHeaderOnly?: boolean } = {}): CsvTable {
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), {
    skipEmptyLines: 'greedy',
    ...(options.isHeaderOnly ? { preview: 1 } : {}),
  })
  const [first = [], ...rows] = parsed.data
  const errors = parsed.errors
    .filter((e) => e.type === 'Quotes')
    // papaparse counts rows from 0, header included.
    .map((e) => ({ row: (e.row ?? 0) + 1, message: e.message }))
  return { header: first.map((h) => h.trim()), rows, errors }
}

/** One row by column name; a missing cell reads as ''. Of two columns with one name, the later wins. */
export function recordOf(header: readonly string[], cells: readonly string[]): Record<string, string> {
  return Object.fromEntries(header.map((name, i) => [name, cells[i] ?? '']))
}
