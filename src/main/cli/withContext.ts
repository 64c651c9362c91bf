import { type ServiceContext } from '../services/context'

/** Opens the data for one command, runs its work, and closes the data whatever happens (every CLI command does this). */
export async function withContext<T>(
  opening: Promise<ServiceContext>,
  work: (ctx: ServiceContext) => Promise<T>,
): Promise<T> {
  const ctx = await opening
  try {
    return await work(ctx)
  } finally {
    await ctx.store.close()
  }
}
