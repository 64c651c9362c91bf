import { type z } from 'zod'
import {
  type CaseSummary,
  type CustomerEdit,
  type CustomerNamesInput,
  type CustomerPage,
  type CustomerPageInput,
  type CustomerSummary,
  type NewCustomer,
} from '../../../shared/api'
import { type StoreEngine } from '../../store/postgres/engine'
import { type Customer } from '../../../shared/schemas'
import { matchesTerms, queryTerms, searchTextCache } from '../../../shared/core/search'
import { listCases } from '../cases/cases'
import { type ServiceContext } from '../context'
import { loyaltySegments } from '../iceberg/loyalty'
import { derivedOnce } from '../derived'
import { buildCustomer, requireCustomer } from './customerRecords'
import { type CustomerMatchOut } from '../../../shared/trash/contract'
import { findCustomerMatches } from '../../../shared/customers/match'

const customerSearchText = searchTextCache<Customer>((c) => `${c.name} ${c.email ?? ''} ${c.phone ?? ''} ${c.notes}`)

type CustomerFilter = { query?: string | undefined; segment?: CustomerSummary['segment'] }

/** Every customer by name, sorted once per change to customers. */
function customersByName(store: StoreEngine): Customer[] {
  return derivedOnce(store, 'customers by name', [store.revision('customers')], () =>
    [...store.all('customers')].sort((a, b) => a.name.localeCompare(b.name)),
  )
}

type Segments = ReadonlyMap<string, CustomerSummary['segment']>

/**
 * The customers the filter matches, by name. Filtering by segment needs every customer's segment
 * (handed back for the summaries); otherwise none is worked out here.
 */
function matchingCustomers(
  ctx: ServiceContext,
  filter: CustomerFilter,
): { customers: Customer[]; segments?: Segments } {
  const terms = queryTerms(filter.query ?? '')
  const byText = (customer: Customer) => matchesTerms(customerSearchText(customer), terms)
  if (!filter.segment) return { customers: customersByName(ctx.store).filter(byText) }
  const segments = loyaltySegments(ctx)
  const customers = customersByName(ctx.store).filter(
    (customer) => byText(customer) && segments.get(customer.id) === filter.segment,
  )
  return { customers, segments }
}

/** Each customer's cases and open cases, for the customers asked about only. */
function caseCountsOf(ctx: ServiceContext, customers: readonly Customer[]) {
  const counts = new Map(customers.map((c) => [c.id, { caseCount: 0, openCaseCount: 0 }]))
  for (const c of ctx.store.all('cases')) {
    const entry = counts.get(c.customerId)
    if (!entry) continue
    entry.caseCount++
    if (c.status !== 'closed') entry.openCaseCount++
  }
  return counts
}

/** The customers' rows; the segments of those asked about are worked out unless already known. */
function summaries(ctx: ServiceContext, customers: readonly Customer[], known?: Segments): CustomerSummary[] {
  const counts = caseCountsOf(ctx, customers)
  const segments = known ?? loyaltySegments(ctx, customers)
  return customers.map((customer) => {
    const segment = segments.get(customer.id)
    return { ...customer, ...counts.get(customer.id)!, ...(segment ? { segment } : {}) }
  })
}

export async function listCustomers(ctx: ServiceContext, input: CustomerFilter): Promise<CustomerSummary[]> {
  const { customers, segments } = matchingCustomers(ctx, input)
  return summaries(ctx, customers, segments)
}

/** A page of the Customers screen, in `customers:list`'s order. */
export function pageCustomers(ctx: ServiceContext, input: z.output<typeof CustomerPageInput>): CustomerPage {
  const { offset, limit, ...filter } = input
  const { customers, segments } = matchingCustomers(ctx, filter)
  return {
    total: customers.length,
    items: summaries(ctx, customers.slice(offset, offset + limit), segments),
    isComplete: ctx.store.isFullyLoaded,
  }
}

const customerNameText = searchTextCache<Customer>((c) => c.name)

/**
 * Names only: no case counts or loyalty segments, so a dialog opens without a pass over the
 * history; a dialog asks for the few names matching what was typed, not the tens of thousands.
 */
export async function customerNames(
  ctx: ServiceContext,
  input: z.output<typeof CustomerNamesInput>,
): Promise<{ id: string; name: string }[]> {
  const terms = queryTerms(input.query ?? '')
  const limit = input.limit ?? Infinity
  const found: { id: string; name: string }[] = []
  for (const c of customersByName(ctx.store)) {
    if (found.length >= limit) break
    if (matchesTerms(customerNameText(c), terms)) found.push({ id: c.id, name: c.name })
  }
  return found
}

export async function getCustomer(
  ctx: ServiceContext,
  input: { id: string },
): Promise<{ customer: Customer; cases: CaseSummary[] }> {
  const customer = requireCustomer(ctx, input.id)
  return { customer, cases: listCases(ctx, { customerId: customer.id }) }
}

export async function createCustomer(ctx: ServiceContext, input: z.output<typeof NewCustomer>): Promise<Customer> {
  const customer = buildCustomer(ctx, input)
  await ctx.store.commit([{ collection: 'customers', value: customer }])
  return customer
}

export async function updateCustomer(ctx: ServiceContext, input: z.output<typeof CustomerEdit>): Promise<Customer> {
  const { id, ...changes } = input
  const updated: Customer = { ...requireCustomer(ctx, id), ...changes }
  await ctx.store.commit([{ collection: 'customers', value: updated }])
  return updated
}

/** Likely existing customers for what the new-complaint dialog has so far (see shared/customers/match.ts). */
export async function customerMatches(
  ctx: ServiceContext,
  input: { name: string; phone?: string; email?: string },
): Promise<CustomerMatchOut[]> {
  return findCustomerMatches(input, ctx.store.all('customers')).map(({ customer, reason }) => ({
    customer: {
      id: customer.id,
      name: customer.name,
      ...(customer.email ? { email: customer.email } : {}),
      ...(customer.phone ? { phone: customer.phone } : {}),
    },
    reason,
  }))
}
