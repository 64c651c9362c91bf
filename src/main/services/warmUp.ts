import { warmCaseNumbers } from './cases/caseNumbers'
import { warmCaseSearch } from './cases/cases'
import { type ServiceContext } from './context'
import { systemTimeZone } from './promises/calendar'
import { warmSearchEverywhere } from './search/search'

/**
 * What the runtime does once the history is in, before anyone asks: the first search, the first
 * new case and the first due date are then as quick as the rest. Each is kept up to date after.
 */
export async function warmForFirstUse(ctx: ServiceContext): Promise<void> {
  // Every record's search text, normalised (the first search at 100k cases took seconds).
  warmCaseSearch(ctx)
  await warmSearchEverywhere(ctx)
  // Each year's highest case number (~50 ms over 100k cases).
  warmCaseNumbers(ctx.store)
  // The first look at the computer's time zone loads its data (~14 ms).
  systemTimeZone()
}
