import { normalizeForSearch } from '../../../shared/core/search'
import { type Case, type Customer } from '../../../shared/schemas'
import { type StoreEngine } from '../../store/postgres/engine'

/**
 * What a record names — its customer's name, its case's number — changes on its own (a customer
 * renamed), so it is not part of the record's search text: a search asks, per term, which
 * customers and cases hold it, and a record holds a term when its own words or what it names do.
 */

const nameTexts = new WeakMap<Customer | Case, string>()

/** A customer's name or a case's number, normalised, kept until the record is replaced. */
function nameText(record: Customer | Case): string {
  let text = nameTexts.get(record)
  if (text === undefined) {
    text = normalizeForSearch('name' in record ? record.name : record.number)
    nameTexts.set(record, text)
  }
  return text
}

/** Term by term, whether the record's name holds it: for the records holding at least one, by id. */
export type NamedTerms = ReadonlyMap<string, readonly boolean[]>

function termsInNames(records: Iterable<Customer | Case>, terms: readonly string[]): NamedTerms {
  const held = new Map<string, boolean[]>()
  for (const record of records) {
    const name = nameText(record)
    const holds = terms.map((term) => name.includes(term))
    if (holds.some(Boolean)) held.set(record.id, holds)
  }
  return held
}

export const termsInCustomerNames = (store: StoreEngine, terms: readonly string[]): NamedTerms =>
  termsInNames(store.all('customers'), terms)

export const termsInCaseNumbers = (store: StoreEngine, terms: readonly string[]): NamedTerms =>
  termsInNames(store.all('cases'), terms)

/** Term by term, held by one or the other. */
export function either(
  a: readonly boolean[] | undefined,
  b: readonly boolean[] | undefined,
): readonly boolean[] | undefined {
  if (!a || !b) return a ?? b
  return a.map((held, i) => held || b[i] === true)
}
