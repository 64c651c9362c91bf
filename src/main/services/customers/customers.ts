import { type z } from 'zod'
import { type CaseSummary, type CustomerEdit, type CustomerSummary, type NewCustomer } from '../../../shared/api'
import { type Customer } from '../../../shared/schemas'
import { matchesTerms, queryTerms, searchTextCache } from '../../../shared/core/search'
import { listCases } from '../cases/cases'
import { type ServiceContext } from '../context'
import { loyaltySegments } from '../iceberg/loyalty'
import { buildCustomer, requireCustomer } from './customerRecords'
import { type CustomerMatchOut } from '../../../shared/trash/contract'
import { findCustomerMatches } from '../../../shared/customers/match'

const customerSearchText = searchTextCache<Customer>((c) => `${c.name} ${c.email ?? ''} ${c.phone ?? ''} ${c.notes}`)

export async function listCustomers(
  ctx: ServiceContext,
  input: { query?: string; segment?: CustomerSummary['segment'] },
): Promise<CustomerSummary[]> {
  const counts = new Map<string, { caseCount: number; openCaseCount: number }>()
  for (const c of ctx.store.all('cases')) {
    const entry = counts.get(c.customerId) ?? { caseCount: 0, openCaseCount: 0 }
    entry.caseCount++
    if (c.status !== 'closed') entry.openCaseCount++
    counts.set(c.customerId, entry)
  }
  const terms = queryTerms(input.query ?? '')
  const segments = loyaltySegments(ctx)
  const result: CustomerSummary[] = []
  for (const customer of ctx.store.all('customers')) {
    if (!matchesTerms(customerSearchText(customer), terms)) continue
    const segment = segments.get(customer.id)
    if (input.segment && segment !== input.segment) continue
    result.push({
      ...customer,
      ...(counts.get(customer.id) ?? { caseCount: 0, openCaseCount: 0 }),
      ...(segment ? { segment } : {}),
    })
  }
  return result.sort((a, b) => a.name.localeCompare(b.name))
}

/** Names only: no case counts or loyalty segments, so a dialog opens without a pass over the history. */
export async function customerNames(ctx: ServiceContext): Promise<{ id: string; name: string }[]> {
  return Array.from(ctx.store.all('customers'), (c) => ({ id: c.id, name: c.name })).sort((a, b) =>
    a.name.localeCompare(b.name),
  )
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
