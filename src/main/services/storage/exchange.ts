import { readFile } from 'node:fs/promises'
import { AppError } from '../../../shared/core/errors'
import { type Attachment } from '../../../shared/attachments/attachments'
import { readBlobsBeside, writeBlobsBeside } from '../../store/blobs'
import { type DataSet } from '../../store/dataSet'
import { writePiecesDurable } from '../../store/durable'
import { exportPieces, parseExport } from '../../store/exchange'
import { collectionNames } from '../../store/collections'
import { Store } from '../../store/store'
import { type ServiceContext } from '../context'
import { recountAllGuarantees } from '../promises/guaranteeFollow'

/**
 * Opens a data folder, or with `db` a team database, for the CLI and `serve`: the hosts reach
 * the store only through here.
 */
export async function openServiceContext(
  dir: string,
  options: { isReadOnly: boolean; isLazy?: boolean; now: () => Date; db?: string },
): Promise<ServiceContext> {
  // Loaded only when asked for: the data folder's processes never load the PostgreSQL client.
  const store = options.db
    ? await (
        await import('../../store/postgres/pgStore')
      ).PgStore.open(options.db, {
        isReadOnly: options.isReadOnly,
        isLazy: options.isLazy ?? false,
        // Its files of old months go with the rest of what this desk keeps (backups, the log).
        monthsFolder: dir,
      })
    : await Store.open(dir, { isReadOnly: options.isReadOnly, isLazy: options.isLazy ?? false })
  const ctx = { store, now: options.now }
  // A lazy store is recounted by the runtime once every month has loaded.
  if (!options.isReadOnly && !options.isLazy) await recountAllGuarantees(ctx)
  return ctx
}

/** How many records the store holds, counted per kind (`dataSet()` would copy and sort every record). */
function recordCount(ctx: ServiceContext): number {
  return collectionNames.reduce((sum, name) => sum + ctx.store.count(name), 0)
}

const attachedHashes = (data: DataSet): string[] =>
  ((data.collections.attachments ?? []) as Attachment[]).map((a) => a.sha256)

/**
 * Writes the attached files of a data set beside its JSON (`<file>.attachments/`), then the
 * JSON: a file that names an attachment always has its bytes beside it.
 */
async function writeDataSetFiles(ctx: ServiceContext, file: string, data: DataSet): Promise<void> {
  await writeBlobsBeside(file, attachedHashes(data), ctx.store.blobs)
  await writePiecesDurable(file, exportPieces(data))
}

/**
 * Puts every attached file an export or backup names into the store, each checked against its
 * hash, before any record is replaced: a missing or damaged file refuses the whole import.
 */
export async function restoreDataSetFiles(ctx: ServiceContext, file: string, data: DataSet): Promise<void> {
  for (const sha256 of new Set(attachedHashes(data))) await ctx.store.blobs.put(await readBlobsBeside(file, sha256))
}

/** Writes the whole data set as one reproducible JSON file (and its attached files); answers how many records it holds. */
export async function exportToFile(ctx: ServiceContext, file: string): Promise<number> {
  await writeDataSetFiles(ctx, file, ctx.store.dataSet())
  return recordCount(ctx)
}

/** Restores an export into an empty data folder (never over existing data); answers the record count. */
export async function importIntoEmpty(ctx: ServiceContext, file: string): Promise<number> {
  const data = parseExport(await readFile(file), file)
  if (recordCount(ctx) > 0) {
    throw new AppError('conflict', `${ctx.store.dir} already holds data; import restores into an empty folder only`, {
      reason: 'import.not_empty',
    })
  }
  // Content-addressed: a failed import leaves only unreferenced copies, never a changed record.
  await restoreDataSetFiles(ctx, file, data)
  await ctx.store.replaceAll(data)
  return recordCount(ctx)
}
