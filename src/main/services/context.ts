import { type Actor } from '../../shared/recovery'
import { type Store } from '../store/store'

/** What every service function receives: the store, and the clock (fixed in tests, `--now`). */
export type ServiceContext = { store: Store; now: () => Date }

export function actorOf(ctx: ServiceContext): Actor {
  return { by: ctx.store.settings.currentUser || 'Me', at: ctx.now().toISOString() }
}

export function newId(): string {
  return crypto.randomUUID()
}
