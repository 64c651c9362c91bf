import { type z } from 'zod'
import { type LogContactInput, type SilentCase, type SilentCases } from '../../../shared/contacts/contract'
import { businessDaysWithoutNews, lastNewsAt } from '../../../shared/contacts/rules'
import { type Contact } from '../../../shared/contacts/schemas'
import { isClosed } from '../../../shared/cases/recovery'
import { type Actor } from '../../../shared/cases/recovery'
import { makePromise, resolveDue } from '../../../shared/promises/promises'
import { promiseEvent } from '../../../shared/promises/promiseEvents'
import { type Case, type TimelineEvent } from '../../../shared/schemas'
import { type Change } from '../../store/store'
import { requireCase, summarize } from '../cases/cases'
import { type ServiceContext, actorOf, newId } from '../context'
import { calendarOf } from '../promises/calendar'
import { withGuaranteesFollowed } from '../promises/guaranteeFollow'
import { departmentOf } from '../promises/promises'

/** The timeline line of a contact: kind, direction and what was said (a long reply shortened). */
export function contactEvent(contact: Contact, actor: Actor): TimelineEvent {
  const note = contact.summary.length > 500 ? `${contact.summary.slice(0, 500)}…` : contact.summary
  return { at: actor.at, by: actor.by, type: 'contact', field: contact.kind, after: contact.direction, note }
}

/**
 * A case with one more contact: on its timeline, and the service guarantees it keeps (a first
 * response) brought in line, as the changes to commit together.
 */
export function withContact(
  ctx: ServiceContext,
  c: Case,
  contact: Contact,
  actor: Actor,
  extra: TimelineEvent[] = [],
): { updated: Case; changes: Change[] } {
  const updated: Case = {
    ...c,
    contacts: [...(c.contacts ?? []), contact],
    timeline: [...c.timeline, contactEvent(contact, actor), ...extra],
    updatedAt: actor.at,
  }
  return { updated, changes: withGuaranteesFollowed(ctx, updated) }
}

/** Logs a contact with the customer; "next contact promised by …" becomes a promise made with it. */
export async function logContact(ctx: ServiceContext, input: z.output<typeof LogContactInput>): Promise<Case> {
  const c = requireCase(ctx, input.caseId)
  const actor = actorOf(ctx)
  const changes: Change[] = []
  const extra: TimelineEvent[] = []
  let promiseId: string | undefined
  if (input.nextContact) {
    const made = makePromise(
      {
        id: newId(),
        what: input.nextContact.what,
        customerId: c.customerId,
        caseId: c.id,
        madeBy: actor.by,
        department: departmentOf(ctx, actor.by, c),
        dueAt: resolveDue(calendarOf(ctx), ctx.now(), input.nextContact.due).toISOString(),
      },
      actor,
    )
    promiseId = made.id
    changes.push({ collection: 'promises', value: made })
    extra.push(promiseEvent(made, 'made', actor))
  }
  const contact: Contact = {
    id: newId(),
    at: actor.at,
    by: actor.by,
    kind: input.kind,
    direction: input.direction,
    summary: input.summary,
    ...(promiseId ? { promiseId } : {}),
  }
  const followed = withContact(ctx, c, contact, actor, extra)
  await ctx.store.commit([...followed.changes, ...changes])
  return followed.updated
}

/** Open cases whose customer has had no news for N business days (the setting), longest silence first. */
export function silentCases(ctx: ServiceContext): SilentCases {
  const afterBusinessDays = ctx.store.settings.conversation.silentAfterBusinessDays
  const cal = calendarOf(ctx)
  const now = ctx.now()
  const found: SilentCase[] = []
  for (const c of ctx.store.all('cases')) {
    if (isClosed(c)) continue
    const days = businessDaysWithoutNews(cal, c, now)
    if (days < afterBusinessDays) continue
    found.push({ ...summarize(ctx, c), lastNewsAt: lastNewsAt(c), businessDaysWithoutNews: days })
  }
  found.sort(
    (a, b) =>
      b.businessDaysWithoutNews - a.businessDaysWithoutNews ||
      (a.lastNewsAt < b.lastNewsAt ? -1 : a.lastNewsAt > b.lastNewsAt ? 1 : 0) ||
      (a.number < b.number ? -1 : 1),
  )
  return { cases: found, afterBusinessDays, isComplete: ctx.store.isFullyLoaded }
}
