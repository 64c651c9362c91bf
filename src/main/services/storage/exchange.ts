import { readFile } from 'node:fs/promises'
import { AppError } from '../../../shared/core/errors'
import { writeFileDurable } from '../../store/durable'
import { exportText, parseExport } from '../../store/exchange'
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
    ? await (await import('../../store/postgres/pgStore')).PgStore.open(options.db, { isReadOnly: options.isReadOnly })
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

/** Writes the whole data set as one reproducible JSON file; answers how many records it holds. */
export async function exportToFile(ctx: ServiceContext, file: string): Promise<number> {
  await writeFileDurable(file, exportText(ctx.store.dataSet()))
  return recordCount(ctx)
}

/** Restores an export into an empty data folder (never over existing data); answers the record count. */
export async function importIntoEmpty(ctx: ServiceContext, file: string): Promise<number> {
  const data = parseExport(await readFile(file, 'utf8'), file)
  if (recordCount(ctx) > 0) {
    throw new AppError('conflict', `${ctx.store.dir} already holds data; import restores into an empty folder only`, {
      reason: 'import.not_empty',
    })
  }
  await ctx.store.replaceAll(data)
  return recordCount(ctx)
}
