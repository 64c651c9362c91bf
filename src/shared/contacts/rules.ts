import { type Calendar, countBusinessDaysInRange, wallOf } from '../promises/workingCalendar'
import { type Case } from '../schemas'
import { type Contact } from './schemas'

/**
 * Which contacts give the customer news: everything staff sent or said to them, and a call or a
 * visit whoever started it (a conversation answers the customer). An e-mail, letter or message
 * that came in is the customer still waiting: it gives them nothing. Pure.
 */
export function isNewsForCustomer(c: Pick<Contact, 'direction' | 'kind'>): boolean {
  return c.direction === 'out' || c.kind === 'call' || c.kind === 'visit'
}

/** The last time the customer heard from us, or when the complaint came in if never. */
export function lastNewsAt(c: Pick<Case, 'receivedAt' | 'contacts'>): string {
  let last = c.receivedAt
  for (const contact of c.contacts ?? []) if (isNewsForCustomer(contact) && contact.at > last) last = contact.at
  return last
}

/**
 * Whole business days gone by without news: the business days strictly between the day of the
 * last news and today, in the business's own calendar (working week, holidays, time zone). News
 * on Monday, N = 2: Tuesday and Wednesday pass in silence, so Thursday morning it shows.
 */
export function businessDaysWithoutNews(cal: Calendar, c: Pick<Case, 'receivedAt' | 'contacts'>, now: Date): number {
  const lastDay = wallOf(cal, Date.parse(lastNewsAt(c))).day
  const today = wallOf(cal, now.getTime()).day
  return countBusinessDaysInRange(cal, lastDay + 1, today)
}

/** An open case whose customer has had no news for `afterDays` business days or more. */
export function isWaitingForNews(
  cal: Calendar,
  c: Pick<Case, 'status' | 'receivedAt' | 'contacts'>,
  now: Date,
  afterDays: number,
): boolean {
  return c.status !== 'closed' && businessDaysWithoutNews(cal, c, now) >= afterDays
}
