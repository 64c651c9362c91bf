import { type Detection, type PatternInput, byEvidenceOrder, findPatterns } from './patterns'
import {
  type Escalation,
  type EscalationEvent,
  type EscalationSeverity,
  type Evidence,
  checkedEvent,
  checkedEvidence,
  isOpenEscalation,
  noteMadeOfChecked,
} from './schemas'

/** The sweep: what the rules found, turned into new, updated or reopened escalations. */

// ---------------------------------------------------------------------------------------------
// The sweep
// ---------------------------------------------------------------------------------------------

/** Who the sweep acts as in an escalation's history. */
export const sweepActor = 'MakeGood'

/**
 * A stable id from the pattern key (FNV-1a, two 32-bit lanes): one pattern, one record for
 * ever, and the same data gives the same ids on every machine.
 */
export function escalationIdOf(patternKey: string): string {
  let a = 0x811c9dc5
  let b = 0x01000193 ^ 0x5bd1e995
  for (let i = 0; i < patternKey.length; i++) {
    const code = patternKey.charCodeAt(i)
    a = Math.imul(a ^ code, 0x01000193) >>> 0
    b = Math.imul(b ^ code, 0x5bd1e995) >>> 0
    b ^= b >>> 13
  }
  return `esc-${a.toString(16).padStart(8, '0')}${(b >>> 0).toString(16).padStart(8, '0')}`
}

export type SweepChangeKind = 'raised' | 'evidence' | 'reopened' | 're-raised'
export type SweepChange = { change: SweepChangeKind; escalation: Escalation; added: number }

export const severityRank: Record<EscalationSeverity, number> = { low: 0, medium: 1, high: 2 }
const maxSeverity = (a: EscalationSeverity, b: EscalationSeverity) => (severityRank[a] >= severityRank[b] ? a : b)
/**
 * Kind → ids of a long evidence list, kept while the list lives: a busy pattern (thousands of
 * pieces) is swept again at most saves, and gathering its ids each time took ~0.5 ms a save at
 * 100k cases (a few ms on the first saves after start-up). Lists are never changed in place, so
 * the ids stay right; a short list is gathered again, as it costs little.
 */
const idsOfLongList = new WeakMap<readonly Evidence[], Map<string, Set<string>>>()
const longList = 500
/**
 * The latest time of a long evidence list, kept while the list lives, as its ids are: a save adds
 * a piece or two to a busy pattern, and comparing its thousands of times again was the largest
 * item of the first saves' own time after start-up at 100k cases (up to ~2 ms a save). A list
 * grown from a known one (withAdded) is known from the pieces it adds.
 */
const latestOfLongList = new WeakMap<readonly Evidence[], string>()

/** Kind → ids: a piece of evidence is known by both (a case and a promise may share an id). */
function evidenceIds(evidence: readonly Evidence[]): Map<string, Set<string>> {
  const kept = idsOfLongList.get(evidence)
  if (kept) return kept
  const ids = new Map<string, Set<string>>()
  addIds(ids, evidence)
  if (evidence.length >= longList) idsOfLongList.set(evidence, ids)
  return ids
}

function addIds(ids: Map<string, Set<string>>, evidence: readonly Evidence[]): void {
  for (let i = 0; i < evidence.length; i++) {
    const e = evidence[i] as Evidence
    const set = ids.get(e.kind)
    if (set) set.add(e.id)
    else ids.set(e.kind, new Set([e.id]))
  }
}

/**
 * What is kept for `from` becomes what is kept for `grown` (`from` and `added`): the new list is
 * what the next sweep will find stored. Its ids move over (`from` gathers them again if it is ever
 * asked: a change not committed); its latest time holds for both, with the added pieces'.
 */
function handOverKept(from: readonly Evidence[], grown: readonly Evidence[], added: readonly Evidence[]): void {
  const at = latestOfLongList.get(from)
  if (at !== undefined) latestOfLongList.set(grown, latestOf(added, at))
  const ids = idsOfLongList.get(from)
  if (!ids) return
  idsOfLongList.delete(from)
  addIds(ids, added)
  idsOfLongList.set(grown, ids)
}
/**
 * Stored evidence (in order) with pieces added in their places: what sorting them all gives, the
 * stored pieces first among equals, without comparing each of the thousands stored again. The
 * stored list itself when nothing is added.
 */
function withAdded(evidence: Evidence[], added: readonly Evidence[]): Evidence[] {
  if (added.length === 0) return evidence
  const sorted = [...added].sort(byEvidenceOrder)
  const places: number[] = []
  let low = 0
  for (const piece of sorted) {
    // After every stored piece that does not sort after it (and after the previous piece's place).
    let high = evidence.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if (byEvidenceOrder(evidence[middle]!, piece) <= 0) low = middle + 1
      else high = middle
    }
    places.push(low)
  }
  const out = sorted.length <= fewAdded ? splicedIn(evidence, sorted, places) : mergedIn(evidence, sorted, places)
  noteMadeOfChecked(out, evidence, added)
  handOverKept(evidence, out, added)
  return out
}

/**
 * A save adds a piece or two: one copy made by the engine, then each piece spliced in from the
 * last. Pushing the thousands of stored pieces one at a time cost ~2 ms a save on the first saves
 * after start-up, but splicing costs a move of the list's tail per piece: many pieces are merged.
 */
const fewAdded = 16

function splicedIn(evidence: Evidence[], sorted: readonly Evidence[], places: readonly number[]): Evidence[] {
  const out = evidence.slice()
  for (let i = sorted.length - 1; i >= 0; i--) out.splice(places[i]!, 0, sorted[i]!)
  return out
}

function mergedIn(evidence: Evidence[], sorted: readonly Evidence[], places: readonly number[]): Evidence[] {
  const out: Evidence[] = []
  let from = 0
  for (let i = 0; i < sorted.length; i++) {
    for (; from < places[i]!; from++) out.push(evidence[from]!)
    out.push(sorted[i]!)
  }
  for (; from < evidence.length; from++) out.push(evidence[from]!)
  return out
}

/** The latest time among the pieces (`fallback` when there are none). */
function latest(evidence: readonly Evidence[], fallback: string): string {
  if (evidence.length === 0) return fallback
  const kept = latestOfLongList.get(evidence)
  if (kept !== undefined) return kept
  const at = latestOf(evidence, evidence[0]!.at)
  if (evidence.length >= longList) latestOfLongList.set(evidence, at)
  return at
}

function latestOf(evidence: readonly Evidence[], from: string): string {
  let max = from
  for (let i = 0; i < evidence.length; i++) {
    const at = (evidence[i] as Evidence).at
    if (at > max) max = at
  }
  return max
}

/**
 * Runs the rules at `now` and says what changes: new escalations, new evidence joining an open
 * one, a resolved one reopened ("prevention failed"), a dismissed one raised again by new
 * evidence. Deterministic and idempotent: applying the result and sweeping again at the same
 * time yields no changes.
 */
export function sweep(input: PatternInput, existing: readonly Escalation[], now: Date): SweepChange[] {
  return changesFor(findPatterns(input, now), existing, now)
}

/**
 * What these detections (the patterns found at `now`, their evidence in any order) change in the
 * existing escalations.
 */
export function changesFor(
  detections: readonly Detection[],
  existing: readonly Escalation[],
  now: Date,
): SweepChange[] {
  const at = now.toISOString()
  const byKey = new Map(existing.map((e) => [e.patternKey, e]))
  const changes: SweepChange[] = []
  for (const detection of detections) {
    const current = byKey.get(detection.patternKey)
    if (!current) {
      changes.push({ change: 'raised', added: detection.evidence.length, escalation: raise(detection, at) })
      continue
    }
    const known = evidenceIds(current.evidence)
    // Checked as they are made: the stored escalation's lists are then taken without a look at
    // their thousands of pieces when it is committed (see parseEscalation).
    const added = detection.evidence.filter((e) => !known.get(e.kind)?.has(e.id)).map(checkedEvidence)
    const evidenceNow = () => withAdded(current.evidence, added)
    if (isOpenEscalation(current)) {
      const severity = maxSeverity(current.severity, detection.severity)
      if (added.length === 0 && severity === current.severity) continue
      const evidence = evidenceNow()
      const history: EscalationEvent[] =
        added.length > 0 ? [checkedEvent({ at, by: sweepActor, type: 'evidence', count: added.length })] : []
      changes.push({
        change: 'evidence',
        added: added.length,
        escalation: {
          ...current,
          evidence,
          lastSeenAt: latest(evidence, current.lastSeenAt),
          severity,
          updatedAt: at,
          history: [...current.history, ...history],
        },
      })
      continue
    }
    // Resolved: it was quiet when resolved, so any return is the pattern coming back.
    // Dismissed: management judged that evidence; only new evidence raises it again.
    if (current.status === 'dismissed' && added.length === 0) continue
    const evidence = evidenceNow()
    const isReturn = current.status === 'resolved'
    const {
      acknowledgement: _acknowledgement,
      action: _action,
      resolution: _resolution,
      dismissal: _dismissal,
      ...rest
    } = current
    changes.push({
      change: isReturn ? 'reopened' : 're-raised',
      added: added.length,
      escalation: {
        ...rest,
        status: 'raised',
        severity: isReturn ? 'high' : maxSeverity(current.severity, detection.severity),
        evidence,
        lastSeenAt: latest(evidence, current.lastSeenAt),
        updatedAt: at,
        isPreventionFailed: current.isPreventionFailed || isReturn,
        reopenCount: current.reopenCount + 1,
        history: [
          ...current.history,
          checkedEvent({ at, by: sweepActor, type: isReturn ? 'reopened' : 're-raised', count: added.length }),
        ],
      },
    })
  }
  return changes
}

function raise(detection: Detection, at: string): Escalation {
  return {
    id: escalationIdOf(detection.patternKey),
    rule: detection.rule,
    patternKey: detection.patternKey,
    subject: detection.subject,
    severity: detection.severity,
    status: 'raised',
    evidence: [...detection.evidence].sort(byEvidenceOrder),
    firstRaisedAt: at,
    lastSeenAt: latest(detection.evidence, at),
    updatedAt: at,
    isPreventionFailed: false,
    reopenCount: 0,
    history: [{ at, by: sweepActor, type: 'raised', count: detection.evidence.length }],
  }
}
