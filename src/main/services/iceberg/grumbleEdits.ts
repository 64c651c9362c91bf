import { type z } from 'zod'
import { type GrumbleEdit } from '../../../shared/trash/contract'
import { type Grumble } from '../../../shared/iceberg/schemas'
import { type Change } from '../../store/store'
import { type ServiceContext } from '../context'
import { resolveCustomer } from '../customers/customerRecords'
import { requireKnownChoice } from '../settings/knownChoices'
import { requireMayEditGrumble } from '../trash/permissions'
import { requireGrumble, requireNotPromoted } from './grumbles'
import { grumblesOfCustomer } from './oldGrumbles'
import { signalFacts } from './oldSignals'
import { promisesOfCustomer } from '../promises/oldPromises'

/**
 * Corrects a grumble: its words, the staff member's suggestion, category, department, customer.
 * An empty category or department clears it; an empty customer name unlinks the customer.
 */
export async function updateGrumble(ctx: ServiceContext, input: z.output<typeof GrumbleEdit>): Promise<Grumble> {
  const current = requireGrumble(ctx, input.id)
  requireMayEditGrumble(ctx, current.heardBy)
  if (input.category) requireKnownChoice(ctx, 'category', input.category, 'grumble')
  if (input.department) requireKnownChoice(ctx, 'department', input.department, 'grumble')
  const changes: Change[] = []
  const { customerId: _customerId, category: _category, department: _department, ...rest } = current
  let customerId = current.customerId
  if (input.customerName !== undefined) {
    if (input.customerName === '') customerId = undefined
    else {
      const resolved = resolveCustomer(ctx, { name: input.customerName })
      if (resolved.isNew) changes.push({ collection: 'customers', value: resolved.customer })
      customerId = resolved.customer.id
    }
  }
  const category = input.category === undefined ? current.category : input.category || undefined
  const department = input.department === undefined ? current.department : input.department || undefined
  const updated: Grumble = {
    ...rest,
    ...(input.text !== undefined ? { text: input.text } : {}),
    ...(input.suggestion !== undefined ? { suggestion: input.suggestion } : {}),
    ...(customerId ? { customerId } : {}),
    ...(category ? { category } : {}),
    ...(department ? { department } : {}),
  }
  changes.push({ collection: 'grumbles', value: updated })
  await ctx.store.commit(changes)
  return updated
}

/**
 * The Undo of "Grumble logged": the grumble goes (not to Trash: it was never meant), and so does
 * a customer the same log created and nothing else names. A grumble already made a case stays.
 */
export async function undoLogGrumble(ctx: ServiceContext, input: { id: string }): Promise<{ id: string }> {
  const grumble = requireGrumble(ctx, input.id)
  requireNotPromoted(ctx, grumble)
  const changes: Change[] = [{ collection: 'grumbles', removed: grumble.id }]
  const customer = grumble.customerId ? ctx.store.get('customers', grumble.customerId) : undefined
  if (customer && customer.createdAt === grumble.createdAt && !isNamedElsewhere(ctx, customer.id, grumble.id))
    changes.push({ collection: 'customers', removed: customer.id })
  await ctx.store.commit(changes)
  return { id: grumble.id }
}

function isNamedElsewhere(ctx: ServiceContext, customerId: string, grumbleId: string): boolean {
  for (const c of ctx.store.all('cases')) if (c.customerId === customerId) return true
  if (promisesOfCustomer(ctx.store, customerId).length > 0) return true
  if (grumblesOfCustomer(ctx.store, customerId).some((g) => g.id !== grumbleId)) return true
  if (!signalFacts(ctx.store, new Set([customerId])).next().done) return true
  for (const a of ctx.store.all('activities')) if (a.customerId === customerId) return true
  return false
}
