import { type z } from 'zod'
import { type NewCustomer } from '../../../shared/api'
import { AppError } from '../../../shared/core/errors'
import { normalizeName } from '../../../shared/iceberg/activityImport'
import { type Customer } from '../../../shared/schemas'
import { type ServiceContext, newId } from '../context'
import { derivedOnce } from '../derived'

/**
 * Which customer is this? The one answer every service uses (cases, grumbles, promises, CSV and
 * activity imports): a customer is the same person when the e-mail is equal, or else when the
 * name is equal ignoring case, accents' encoding (NFC) and spacing.
 */

export function requireCustomer(ctx: ServiceContext, id: string): Customer {
  const customer = ctx.store.get('customers', id)
  if (!customer) throw new AppError('not_found', `No customer ${id}`, { reason: 'customer.not_found' })
  return customer
}

export function buildCustomer(ctx: ServiceContext, input: z.output<typeof NewCustomer>): Customer {
  return { id: newId(), ...input, notes: input.notes ?? '', createdAt: ctx.now().toISOString() }
}

export const customerNameKey = (name: string): string => normalizeName(name).toLowerCase()
const emailKey = (email: string): string => email.trim().toLowerCase()

export type CustomerIndex = {
  add: (customer: Customer) => void
  find: (request: { name: string; email?: string }) => Customer | undefined
}

/**
 * Known customers by name and e-mail, for matching many rows at once (an import) without a
 * pass over every customer per row. Customers created along the way are added with `add`.
 */
export function customerIndex(customers: Iterable<Customer>): CustomerIndex {
  const byName = new Map<string, Customer>()
  const byEmail = new Map<string, Customer>()
  const add = (customer: Customer): void => {
    if (customer.email) byEmail.set(emailKey(customer.email), customer)
    byName.set(customerNameKey(customer.name), customer)
  }
  for (const customer of customers) add(customer)
  return {
    add,
    find: (request) =>
      (request.email ? byEmail.get(emailKey(request.email)) : undefined) ?? byName.get(customerNameKey(request.name)),
  }
}

export type ResolvedCustomer = { customer: Customer; isNew: boolean }

/**
 * The customer a request names: by id when given, else a known one matching the name or
 * e-mail, else a new record (not yet saved: the caller commits it with its own change).
 */
export function resolveCustomer(
  ctx: ServiceContext,
  request: { customerId?: string; name: string; email?: string; idForNew?: string; createdAtForNew?: string },
  given?: CustomerIndex,
): ResolvedCustomer {
  if (request.customerId) return { customer: requireCustomer(ctx, request.customerId), isNew: false }
  const index = given ?? savedCustomerIndex(ctx)
  const known = index.find(request)
  if (known) return { customer: known, isNew: false }
  const customer = {
    ...buildCustomer(ctx, {
      name: normalizeName(request.name),
      notes: '',
      ...(request.email ? { email: request.email } : {}),
    }),
    // An import names its new customers after the source's reference, so a re-import finds them.
    ...(request.idForNew ? { id: request.idForNew } : {}),
    ...(request.createdAtForNew ? { createdAt: request.createdAtForNew } : {}),
  }
  // A caller's own index learns the new customer (the next row of an import finds it); the shared
  // one holds saved customers only: this one is not saved yet, and its save may fail.
  if (given) given.add(customer)
  return { customer, isNew: true }
}

/**
 * The index of the stored customers, built again only when they changed: a save that names a
 * customer must not cost a pass over every customer (normalising each name) each time.
 */
function savedCustomerIndex(ctx: ServiceContext): CustomerIndex {
  const { store } = ctx
  return derivedOnce(store, 'customer index', [store.revision('customers')], () =>
    customerIndex(store.all('customers')),
  )
}
