import { type Case } from '../schemas'
import { TimeIndex, timeOf } from './timeIndex'

/**
 * Failures as the report counts them (docs/report.md, "Failures"): every case received in the
 * period, every grumble heard in it that did not become one of those cases, and every failure
 * logged in it with no customer (a late delivery truck). A promoted grumble is its case, so it counts once — the same list the Departments screen counts.
 */

export type ReportFailure = { category: string; department: string }

type FailureInput = {
  cases: readonly Pick<Case, 'id' | 'category' | 'department' | 'receivedAt'>[]
  grumbles?: readonly { at: string; category?: string; department?: string; caseId?: string }[]
  /** Failures logged with no customer (a late truck): each counts once. */
  failures?: readonly { at: string; category: string; department: string }[]
}

const failureIndexes = new WeakMap<FailureInput, TimeIndex<ReportFailure>>()

/**
 * The failures of a window [start, end) in epoch ms, in the order cases, grumbles, failures. The
 * failures are listed, with their times parsed, once per input: a report asks for a dozen windows.
 */
export function failuresInside(input: FailureInput, window: { start: number; end: number }): ReportFailure[] {
  let index = failureIndexes.get(input)
  if (!index) {
    const caseIds = new Set(input.cases.map((c) => c.id))
    const failures: ReportFailure[] = []
    const times: string[] = []
    // A record that names both its category and its department stands for its own failure: no
    // copy of a million grumbles' two fields made for each report.
    const add = (at: string, record: { category?: string; department?: string }) => {
      const { category, department } = record
      failures.push(
        category !== undefined && department !== undefined
          ? (record as ReportFailure)
          : { category: category ?? '', department: department ?? '' },
      )
      times.push(at)
    }
    for (const c of input.cases) add(c.receivedAt, c)
    for (const g of input.grumbles ?? []) {
      if (g.caseId === undefined || !caseIds.has(g.caseId)) add(g.at, g)
    }
    for (const f of input.failures ?? []) add(f.at, f)
    index = new TimeIndex(failures, (_, i) => (times[i] ? timeOf(times[i]) : Number.NaN))
    failureIndexes.set(input, index)
  }
  return index.inside(window.start, window.end)
}

/** Failures per category (a grumble with no category counts in no category). */
export function categoryTally(failures: readonly ReportFailure[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const f of failures) if (f.category) counts.set(f.category, (counts.get(f.category) ?? 0) + 1)
  return counts
}

/** A monthly target of a department for one category (the escalation settings). */
export type CategoryTarget = { department: string; category: string; perMonth: number }

export type DepartmentFigure = {
  department: string
  /** Every failure of the department in the period, whatever its category. */
  failures: number
  /** The department's target: a whole-department number, or the sum of its category targets; null when none. */
  target: number | null
  /** Within target: the whole-department number, or every category at or under its own target. */
  metTarget: boolean | null
  /** Each category with a failure or a target: its failures beside its target (null when it has none). */
  categories: { category: string; failures: number; target: number | null; metTarget: boolean | null }[]
}

/**
 * Each department's failures: the named departments (zero when none) and any other a failure
 * names, most failures first. `wholeTargets` are department-wide numbers; `categoryTargets`
 * are per category, as set on the Departments screen.
 */
export function departmentFigures(
  failures: readonly ReportFailure[],
  departments: readonly string[],
  categoryTargets: readonly CategoryTarget[],
  wholeTargets: Readonly<Record<string, number>> = {},
): DepartmentFigure[] {
  const byDepartment = new Map<string, Map<string, number>>()
  const row = (department: string) => {
    let m = byDepartment.get(department)
    if (!m) byDepartment.set(department, (m = new Map()))
    return m
  }
  for (const d of departments) row(d)
  for (const t of categoryTargets) row(t.department).set(t.category, row(t.department).get(t.category) ?? 0)
  for (const f of failures) {
    if (!f.department) continue
    const m = row(f.department)
    m.set(f.category, (m.get(f.category) ?? 0) + 1)
  }
  return [...byDepartment.entries()]
    .map(([department, counts]): DepartmentFigure => {
      const failuresOf = [...counts.values()].reduce((a, n) => a + n, 0)
      const categories = [...counts.entries()]
        .filter(([category]) => category !== '')
        .map(([category, n]) => {
          const target = categoryTargets.find((t) => t.department === department && t.category === category)
          return target
            ? { category, failures: n, target: target.perMonth, metTarget: n <= target.perMonth }
            : { category, failures: n, target: null, metTarget: null }
        })
        .sort((a, b) => b.failures - a.failures || a.category.localeCompare(b.category))
      const whole = Object.hasOwn(wholeTargets, department) ? wholeTargets[department] : undefined
      const targeted = categories.filter((c) => c.target !== null)
      if (whole !== undefined) {
        return { department, failures: failuresOf, target: whole, metTarget: failuresOf <= whole, categories }
      }
      if (targeted.length === 0) return { department, failures: failuresOf, target: null, metTarget: null, categories }
      return {
        department,
        failures: failuresOf,
        target: targeted.reduce((a, c) => a + (c.target ?? 0), 0),
        metTarget: targeted.every((c) => c.metTarget),
        categories,
      }
    })
    .sort((x, y) => y.failures - x.failures || x.department.localeCompare(y.department))
}
