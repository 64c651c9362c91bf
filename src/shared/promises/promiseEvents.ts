import { type CustomerPromise } from './promises'
import { type Actor } from '../cases/recovery'
import { type TimelineEvent } from '../schemas'

/** How a built-in guarantee's promise (which has no text of its own) is named on a timeline. */
export function promiseLabel(p: CustomerPromise): string {
  return p.what || `guarantee:${p.guaranteeId ?? ''}`
}

/**
 * The case timeline line for a promise change: `field` is what happened (made, kept, broken, …),
 * `after` what was promised (a built-in guarantee as `guarantee:<id>`), `before` the due time,
 * `note` the words that came with it.
 */
export function promiseEvent(p: CustomerPromise, action: string, actor: Actor, note?: string): TimelineEvent {
  return {
    at: actor.at,
    by: actor.by,
    type: 'promise',
    field: action,
    before: p.dueAt,
    after: promiseLabel(p),
    ...(note?.trim() ? { note: note.trim() } : {}),
  }
}
