import { type LoggedFailure, failureAsGrumble } from '../../../shared/costs/schemas'
import {
  type Detection,
  type Escalation,
  type EscalationGrumble,
  type EscalationSignal,
  type EscalationSettings,
  type PatternInput,
  type PatternRule,
  type SweepChange,
  brokenPromises,
  byPatternKey,
  changesFor,
  dayMs,
  findPatterns,
  grumbleHorizon,
  heinrichLadder,
  heinrichMajors,
  overTargets,
  overdueRecoveries,
  patternKeyOf,
  preventionFailures,
  recurringFailures,
  repeatComplainers,
} from '../../../shared/escalations/escalation'
import { escalationIdOf } from '../../../shared/escalations/sweep'
import { type Grumble } from '../../../shared/iceberg/schemas'
import { type PromiseFacts, promiseFacts } from '../promises/oldPromises'
import { type Case } from '../../../shared/schemas'
import { type StoreEngine } from '../../store/postgres/engine'
import { type RecordWatcher } from '../../store/store'
import {
  escalationGrumbleOf,
  escalationPromiseOf,
  escalationSignalOf,
  isResolutionPromise,
  resolutionDueOf,
} from './patternRecords'
import { recordsSince } from '../recordsFrom'
import { type SignalFacts, signalFacts } from '../iceberg/oldSignals'

/**
 * The incremental sweep. Every pattern the rules can find belongs to one group of records — a
 * department × category, a category, a case, a customer, a promise department, a promise
 * customer — and a pattern can only change when a record of its group changes, or when time
 * passes one of its records' dates (a promise falls due, a case dated ahead arrives). The index
 * follows every record change through the store's watcher, keeps the members of each group, and
 * marks the groups a change touches; the sweep after a change then runs the rules on those
 * groups' records alone and keeps only their patterns. Each group keeps its records themselves,
 * not their ids, and is looked at on its own by the rules that decide its patterns: a save then
 * costs about the size of the groups it touches, not of the store. Since the rules group records
 * exactly this way, the result is the full sweep's (the property test in
 * test/integration/incremental-sweep.test.ts checks it at every step of random histories). The
 * full sweep stays for start-up and the timer.
 */

/**
 * A group's members that can still count, by id. A failure logged without a customer is among the
 * grumbles; a case's own group holds only its resolution promises (the case is read when swept).
 */
type Group = {
  cases?: Map<string, Case>
  grumbles?: Map<string, EscalationGrumble>
  promises?: Map<string, PromiseFacts>
  signals?: Map<string, EscalationSignal>
}
type Dates = { at: number; groups: string[] }

const deptCategory = (department: string, category: string) => `dc:${JSON.stringify([department, category])}`
const categoryGroup = (category: string) => `cat:${category}`
const caseGroup = (id: string) => `case:${id}`
const customerGroup = (id: string) => `cust:${id}`
const promiseDepartment = (department: string) => `pdept:${department}`
const promiseCustomer = (id: string) => `pcust:${id}`

/** The rules that decide each kind of group's patterns. */
const rulesOfKind: Record<string, readonly PatternRule[]> = {
  dc: [recurringFailures, preventionFailures, overTargets],
  cat: [heinrichLadder],
  case: [heinrichMajors, overdueRecoveries],
  cust: [repeatComplainers],
  pdept: [brokenPromises],
  pcust: [brokenPromises],
}
/** A group's kind: the part of its key before the colon (`dc`, `cat`, `case`…). */
const groupKindOf = (group: string) => group.slice(0, group.indexOf(':'))

/** The patterns a group decides: the rules' keys for it. */
function patternKeysOf(group: string): string[] {
  const rest = group.slice(group.indexOf(':') + 1)
  switch (groupKindOf(group)) {
    case 'dc': {
      const [department, category] = JSON.parse(rest) as [string, string]
      return (['recurring-failure', 'prevention-failed', 'over-target'] as const).map((rule) =>
        patternKeyOf(rule, department, category),
      )
    }
    case 'cat':
      return [patternKeyOf('heinrich-ladder', rest)]
    case 'case':
      return [patternKeyOf('heinrich-major', rest), patternKeyOf('recovery-overdue', rest)]
    case 'cust':
      return [patternKeyOf('repeat-complainer', rest)]
    case 'pdept':
      return [patternKeyOf('broken-promises', 'department', rest)]
    default:
      return [patternKeyOf('broken-promises', 'customer', rest)]
  }
}

/** The group an escalation's pattern belongs to; undefined when it cannot be placed. */
function groupOfEscalation(e: Escalation): string | undefined {
  const { department, category, customerId, caseId } = e.subject
  const group = ((): string | undefined => {
    switch (e.rule) {
      case 'recurring-failure':
      case 'prevention-failed':
      case 'over-target':
        return department !== undefined && category !== undefined ? deptCategory(department, category) : undefined
      case 'heinrich-major':
      case 'recovery-overdue':
        return caseId !== undefined ? caseGroup(caseId) : undefined
      case 'heinrich-ladder':
        return category !== undefined ? categoryGroup(category) : undefined
      case 'broken-promises':
        return customerId !== undefined
          ? promiseCustomer(customerId)
          : department !== undefined
            ? promiseDepartment(department)
            : undefined
      case 'repeat-complainer':
        return customerId !== undefined ? customerGroup(customerId) : undefined
    }
  })()
  return group !== undefined && patternKeysOf(group).includes(e.patternKey) ? group : undefined
}

const parsed = (iso: string | undefined) => (iso ? Date.parse(iso) : NaN)
const preventAtOf = (c: Case) => {
  const step = c.steps.find((s) => s.key === 'prevent')
  return step?.status === 'done' ? parsed(step.at) : NaN
}

/** How far back a record can still count, per kind, at one moment (every rule's window, and a margin). */
function horizonsAt(settings: EscalationSettings, at: number) {
  const s = settings
  const caseDays = Math.max(
    s.recurringWindowDays,
    2 * s.preventionWindowDays,
    s.ladderWindowDays,
    s.repeatComplainerDays,
    62,
  )
  const promiseDays = Math.max(s.brokenPromiseWindowDays, s.customerBrokenPromiseWindowDays)
  const ladder = at - (s.ladderWindowDays + 1) * dayMs
  return {
    cases: at - (caseDays + 1) * dayMs,
    grumbles: grumbleHorizon(settings, new Date(at)),
    promises: at - (promiseDays + 1) * dayMs,
    // A category's only rule is the ladder, whose window is shorter than the others'.
    ladder,
    ladderIso: new Date(ladder).toISOString(),
  }
}
type Horizons = ReturnType<typeof horizonsAt>

/** A case counts for its department, category and customer while it or its fix is recent. */
const isRecentCase = (c: Case, h: Horizons) => !(Date.parse(c.receivedAt) <= h.cases) || preventAtOf(c) > h.cases
/** Whether a case can count in a group of this kind (a category's group: within the ladder's window). */
const caseCountsIn = (kind: string, c: Case, h: Horizons) =>
  kind === 'cat' ? Date.parse(c.receivedAt) > h.ladder : isRecentCase(c, h)
/** Only an open or broken promise can count as broken, and only while that is recent. */
const isLivePromise = (p: PromiseFacts, h: Horizons) =>
  Boolean(p.customerId) &&
  (p.status === 'open' || p.status === 'broken') &&
  (!(Date.parse(p.dueAt) <= h.promises) || parsed(p.closedAt) > h.promises)
const isRecentGrumble = (g: { category?: string; heardAt: string }, h: Horizons) =>
  Boolean(g.category) && g.heardAt >= h.grumbles
/** Whether a grumble can count in a group of this kind (a category's group: within the ladder's window). */
const grumbleCountsIn = (kind: string, g: { category?: string; heardAt: string }, h: Horizons) =>
  isRecentGrumble(g, h) && (kind !== 'cat' || g.heardAt >= h.ladderIso)

/** A min-heap of dates, so the dates a sweep has passed are found without a scan. */
class DateHeap {
  private items: Dates[] = []
  push(item: Dates): void {
    const items = this.items
    items.push(item)
    let i = items.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if ((items[parent] as Dates).at <= item.at) break
      items[i] = items[parent] as Dates
      i = parent
    }
    items[i] = item
  }
  peek(): Dates | undefined {
    return this.items[0]
  }
  pop(): Dates | undefined {
    const items = this.items
    const top = items[0]
    const last = items.pop()
    if (items.length === 0 || !last) return top
    let i = 0
    for (;;) {
      const left = 2 * i + 1
      if (left >= items.length) break
      const right = left + 1
      const child = right < items.length && (items[right] as Dates).at < (items[left] as Dates).at ? right : left
      if ((items[child] as Dates).at >= last.at) break
      items[i] = items[child] as Dates
      i = child
    }
    items[i] = last
    return top
  }
}

/**
 * What one sweep took from the index: given back if it fails. `elsewhere`: those of its groups
 * that other desks' changes had marked.
 */
export type Taken = { groups: Set<string>; dates: Dates[]; elsewhere: string[] }

export class SweepIndex implements RecordWatcher {
  /** The settings the index was built for: other settings, other windows, a new index. */
  readonly settings: EscalationSettings
  /** A restore, or an escalation the index cannot place: the next sweep must be a full one. */
  isStale = false
  /** The latest sweep's time: records are kept or dropped by what can still count from then on. */
  syncedAt: number
  private readonly groups = new Map<string, Group>()
  private readonly grumblesByCase = new Map<string, Set<string>>()
  private readonly escalationIds = new Map<string, string>()
  private dirty = new Set<string>()
  /**
   * Groups changed at other desks of the team database. A save here does not sweep them: each
   * desk then paid for every other desk's changes at its next save. The runtime sweeps them a
   * moment later (`sweepChangesElsewhere`), many changes to a group at once.
   */
  private dirtyElsewhere = new Set<string>()
  /** Where `onPut` marks the groups it touches: `dirty`, or `dirtyElsewhere` for another desk's change. */
  private marked = this.dirty
  private readonly dates = new DateHeap()
  private isSweeping = false
  private horizons: Horizons
  readonly stop: () => void

  constructor(
    private readonly store: StoreEngine,
    at: number,
  ) {
    this.settings = store.settings.escalation
    this.syncedAt = at
    this.horizons = horizonsAt(this.settings, at)
    for (const c of store.all('cases')) this.onPut('cases', undefined, c)
    // A grumble heard before the horizon is in no group and never will be (time only moves it
    // further out; a clock set back builds a new index): older months stay on disk.
    for (const g of recordsSince(store, 'grumbles', this.horizons.grumbles)) this.onPut('grumbles', undefined, g)
    for (const f of store.all('failures')) this.onPut('failures', undefined, f)
    // Old months' promises from their summaries, as their signals below.
    for (const p of promiseFacts(store)) this.onPut('promises', undefined, p)
    // Old months' signals from their summaries: the groups keep what the rules see, not the records.
    for (const s of signalFacts(store)) this.onPut('signals', undefined, s)
    for (const e of store.all('escalations')) this.escalationIds.set(e.patternKey, e.id)
    this.dirty.clear()
    this.stop = store.watch(this)
  }

  onReset(): void {
    this.isStale = true
  }

  onPut(collection: string, before: unknown, after: unknown, isElsewhere = false): void {
    if (this.isStale) return
    this.marked = isElsewhere ? this.dirtyElsewhere : this.dirty
    try {
      this.put(collection, before, after)
    } finally {
      this.marked = this.dirty
    }
  }

  /** Whether groups changed at other desks wait for a sweep. */
  get isChangedElsewhere(): boolean {
    return this.dirtyElsewhere.size > 0
  }

  private put(collection: string, before: unknown, after: unknown): void {
    switch (collection) {
      case 'cases':
        return this.putCase(before as Case | undefined, after as Case | undefined)
      case 'grumbles':
        return this.putGrumble(before as Grumble | undefined, after as Grumble | undefined)
      case 'failures':
        // A failure without a customer is grouped and counted like a grumble (failureAsGrumble).
        return this.putGrumble(
          before ? failureAsGrumble(before as LoggedFailure) : undefined,
          after ? failureAsGrumble(after as LoggedFailure) : undefined,
        )
      case 'promises':
        return this.putPromise(before as PromiseFacts | undefined, after as PromiseFacts | undefined)
      case 'signals':
        return this.putSignal(before as SignalFacts | undefined, after as SignalFacts | undefined)
      case 'escalations':
        return this.putEscalation(before as Escalation | undefined, after as Escalation | undefined)
    }
  }

  /** Puts a record in a group (or, with `undefined`, takes the one with this id out) and marks the group. */
  private member<K extends keyof Group>(
    group: string,
    kind: K,
    id: string,
    record: (NonNullable<Group[K]> extends Map<string, infer R> ? R : never) | undefined,
  ): void {
    this.marked.add(group)
    let found = this.groups.get(group)
    if (record === undefined) {
      found?.[kind]?.delete(id)
      return
    }
    if (!found) this.groups.set(group, (found = {}))
    ;((found[kind] ??= new Map()) as Map<string, typeof record>).set(id, record)
  }

  /**
   * When time passing a record's date can change its groups' patterns: at the date itself (a case
   * received, a grumble heard: the rules count it from then), or, with `isAfter`, the moment after
   * it (a promise is overdue only once its due time has passed).
   */
  private date(iso: string | undefined, groups: string[], isAfter = false): void {
    const at = parsed(iso) + (isAfter ? 1 : 0)
    if (at >= this.syncedAt) this.dates.push({ at, groups })
  }

  private putCase(before: Case | undefined, after: Case | undefined): void {
    const groupsOf = (c: Case) => [
      deptCategory(c.department, c.category),
      categoryGroup(c.category),
      customerGroup(c.customerId),
    ]
    // A case's own group is the case itself, read from the store when swept: no group to keep
    // for each of 100k cases.
    if (before) {
      this.marked.add(caseGroup(before.id))
      for (const group of groupsOf(before)) this.member(group, 'cases', before.id, undefined)
    }
    if (after) {
      this.marked.add(caseGroup(after.id))
      for (const group of groupsOf(after)) {
        const counts = caseCountsIn(groupKindOf(group), after, this.horizons)
        this.member(group, 'cases', after.id, counts ? after : undefined)
      }
      this.date(after.receivedAt, [caseGroup(after.id), ...groupsOf(after)])
      const preventAt = preventAtOf(after)
      if (preventAt >= this.syncedAt) this.dates.push({ at: preventAt, groups: [groupsOf(after)[0] as string] })
    }
    // A grumble turned into this case counts through the case once the case exists.
    const id = (after ?? before)?.id
    for (const grumbleId of (id && this.grumblesByCase.get(id)) || []) {
      const g = this.store.get('grumbles', grumbleId)
      if (g?.category) for (const group of this.grumbleGroups(g)) this.marked.add(group)
    }
  }

  private grumbleGroups(g: Grumble): string[] {
    return g.category ? [deptCategory(g.department ?? '', g.category), categoryGroup(g.category)] : []
  }

  private putGrumble(before: Grumble | undefined, after: Grumble | undefined): void {
    // A group holds the rules' view of a grumble, made once per stored record.
    const viewOf = (g: Grumble) => escalationGrumbleOf(g as Grumble & { category: string })
    if (before) {
      for (const group of this.grumbleGroups(before)) this.member(group, 'grumbles', before.id, undefined)
      if (before.caseId) this.grumblesByCase.get(before.caseId)?.delete(before.id)
    }
    if (after) {
      // Only a grumble that can count gets a view: a million old ones need none.
      for (const group of this.grumbleGroups(after)) {
        const counts = grumbleCountsIn(groupKindOf(group), after, this.horizons)
        this.member(group, 'grumbles', after.id, counts ? viewOf(after) : undefined)
      }
      if (after.category) this.date(after.heardAt, this.grumbleGroups(after))
      if (after.caseId) {
        let set = this.grumblesByCase.get(after.caseId)
        if (!set) this.grumblesByCase.set(after.caseId, (set = new Set()))
        set.add(after.id)
      }
    }
  }

  private promiseGroups(p: PromiseFacts): string[] {
    return p.customerId ? [promiseDepartment(p.department), promiseCustomer(p.customerId)] : []
  }

  private putPromise(before: PromiseFacts | undefined, after: PromiseFacts | undefined): void {
    if (before) {
      for (const group of this.promiseGroups(before)) this.member(group, 'promises', before.id, undefined)
      if (before.caseId) this.member(caseGroup(before.caseId), 'promises', before.id, undefined)
    }
    if (after) {
      const isLive = isLivePromise(after, this.horizons)
      const groups = this.promiseGroups(after)
      for (const group of groups) this.member(group, 'promises', after.id, isLive ? after : undefined)
      const isResolution = isResolutionPromise(after)
      if (isResolution) this.member(caseGroup(after.caseId), 'promises', after.id, after)
      this.date(after.dueAt, isResolution ? [...groups, caseGroup(after.caseId)] : groups, true)
      this.date(after.closedAt, groups)
    }
  }

  private putSignal(before: SignalFacts | undefined, after: SignalFacts | undefined): void {
    if (before) this.member(customerGroup(before.customerId), 'signals', before.id, undefined)
    if (after) {
      this.member(customerGroup(after.customerId), 'signals', after.id, escalationSignalOf(after))
      this.date(after.raisedAt, [customerGroup(after.customerId)])
    }
  }

  private putEscalation(before: Escalation | undefined, after: Escalation | undefined): void {
    if (before) this.escalationIds.delete(before.patternKey)
    if (after) this.escalationIds.set(after.patternKey, after.id)
    if (this.isSweeping) return
    // Acknowledged, resolved or dismissed by a person: its pattern is looked at again.
    for (const e of [before, after]) {
      if (!e) continue
      const group = groupOfEscalation(e)
      if (group === undefined) this.isStale = true
      else this.marked.add(group)
    }
  }

  /**
   * The groups to look at now: those changed since the last sweep and those whose dates `now` has
   * reached; with `isElsewhereToo`, those changed at other desks as well. A group taken is looked
   * at as it now is, other desks' changes to it included: it no longer waits for them.
   */
  take(now: number, { isElsewhereToo = false } = {}): Taken {
    const groups = this.dirty
    this.dirty = new Set()
    const dates: Dates[] = []
    for (let next = this.dates.peek(); next && next.at <= now; next = this.dates.peek()) {
      dates.push(this.dates.pop() as Dates)
      for (const group of next.groups) groups.add(group)
    }
    const elsewhere: string[] = []
    if (isElsewhereToo) {
      for (const group of this.dirtyElsewhere) {
        elsewhere.push(group)
        groups.add(group)
      }
      this.dirtyElsewhere.clear()
    } else {
      for (const group of groups) if (this.dirtyElsewhere.delete(group)) elsewhere.push(group)
    }
    this.syncedAt = Math.max(this.syncedAt, now)
    this.horizons = horizonsAt(this.settings, this.syncedAt)
    return { groups, dates, elsewhere }
  }

  /**
   * A sweep that failed: what it took is looked at again by the next one, a save's, and the
   * groups other desks' changes had marked by the next sweep of those too.
   */
  giveBack(taken: Taken): void {
    for (const group of taken.groups) this.dirty.add(group)
    for (const group of taken.elsewhere) this.dirtyElsewhere.add(group)
    for (const d of taken.dates) this.dates.push(d)
  }

  /** Commits the sweep's escalations without treating them as a person's changes. */
  commit(changes: SweepChange[], options: { mayWait?: boolean } = {}): Promise<void> {
    this.isSweeping = true
    try {
      return this.store.commit(
        changes.map((c) => ({ collection: 'escalations' as const, value: c.escalation })),
        options,
      )
    } finally {
      this.isSweeping = false
    }
  }

  /** The ids of the escalations that hold these patterns, stored or not yet. */
  escalationIdsOf(patternKeys: Iterable<string>): string[] {
    const ids = new Set<string>()
    for (const key of patternKeys) ids.add(this.escalationIds.get(key) ?? escalationIdOf(key))
    return [...ids]
  }

  /** The rules over the taken groups' records, keeping only those groups' patterns. */
  sweep(
    taken: Taken,
    now: Date,
    /** Filled with the keys of the patterns found: only their escalations decided the answer. */
    found?: Set<string>,
  ): SweepChange[] {
    if (taken.groups.size === 0) return []
    const detections = this.detect(taken.groups, now)
    for (const d of detections) found?.add(d.patternKey)
    const existing: Escalation[] = []
    for (const key of [...taken.groups].flatMap(patternKeysOf)) {
      const id = this.escalationIds.get(key)
      const e = id === undefined ? undefined : this.store.get('escalations', id)
      if (e) existing.push(e)
    }
    return changesFor(detections, existing, now)
  }

  /**
   * Runs the rules over the biggest groups of each kind and keeps nothing. The first saves after
   * start-up otherwise run their sweep's code uncompiled over a category's thousands of records
   * (twice to four times their later time at 100k cases). Changes nothing a sweep would not: a
   * group drops members that can no longer count, as any look at it does.
   */
  rehearse(now: Date, perKind = 3): void {
    const biggest = new Map<string, { key: string; size: number }[]>()
    for (const [key, group] of this.groups) {
      const size =
        (group.cases?.size ?? 0) +
        (group.grumbles?.size ?? 0) +
        (group.promises?.size ?? 0) +
        (group.signals?.size ?? 0)
      const kind = groupKindOf(key)
      const top = biggest.get(kind) ?? []
      if (top.length < perKind || size > top.at(-1)!.size) {
        top.push({ key, size })
        top.sort((a, b) => b.size - a.size)
        top.length = Math.min(top.length, perKind)
        biggest.set(kind, top)
      }
    }
    const groups = new Set([...biggest.values()].flatMap((top) => top.map((g) => g.key)))
    this.sweep({ groups, dates: [], elsewhere: [] }, now)
  }

  /**
   * Which of these escalations' patterns are happening at `now`, from their groups' records alone
   * (the same grouping the sweep relies on): the inbox asks for a page of escalations, not for
   * every pattern in the history. Undefined when an escalation cannot be placed in a group.
   */
  activeAmong(escalations: readonly Escalation[], now: Date): Set<string> | undefined {
    const groups = new Set<string>()
    for (const e of escalations) {
      const group = groupOfEscalation(e)
      if (group === undefined) return undefined
      groups.add(group)
    }
    const asked = new Set(escalations.map((e) => e.patternKey))
    const found = this.detect(groups, now).map((d) => d.patternKey)
    return new Set(found.filter((key) => asked.has(key)))
  }

  /** The patterns of these groups at `now`: each group's records under its own rules, in pattern-key order. */
  private detect(groupKeys: Iterable<string>, now: Date): Detection[] {
    const out: Detection[] = []
    for (const key of groupKeys) {
      const wanted = patternKeysOf(key)
      const rules = rulesOfKind[groupKindOf(key)] ?? []
      for (const d of findPatterns(this.inputOf(key, now), now, rules)) if (wanted.includes(d.patternKey)) out.push(d)
    }
    return out.sort(byPatternKey)
  }

  /** One group's records that can still count at `now`, as the rules take them. */
  private inputOf(key: string, now: Date): PatternInput {
    const at = now.getTime()
    const h = horizonsAt(this.settings, at)
    const group = this.groups.get(key) ?? {}
    const kind = groupKindOf(key)
    const store = this.store
    const resolutionDueAt: Record<string, string> = Object.create(null)
    if (kind === 'case') {
      const caseId = key.slice('case:'.length)
      const due = resolutionDueOf(counting(group.promises, () => true))
      if (due !== undefined) resolutionDueAt[caseId] = due
      const found = store.get('cases', caseId)
      return {
        cases: found ? [found] : [],
        grumbles: [],
        promises: [],
        signals: [],
        settings: this.settings,
        resolutionDueAt,
      }
    }
    return {
      cases: counting(group.cases, (c) => caseCountsIn(kind, c, h)),
      // One turned into a case is counted through its case when that case exists, as the full sweep does.
      grumbles: counting(
        group.grumbles,
        (g) => grumbleCountsIn(kind, g, h),
        (g) => !(g.caseId && store.get('cases', g.caseId)),
      ),
      promises: mapped(
        counting(group.promises, (p) => isLivePromise(p, h)),
        (p) => escalationPromiseOf(p, at),
      ),
      signals: [...(group.signals?.values() ?? [])],
      settings: this.settings,
      resolutionDueAt,
    }
  }
}

/**
 * A group's members that count at a moment. Those that no longer can leave the group for good:
 * time only moves on, and a change to the record puts it back. Those that stay but are counted
 * elsewhere for now (`isCountedHere` false) are left out of the answer only.
 */
function counting<T>(
  members: Map<string, T> | undefined,
  keep: (record: T) => boolean,
  isCountedHere: (record: T) => boolean = () => true,
): T[] {
  const out: T[] = []
  // forEach, not for…of: no [id, record] pair made for each of a category's thousands of members.
  members?.forEach((record, id) => {
    if (!keep(record)) members.delete(id)
    else if (isCountedHere(record)) out.push(record)
  })
  return out
}

function mapped<T, U>(items: Iterable<T>, map: (item: T) => U | undefined): U[] {
  const out: U[] = []
  for (const item of items) {
    const value = map(item)
    if (value !== undefined) out.push(value)
  }
  return out
}
