import { monthAt, monthOf, monthsEndingWith } from '../core/months'
import { type PatternInput } from './patterns'
import { type Escalation, type EscalationRule } from './schemas'
import { type SweepChange, sweep } from './sweep'

import { failuresOf } from './patterns'
/** What the sweep and the rules feed: notifications, the Departments view, and replays of past sweeps. */

// ---------------------------------------------------------------------------------------------
// Notifications and the Departments view
// ---------------------------------------------------------------------------------------------

export type EscalationNotice =
  { kind: 'raised' | 'reopened'; escalationId: string; rule: EscalationRule } | { kind: 'many'; count: number }

/**
 * Which sweep changes deserve a desktop notification: a new escalation, or one that came back.
 * New evidence joining an open one does not: management already has it. More than `max` at once
 * (a first start, an import) become one summary notice instead of a flood.
 */
export function noticesFor(changes: readonly SweepChange[], max = 3): EscalationNotice[] {
  const notices = changes.flatMap((c): EscalationNotice[] =>
    c.change === 'evidence'
      ? []
      : [
          {
            escalationId: c.escalation.id,
            kind: c.change === 'raised' ? 'raised' : 'reopened',
            rule: c.escalation.rule,
          },
        ],
  )
  return notices.length > max ? [{ kind: 'many', count: notices.length }] : notices
}

export type DepartmentRow = { category: string; counts: number[]; target?: number }
export type DepartmentTable = { department: string; rows: DepartmentRow[] }

/**
 * Each department's failures by category, month by month (the `monthCount` months up to and
 * including now's), beside its targets. Departments with a target or a failure appear.
 */
export function departmentFailures(
  input: Pick<PatternInput, 'cases' | 'grumbles' | 'settings'> & { departments: readonly string[] },
  now: Date,
  monthCount = 6,
): { months: string[]; departments: DepartmentTable[] } {
  const months = monthsEndingWith(monthAt(now), monthCount)
  const index = new Map(months.map((m, i) => [m, i]))
  const full: PatternInput = { ...input, promises: [], signals: [] }
  const counts = new Map<string, Map<string, number[]>>()
  const cell = (department: string, category: string) => {
    let byCategory = counts.get(department)
    if (!byCategory) counts.set(department, (byCategory = new Map()))
    let row = byCategory.get(category)
    if (!row) byCategory.set(category, (row = months.map(() => 0)))
    return row
  }
  for (const department of input.departments) cell(department, '')
  for (const target of input.settings.targets) cell(target.department, target.category)
  for (const f of failuresOf(full, now.getTime())) {
    const i = index.get(monthOf(f.iso))
    if (i === undefined) continue
    const row = cell(f.department, f.category)
    row[i] = (row[i] ?? 0) + 1
  }
  const departments = [...counts.entries()].map(([department, byCategory]) => ({
    department,
    rows: [...byCategory.entries()]
      .filter(([category]) => category !== '')
      .map(([category, row]) => {
        const target = input.settings.targets.find((t) => t.department === department && t.category === category)
        return { category, counts: row, ...(target ? { target: target.perMonth } : {}) }
      })
      .sort((a, b) => a.category.localeCompare(b.category)),
  }))
  const order = (d: string) => {
    const at = input.departments.indexOf(d)
    return at < 0 ? input.departments.length : at
  }
  departments.sort((a, b) => order(a.department) - order(b.department) || a.department.localeCompare(b.department))
  return { months, departments }
}

/** The records of `input` that already existed at `at`: what a sweep at that moment would have seen. */
export function patternInputAsOf(input: PatternInput, at: Date): PatternInput {
  const iso = at.toISOString()
  return {
    ...input,
    cases: input.cases.filter((c) => c.receivedAt <= iso),
    grumbles: input.grumbles.filter((g) => g.heardAt <= iso),
    promises: input.promises.flatMap((p) => {
      if (p.status !== 'broken') return [p]
      const brokenAt = p.brokenAt ?? p.due
      // Broken later than `at`: at that moment it was still an open promise.
      return brokenAt <= iso ? [p] : [{ ...p, status: 'open' as const }]
    }),
    signals: input.signals.filter((s) => s.detectedAt <= iso),
  }
}

/**
 * Sweeps at every instant of `instants` in turn, as if MakeGood had been running all along:
 * escalations then carry the dates they would have had. Used for imported or sample history;
 * returns the escalations that exist at the end, new or changed.
 */
export function replaySweeps(
  input: PatternInput,
  existing: readonly Escalation[],
  instants: readonly Date[],
): Escalation[] {
  const byKey = new Map(existing.map((e) => [e.patternKey, e]))
  const changed = new Map<string, Escalation>()
  for (const at of instants) {
    for (const { escalation } of sweep(patternInputAsOf(input, at), [...byKey.values()], at)) {
      byKey.set(escalation.patternKey, escalation)
      changed.set(escalation.patternKey, escalation)
    }
  }
  return [...changed.values()]
}
