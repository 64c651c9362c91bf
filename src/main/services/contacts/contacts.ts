import { type z } from 'zod'
import {
  type LogContactInput,
  type SilentCase,
  type SilentCasePage,
  type SilentCasePageInput,
  type SilentCases,
} from '../../../shared/contacts/contract'
import { byCodeUnits } from '../../../shared/core/order'
import { wallOf } from '../../../shared/promises/workingCalendar'
import { derivedOnce } from '../derived'
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
type Waiting = { c: Case; lastNewsAt: string; days: number }
/**
 * Every open case whose customer has had no news for the set number of business days, longest
 * silence first (then the oldest news, then the number), worked out once per change to cases,
 * settings or the working calendar (a new year's holidays, the machine's time zone) and once a
 * day: the Today screen pages through it.
 */
function waitingForNews(ctx: ServiceContext): Waiting[] {
  const { store } = ctx
  const now = ctx.now()
  const calendar = calendarOf(ctx)
  const today = wallOf(calendar, now.getTime()).day
  const from = [store.revision('cases'), store.settings, calendar, today]
  return derivedOnce(store, 'waiting for news', from, () => {
    const afterBusinessDays = store.settings.conversation.silentAfterBusinessDays
    const waiting: Waiting[] = []
    for (const c of store.all('cases')) {
      if (isClosed(c)) continue
      const days = businessDaysWithoutNews(calendar, c, now)
      if (days >= afterBusinessDays) waiting.push({ c, lastNewsAt: lastNewsAt(c), days })
    }
    return waiting.sort(
      (a, b) => b.days - a.days || byCodeUnits(a.lastNewsAt, b.lastNewsAt) || byCodeUnits(a.c.number, b.c.number),
    )
  })
}

const silentCaseOf = (ctx: ServiceContext, { c, lastNewsAt, days }: Waiting): SilentCase => ({
  ...summarize(ctx, c),
  lastNewsAt,
  businessDaysWithoutNews: days,
})

/** Every case waiting for news (the CLI's list). */
export function silentCases(ctx: ServiceContext): SilentCases {
  return {
    cases: waitingForNews(ctx).map((w) => silentCaseOf(ctx, w)),
    afterBusinessDays: ctx.store.settings.conversation.silentAfterBusinessDays,
    isComplete: ctx.store.isFullyLoaded,
  }
}

/** A page of the cases waiting for news (Today → Waiting for news). */
export function pageSilentCases(ctx: ServiceContext, input: z.output<typeof SilentCasePageInput>): SilentCasePage {
  const waiting = waitingForNews(ctx)
  return {
    total: waiting.length,
    items: waiting.slice(input.offset, input.offset + input.limit).map((w) => silentCaseOf(ctx, w)),
    afterBusinessDays: ctx.store.settings.conversation.silentAfterBusinessDays,
    isComplete: ctx.store.isFullyLoaded,
  }
}
