import { type Escalation, type EscalationRule, type EscalationSeverity, type EscalationStatus } from './schemas'
import { severityRank } from './sweep'

/**
 * The inbox's rows: escalations that are one problem for a manager shown together, so the list
 * fits a screen. Pure; the renderer and the tests use the same grouping.
 */

export type EscalationGroupKind = 'pattern' | 'repeat-complainers' | 'case' | 'single'

export type EscalationGroup<E extends GroupableEscalation = GroupableEscalation> = {
  /** Stable across refreshes: the row keeps its place and its open/closed state. */
  key: string
  kind: EscalationGroupKind
  /** The worst severity inside the group. */
  severity: EscalationSeverity
  /** The members, in the order they were given. */
  escalations: E[]
}

export type GroupableEscalation = Pick<Escalation, 'id' | 'rule' | 'subject' | 'severity' | 'status' | 'lastSeenAt'>

/**
 * The rules that describe one failure of one department (same category): a recurring failure,
 * its "prevention failed" follow-up and a missed target are the same problem seen three ways.
 */
const departmentPatternRules: readonly EscalationRule[] = ['recurring-failure', 'prevention-failed', 'over-target']
/** The rules about one case: a major case and its overdue recovery are one call to make. */
const caseRules: readonly EscalationRule[] = ['heinrich-major', 'recovery-overdue']

function groupKeyOf(e: GroupableEscalation): { key: string; kind: EscalationGroupKind } {
  if (e.rule === 'repeat-complainer') return { key: 'repeat-complainers', kind: 'repeat-complainers' }
  if (departmentPatternRules.includes(e.rule) && e.subject.department !== undefined && e.subject.category) {
    return { key: `pattern:${JSON.stringify([e.subject.department, e.subject.category])}`, kind: 'pattern' }
  }
  if (caseRules.includes(e.rule) && e.subject.caseId) return { key: `case:${e.subject.caseId}`, kind: 'case' }
  return { key: `single:${e.id}`, kind: 'single' }
}

/**
 * Groups escalations, keeping the order of each group's first member (the list comes sorted by
 * status, severity and age). Repeat complainers become one digest; a department's recurring
 * failure, prevention failed and target of one category one row; a case's major and overdue
 * escalations one row. A group of one is kept as it is (kind `single` when nothing joined it,
 * except the digest, which stays a digest even for one customer so it reads the same every day).
 */
export function groupEscalations<E extends GroupableEscalation>(escalations: readonly E[]): EscalationGroup<E>[] {
  const groups = new Map<string, EscalationGroup<E>>()
  for (const e of escalations) {
    const { key, kind } = groupKeyOf(e)
    const group = groups.get(key)
    if (group) {
      group.escalations.push(e)
      if (severityRank[e.severity] > severityRank[group.severity]) group.severity = e.severity
    } else {
      groups.set(key, { key, kind, severity: e.severity, escalations: [e] })
    }
  }
  return [...groups.values()].map((g) =>
    g.escalations.length === 1 && g.kind !== 'repeat-complainers' ? { ...g, kind: 'single' } : g,
  )
}

/** Filters of the inbox; an empty value means "any". */
export type EscalationFilter = {
  status?: EscalationStatus | 'open' | ''
  rule?: EscalationRule | ''
  department?: string
  severity?: EscalationSeverity | ''
  /** Who owns the planned action, or (before one is planned) the owner of the case behind it. */
  owner?: string
}

const openStatuses: readonly EscalationStatus[] = ['raised', 'acknowledged', 'action-planned']

export type FilterableEscalation = GroupableEscalation & Pick<Escalation, 'action'> & { caseOwner?: string }

export function matchesFilter(e: FilterableEscalation, filter: EscalationFilter): boolean {
  if (filter.status === 'open' && !openStatuses.includes(e.status)) return false
  if (filter.status && filter.status !== 'open' && e.status !== filter.status) return false
  if (filter.rule && e.rule !== filter.rule) return false
  if (filter.department && e.subject.department !== filter.department) return false
  if (filter.severity && e.severity !== filter.severity) return false
  if (filter.owner && (e.action?.owner ?? e.caseOwner) !== filter.owner) return false
  return true
}
