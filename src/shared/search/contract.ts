import { z } from 'zod'
import { method } from '../core/contract'
import { EscalationRule, EscalationSubject } from '../escalations/schemas'
import { StepKey, id, isoDateTime } from '../schemas'

/** The contract part of "search everywhere": one query over every kind of record the person keeps. */

/** The kinds a search finds, in the order the results show them. */
export const searchKinds = ['case', 'customer', 'grumble', 'promise', 'escalation', 'stepNote', 'timeline'] as const
export const SearchKind = z.enum(searchKinds)
export type SearchKind = z.infer<typeof SearchKind>

export const SearchInput = z
  .object({
    query: z.string().max(200),
    /** How many hits of each kind come back; the total says how many there are in all. */
    limit: z.number().int().min(1).max(200).default(10),
  })
  .strict()
export type SearchInput = z.input<typeof SearchInput>

/** One thing found. Step notes and timeline lines belong to a case: they open it. */
export const SearchHit = z.object({
  kind: SearchKind,
  /** The record's id: the case's for a step note or a timeline line. */
  id,
  /** The line a person knows the record by: a case's summary, a customer's name, a grumble's text, … */
  title: z.string(),
  /** The text that matched, cut around the first match when it is long. */
  excerpt: z.string(),
  /** When it happened: received, heard, made, last seen, written. */
  at: isoDateTime,
  caseId: id.optional(),
  caseNumber: z.string().optional(),
  customerId: id.optional(),
  customerName: z.string().optional(),
  /** A step note's step. */
  step: StepKey.optional(),
  /** A timeline line's author. */
  by: z.string().optional(),
  /** An escalation's rule and subject, for its title in the reader's language. */
  rule: EscalationRule.optional(),
  subject: EscalationSubject.optional(),
  /** A promise enforcing a service guarantee: its text comes from the guarantee. */
  guaranteeId: z.string().optional(),
})
export type SearchHit = z.infer<typeof SearchHit>

export const SearchGroup = z.object({ kind: SearchKind, total: z.number().int(), hits: z.array(SearchHit) })
export type SearchGroup = z.infer<typeof SearchGroup>

export const SearchResults = z.object({
  query: z.string(),
  /** Every kind, in `searchKinds` order, newest first inside each; empty groups included. */
  groups: z.array(SearchGroup),
})
export type SearchResults = z.infer<typeof SearchResults>

export const searchContract = {
  'search:everywhere': method(SearchInput, SearchResults, {
    // Waits for the whole history: a search that misses last year's case would mislead.
    reads: ['cases', 'customers', 'grumbles', 'promises', 'escalations'],
  }),
}
