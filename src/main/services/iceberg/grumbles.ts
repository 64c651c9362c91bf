import { type z } from 'zod'
import { NewCase } from '../../../shared/api'
import { normalizeName } from '../../../shared/iceberg/activityImport'
import { AppError } from '../../../shared/core/errors'
import {
  type GrumbleFilter,
  type GrumblePage,
  type GrumblePageInput,
  type GrumbleSummary,
  type NewGrumble,
} from '../../../shared/iceberg/contract'
import { type Grumble } from '../../../shared/iceberg/schemas'
import { type Case, type Customer } from '../../../shared/schemas'
import { type Change } from '../../store/store'
import { createCase } from '../cases/cases'
import { type ServiceContext, actorOf, newId } from '../context'
import { resolveCustomer } from '../customers/customerRecords'
import { requireKnownChoice } from '../settings/knownChoices'
import { grumbleAt, grumblesNewestFirst, grumblesOfCustomer } from './oldGrumbles'
import { recordsSince } from '../recordsFrom'

/** Grumbles: remarks heard by staff, the iceberg's middle layer; one may become a case. */

export function requireGrumble(ctx: ServiceContext, id: string): Grumble {
  const found = ctx.store.get('grumbles', id)
  if (!found) throw new AppError('not_found', `No grumble ${id}`, { reason: 'grumble.not_found' })
  return found
}

/** A grumble already made a case is not made one again, nor taken back as if never logged. */
export function requireNotPromoted(ctx: ServiceContext, grumble: Grumble): void {
  if (!grumble.caseId) return
  const number = ctx.store.get('cases', grumble.caseId)?.number ?? grumble.caseId
  throw new AppError('conflict', `This grumble is already case ${number}`, {
    reason: 'grumble.already_promoted',
    params: { number },
  })
}

export async function logGrumble(ctx: ServiceContext, input: z.output<typeof NewGrumble>): Promise<Grumble> {
  requireKnownChoice(ctx, 'category', input.category, 'grumble')
  requireKnownChoice(ctx, 'department', input.department, 'grumble')
  const actor = actorOf(ctx)
  const changes: Change[] = []
  let customer: Customer | undefined
  if (input.customerId || input.customerName) {
    const resolved = resolveCustomer(ctx, {
      name: input.customerName ?? '',
      ...(input.customerId ? { customerId: input.customerId } : {}),
    })
    customer = resolved.customer
    if (resolved.isNew) changes.push({ collection: 'customers', value: customer })
  }
  const grumble: Grumble = {
    id: newId(),
    text: input.text,
    heardAt: input.heardAt ?? actor.at,
    heardBy: input.heardBy || actor.by,
    ...(customer ? { customerId: customer.id } : {}),
    ...(input.category ? { category: input.category } : {}),
    ...(input.department ? { department: input.department } : {}),
    suggestion: input.suggestion,
    createdAt: actor.at,
  }
  changes.push({ collection: 'grumbles', value: grumble })
  await ctx.store.commit(changes)
  return grumble
}

/** A grumble as the lists show it: with its customer's name and its case's number. */
function summaryOf(ctx: ServiceContext, g: Grumble): GrumbleSummary {
  const customerName = g.customerId ? ctx.store.get('customers', g.customerId)?.name : undefined
  const caseNumber = g.caseId ? ctx.store.get('cases', g.caseId)?.number : undefined
  return { ...g, ...(customerName ? { customerName } : {}), ...(caseNumber ? { caseNumber } : {}) }
}

/** The Grumbles screen's rows from `offset` on, newest first, and how many there are. */
export function pageGrumbles(ctx: ServiceContext, input: z.output<typeof GrumblePageInput>): GrumblePage {
  const list = grumblesNewestFirst(ctx.store)
  const end = Math.min(list.order.length, input.offset + input.limit)
  const items: GrumbleSummary[] = []
  for (let position = input.offset; position < end; position++) items.push(summaryOf(ctx, grumbleAt(list, position)))
  return { total: list.order.length, items, isComplete: ctx.store.isFullyLoaded }
}

export async function listGrumbles(
  ctx: ServiceContext,
  filter: z.output<typeof GrumbleFilter>,
): Promise<GrumbleSummary[]> {
  const result: GrumbleSummary[] = []
  // A customer's grumbles, or those since a date, without reading every month left on disk.
  const grumbles = filter.customerId
    ? grumblesOfCustomer(ctx.store, filter.customerId)
    : filter.from
      ? recordsSince(ctx.store, 'grumbles', filter.from)
      : ctx.store.all('grumbles')
  for (const g of grumbles) {
    if (filter.from && g.heardAt < filter.from) continue
    if (filter.to && g.heardAt >= filter.to) continue
    if (filter.customerId && g.customerId !== filter.customerId) continue
    result.push(summaryOf(ctx, g))
  }
  result.sort((a, b) => b.heardAt.localeCompare(a.heardAt))
  return filter.limit ? result.slice(0, filter.limit) : result
}

/**
 * `Make it a case`: the grumble becomes a case on the grumble channel through the ordinary
 * case service, and both keep the link. Should the second write fail, the case already
 * carries `grumbleId`, and promoting again only repairs the link: never a second case.
 */
export async function promoteGrumble(ctx: ServiceContext, input: { id: string; customerName?: string }): Promise<Case> {
  const grumble = requireGrumble(ctx, input.id)
  requireNotPromoted(ctx, grumble)
  const linked = [...ctx.store.all('cases')].find((c) => c.grumbleId === grumble.id)
  if (linked) {
    await ctx.store.commit([{ collection: 'grumbles', value: { ...grumble, caseId: linked.id } }])
    return linked
  }
  const customerName = input.customerName?.trim() ?? ''
  if (!grumble.customerId && !customerName) {
    throw new AppError('invalid_input', 'A case needs a customer: give the customer name', {
      reason: 'grumble.needs_customer',
      details: [{ path: 'customerName', message: 'Required' }],
    })
  }
  // The case service resolves a name to a known customer the same way.
  const customerId = grumble.customerId
  const category =
    grumble.category && ctx.store.settings.categories.some((c) => c.id === grumble.category)
      ? grumble.category
      : 'other'
  const suggestion = grumble.suggestion ? `\n\n${grumble.heardBy}: ${grumble.suggestion}` : ''
  const created = await createCase(ctx, {
    ...NewCase.parse({
      ...(customerId ? { customerId } : { customerName: normalizeName(customerName) }),
      summary: grumble.text.slice(0, 200),
      description: `${grumble.text}${suggestion}`,
      channel: 'grumble',
      source: 'in-person',
      category,
      department: grumble.department ?? '',
      owner: ctx.store.settings.currentUser,
      receivedAt: grumble.heardAt,
    }),
    grumbleId: grumble.id,
  })
  await ctx.store.commit([
    {
      collection: 'grumbles',
      value: { ...grumble, caseId: created.id, ...(grumble.customerId ? {} : { customerId: created.customerId }) },
    },
  ])
  return created
}
