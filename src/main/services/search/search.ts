import { type z } from 'zod'
import { byCodeUnits } from '../../../shared/core/order'
import {
  type SearchGroup,
  type SearchHit,
  type SearchInput,
  type SearchKind,
  type SearchResults,
  searchKinds,
} from '../../../shared/search/contract'
import { matchesTerms, normalizeForSearch, queryTerms } from '../../../shared/core/search'
import { type Case, type Customer, type TimelineEvent } from '../../../shared/schemas'
import { type Grumble } from '../../../shared/iceberg/schemas'
import { type CustomerPromise } from '../../../shared/promises/promises'
import {
  type OldGrumbleMonth,
  grumblesInMemory,
  warmOldGrumbles,
  customerAt,
  oldGrumbleMonths,
  ownSearchText,
  readOldGrumble,
} from '../iceberg/oldGrumbles'
import { type ServiceContext } from '../context'
import { casesHolding } from '../cases/cases'
import { corpusOf, lineAt } from './searchCorpus'
import { type MonthText, recordsInMemory } from '../coldSummaries'
import {
  type OldPromiseMonth,
  oldPromiseMonths,
  promiseCustomerAt,
  promiseFactsAt,
  promiseOf,
  promiseOwnText,
  warmOldPromises,
} from '../promises/oldPromises'
import { either, termsInCaseNumbers, termsInCustomerNames } from './namedTerms'

/**
 * "Search everywhere". The many (cases, their lines, grumbles, promises) are found through their
 * kind's corpus (searchCorpus.ts), what they name (a customer's name, a case's number) apart; old
 * grumbles through their month's text. The few (customers, escalations) keep each record's
 * normalised text until the record (or a record it names) is replaced: records are immutable, so
 * a WeakMap keyed by the record is always current and never leaks.
 */
const texts = new WeakMap<object, { text: string; first: unknown; second: unknown }>()

/**
 * The record's normalised text, made again only when one of the (at most two) things it names
 * has changed. Two fields rather than an array: a million cached texts, a million arrays fewer.
 */
function cachedText(record: object, build: () => string, first?: unknown, second?: unknown): string {
  const cached = texts.get(record)
  if (cached && cached.first === first && cached.second === second) return cached.text
  const text = normalizeForSearch(build())
  texts.set(record, { text, first, second })
  return text
}

/** One of a case's texts as its own searchable line: a step note or a timeline line. */
type CaseLine = { text: string; raw: string; at: string; step?: Case['steps'][number]['key']; by?: string }

/**
 * The timeline lines worth finding: what people wrote (notes, edited values, hand-offs). A step
 * event's note is the step note, already found as one unless the step was reopened since; the
 * "created" line repeats the summary; statuses and ids are not words anyone types.
 */
function timelineRaw(c: Case, event: TimelineEvent): string {
  if (event.type === 'created') return ''
  if (event.type === 'step') {
    const step = c.steps.find((s) => s.key === event.field)
    return event.note && event.note !== step?.note ? event.note : ''
  }
  const values = event.type === 'edit' || event.type === 'assign' ? [event.before, event.after] : []
  const isIdField = ['category', 'severity', 'channel', 'source', 'status'].includes(event.field ?? '')
  return [...(isIdField ? [] : values), event.note]
    .filter((v): v is string => typeof v === 'string' && v !== '')
    .join(' · ')
}

/** A case's step notes and timeline lines, normalised: made for the cases whose lines hold every term. */
function linesOf(c: Case): { stepNotes: CaseLine[]; timeline: CaseLine[] } {
  const stepNotes: CaseLine[] = c.steps
    .filter((s) => s.note)
    .map((s) => ({ raw: s.note ?? '', text: normalizeForSearch(s.note ?? ''), at: s.at ?? c.updatedAt, step: s.key }))
  const timeline: CaseLine[] = []
  for (const event of c.timeline) {
    const raw = timelineRaw(c, event)
    if (raw) timeline.push({ raw, text: normalizeForSearch(raw), at: event.at, by: event.by })
  }
  return { stepNotes, timeline }
}

/**
 * All of a case's lines as one text, one line each: the corpus finds the cases whose lines hold
 * every term (terms may sit in different lines), and only their lines are then looked at.
 */
const allLinesOf = (c: Case): string =>
  [...c.steps.map((s) => s.note ?? ''), ...c.timeline.map((event) => timelineRaw(c, event))]
    .filter((line) => line !== '')
    .join('\n')

/** The text around the first match, so a long note shows why it was found. */
export function excerptOf(text: string, terms: readonly string[], width = 160): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()]
  if (chars.length <= width) return chars.join('')
  // Where each normalised character came from: accents removed and width folded change lengths.
  let normalized = ''
  const origin: number[] = []
  chars.forEach((ch, i) => {
    const n = normalizeForSearch(ch)
    for (let k = 0; k < n.length; k++) origin.push(i)
    normalized += n
  })
  const found = terms.map((term) => normalized.indexOf(term)).filter((p) => p >= 0)
  const first = found.length > 0 ? (origin[Math.min(...found)] ?? 0) : 0
  const start = Math.max(0, Math.min(first - 40, chars.length - width))
  const end = start + width
  return `${start > 0 ? '…' : ''}${chars.slice(start, end).join('')}${end < chars.length ? '…' : ''}`
}

/** A record found: its time and what orders the same time (its id), and how to make its hit. */
type Found = { hit: () => SearchHit; at: string; tie: string }

/**
 * Newest first (the same moment: by id), the first `limit` made into hits (only those: a common
 * word may match thousands).
 */
function group(kind: SearchKind, found: Found[], limit: number): SearchGroup {
  found.sort((a, b) => byCodeUnits(b.at, a.at) || byCodeUnits(a.tie, b.tie))
  return { kind, total: found.length, hits: found.slice(0, limit).map((f) => f.hit()) }
}

/**
 * Cases, customers, grumbles, promises, escalations, step notes and timeline lines whose text
 * holds every term of the query (accents, case and full-width ignored; Chinese cut into words),
 * grouped by kind. An empty query finds nothing.
 */
export function searchEverywhere(ctx: ServiceContext, input: z.output<typeof SearchInput>): SearchResults {
  const terms = queryTerms(input.query)
  if (terms.length === 0) {
    return { query: input.query, groups: searchKinds.map((kind) => ({ kind, total: 0, hits: [] })) }
  }
  const { store } = ctx
  const customerOf = (customerId: string | undefined): Customer | undefined =>
    customerId ? store.get('customers', customerId) : undefined
  const caseOf = (caseId: string | undefined): Case | undefined => (caseId ? store.get('cases', caseId) : undefined)
  const matches = (text: string) => matchesTerms(text, terms)
  const found: Record<SearchKind, Found[]> = {
    case: [],
    customer: [],
    grumble: [],
    promise: [],
    escalation: [],
    stepNote: [],
    timeline: [],
  }

  const casesFound = casesHolding(ctx, terms)
  const linesFound = new Set(
    corpusOf(store, 'case-lines', 'cases', () => store.all('cases'), allLinesOf).matching(terms, () => undefined),
  )
  for (const c of store.all('cases')) {
    const onCase = { caseId: c.id, caseNumber: c.number, customerId: c.customerId }
    if (casesFound.has(c)) {
      found.case.push({
        at: c.receivedAt,
        tie: c.id,
        hit: () => ({
          kind: 'case',
          id: c.id,
          ...onCase,
          customerName: customerOf(c.customerId)?.name,
          title: c.summary,
          excerpt: excerptOf(
            [c.summary, c.description, c.remedySought].find((v) => matches(normalizeForSearch(v))) ?? c.summary,
            terms,
          ),
          at: c.receivedAt,
        }),
      })
    }
    if (!linesFound.has(c)) continue
    const lines = linesOf(c)
    for (const [kind, list] of [
      ['stepNote', lines.stepNotes],
      ['timeline', lines.timeline],
    ] as const) {
      for (const line of list) {
        if (!matches(line.text)) continue
        found[kind].push({
          at: line.at,
          tie: c.id,
          hit: () => ({
            kind,
            id: c.id,
            ...onCase,
            customerName: customerOf(c.customerId)?.name,
            title: c.summary,
            excerpt: excerptOf(line.raw, terms),
            at: line.at,
            ...(line.step ? { step: line.step } : {}),
            ...(line.by ? { by: line.by } : {}),
          }),
        })
      }
    }
  }

  for (const customer of store.all('customers')) {
    const text = cachedText(customer, () =>
      [customer.name, customer.email ?? '', customer.phone ?? '', customer.notes].join(' '),
    )
    if (!matches(text)) continue
    found.customer.push({
      at: customer.createdAt,
      tie: customer.id,
      hit: () => {
        const fields = [customer.name, customer.email ?? '', customer.phone ?? '', customer.notes]
        return {
          kind: 'customer',
          id: customer.id,
          customerId: customer.id,
          customerName: customer.name,
          title: customer.name,
          excerpt: excerptOf(fields.find((v) => v && matches(normalizeForSearch(v))) ?? customer.name, terms),
          at: customer.createdAt,
        }
      },
    })
  }

  const grumbleHit = (g: Grumble): SearchHit => {
    const customer = customerOf(g.customerId)
    return {
      kind: 'grumble',
      id: g.id,
      title: g.text,
      excerpt: excerptOf(matches(normalizeForSearch(g.suggestion)) ? g.suggestion : g.text, terms),
      at: g.heardAt,
      ...(g.customerId ? { customerId: g.customerId, customerName: customer?.name } : {}),
      ...(g.caseId ? { caseId: g.caseId, caseNumber: caseOf(g.caseId)?.number } : {}),
    }
  }
  const inNames = termsInCustomerNames(store, terms)
  const grumbles = corpusOf(store, 'grumbles', 'grumbles', () => grumblesInMemory(store), ownSearchText)
  for (const g of grumbles.matching(terms, (g) => inNames.get(g.customerId ?? '')))
    found.grumble.push({ at: g.heardAt, tie: g.id, hit: () => grumbleHit(g) })
  // An old grumble's id is read only for a hit: its line orders the same time (a time is in one
  // month, so beside grumbles of that month only).
  const grumbleNamesAt = (month: OldGrumbleMonth, line: number) => inNames.get(customerAt(month, line) ?? '')
  for (const { month, line } of oldLinesMatching(oldGrumbleMonths(store), terms, grumbleNamesAt, inNames.size > 0)) {
    const tie = String(line).padStart(10, '0')
    found.grumble.push({ at: month.heardAt[line]!, tie, hit: () => grumbleHit(readOldGrumble(month, line)) })
  }

  const inNumbers = termsInCaseNumbers(store, terms)
  const promiseNames = (p: Pick<CustomerPromise, 'customerId' | 'caseId'>) =>
    either(inNames.get(p.customerId ?? ''), inNumbers.get(p.caseId ?? ''))
  const promiseHit = (p: CustomerPromise): SearchHit => {
    const customer = customerOf(p.customerId)
    const onCase = caseOf(p.caseId)
    return {
      kind: 'promise',
      id: p.id,
      title: p.what,
      excerpt: excerptOf(
        [p.what, p.note ?? '', p.compensation ?? ''].find((v) => v && matches(normalizeForSearch(v))) ?? p.what,
        terms,
      ),
      at: p.madeAt,
      ...(p.guaranteeId ? { guaranteeId: p.guaranteeId } : {}),
      ...(p.customerId ? { customerId: p.customerId, customerName: customer?.name } : {}),
      ...(onCase ? { caseId: onCase.id, caseNumber: onCase.number } : {}),
    }
  }
  const promises = corpusOf<CustomerPromise>(
    store,
    'promises',
    'promises',
    () => recordsInMemory(store, 'promises'),
    promiseOwnText,
  )
  for (const p of promises.matching(terms, promiseNames))
    found.promise.push({ at: p.madeAt, tie: p.id, hit: () => promiseHit(p) })
  const promiseNamesAt = (month: OldPromiseMonth, line: number) =>
    promiseNames({ customerId: promiseCustomerAt(month, line), caseId: month.caseIds[line] })
  const hasNames = inNames.size > 0 || inNumbers.size > 0
  for (const { month, line } of oldLinesMatching(oldPromiseMonths(store), terms, promiseNamesAt, hasNames)) {
    const facts = promiseFactsAt(month, line)
    found.promise.push({ at: facts.madeAt, tie: facts.id, hit: () => promiseHit(promiseOf(facts)) })
  }

  for (const e of store.all('escalations')) {
    const customer = customerOf(e.subject.customerId)
    const onCase = caseOf(e.subject.caseId)
    const written = [
      e.acknowledgement?.note,
      e.action?.what,
      e.action?.owner,
      e.resolution?.note,
      e.dismissal?.note,
      ...e.history.map((h) => h.note),
    ].filter((v): v is string => typeof v === 'string' && v !== '')
    const text = cachedText(
      e,
      () =>
        [
          e.rule.replaceAll('-', ' '),
          e.subject.department ?? '',
          e.subject.category ?? '',
          customer?.name ?? '',
          onCase?.number ?? '',
          ...written,
        ].join(' '),
      customer,
      onCase?.number,
    )
    if (!matches(text)) continue
    found.escalation.push({
      at: e.lastSeenAt,
      tie: e.id,
      hit: () => ({
        kind: 'escalation',
        id: e.id,
        title: e.rule,
        excerpt: excerptOf(written.find((v) => matches(normalizeForSearch(v))) ?? '', terms),
        at: e.lastSeenAt,
        rule: e.rule,
        subject: e.subject,
        ...(customer ? { customerId: customer.id, customerName: customer.name } : {}),
        ...(onCase ? { caseId: onCase.id, caseNumber: onCase.number } : {}),
      }),
    })
  }

  return {
    query: input.query,
    groups: searchKinds.map((kind) => group(kind, found[kind], input.limit)),
  }
}

/**
 * The lines of months left on disk whose own words and names (a customer's, a case's number)
 * hold every term. Terms are words without spaces (queryTerms), so a term is in "words names"
 * exactly when it is in the words or in a name: each month's text is searched for the first
 * term, then each line found (and each line whose names hold it) for the others.
 */
function* oldLinesMatching<M extends MonthText & { count: number }>(
  months: readonly M[],
  terms: readonly string[],
  namedAt: (month: M, line: number) => readonly boolean[] | undefined,
  hasNames: boolean,
): Generator<{ month: M; line: number }> {
  if (months.length === 0) return
  const needles = terms.map((term) => Buffer.from(term, 'utf8'))
  for (const month of months) {
    const { text, starts } = month
    const wordsHold = (line: number, term: number) =>
      text.subarray(starts[line], starts[line + 1]! - 1).indexOf(needles[term]!) >= 0
    const holdsAll = (line: number) => {
      const named = namedAt(month, line)
      return needles.every((_, term) => named?.[term] === true || wordsHold(line, term))
    }
    for (let at = text.indexOf(needles[0]!); at >= 0;) {
      const line = lineAt(starts, at)
      if (holdsAll(line)) yield { month, line }
      at = text.indexOf(needles[0]!, starts[line + 1])
    }
    if (!hasNames) continue
    for (let line = 0; line < month.count; line++) {
      if (namedAt(month, line)?.[0] !== true || wordsHold(line, 0)) continue
      if (holdsAll(line)) yield { month, line }
    }
  }
}

/** Normalises every record's search text ahead of the first search (run once history has loaded). */
export async function warmSearchEverywhere(ctx: ServiceContext): Promise<void> {
  await warmOldGrumbles(ctx.store)
  await warmOldPromises(ctx.store)
  searchEverywhere(ctx, { query: 'x', limit: 1 })
}
