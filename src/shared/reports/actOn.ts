import { categoryLabel } from '../cases/categoryLabel'
import { formatMoney } from '../money/currency'
import { type ActOnItem, type ActOnRule, type Report, type ReportInput, type Translate } from './reportModel'
import { type Bounds, dueTimes, isBroken } from './insights'
import { storedTime } from '../core/storedTime'

/**
 * "Three things to act on": each rule below looks at the period and names at most one thing; the
 * first three rules that find something, in this order, open the report. The rules are written
 * out for managers in the README ("Three things to act on").
 */

export type ActOnContext = {
  input: ReportInput
  report: Omit<Report, 'actOn'>
  b: Bounds
  /** The period before and the same period a year earlier, where data exists (null otherwise). */
  previous: Bounds | null
  lastYear: Bounds | null
  /** The three periods before this one (the months before, for a month): the baseline of a rise. */
  baseline: Bounds[]
  now: number
  t: Translate | undefined
  categoryCounts: (b: Bounds) => Map<string, number>
}

const dayMs = 86_400_000

function say(ctx: ActOnContext, rule: ActOnRule, params: Record<string, unknown>): string {
  if (ctx.t) return ctx.t(`insights:actOn.rule.${rule}`, params)
  return `${rule}: ${Object.values(params).join(', ')}`
}

const pickMax = <T>(entries: [T, number][], tie: (a: T, b: T) => number): [T, number] | undefined =>
  [...entries].sort((x, y) => y[1] - x[1] || tie(x[0], y[0]))[0]

function categoryRise(ctx: ActOnContext): ActOnItem | null {
  const current = ctx.categoryCounts(ctx.b)
  const before = ctx.baseline.map((b) => ctx.categoryCounts(b))
  const rises: [string, number][] = [...current].map(([category, n]) => {
    const average = before.reduce((a, m) => a + (m.get(category) ?? 0), 0) / before.length
    return [category, n - average]
  })
  const best = pickMax(
    rises.filter(([, rise]) => rise > 0),
    (a, b) => (current.get(b) ?? 0) - (current.get(a) ?? 0) || a.localeCompare(b),
  )
  if (!best) return null
  const [category] = best
  const figure = current.get(category) ?? 0
  const average = Math.round((figure - best[1]) * 10) / 10
  return {
    rule: 'category-rise',
    text: say(ctx, 'category-rise', {
      category: categoryLabel(ctx.t, ctx.input.settings.categories, category),
      count: figure,
      average,
    }),
    figure,
    section: 'topCategories',
    previous: ctx.previous ? (ctx.categoryCounts(ctx.previous).get(category) ?? 0) : null,
    lastYear: ctx.lastYear ? (ctx.categoryCounts(ctx.lastYear).get(category) ?? 0) : null,
  }
}

function brokenBy(ctx: ActOnContext, b: Bounds, key: 'department' | 'guaranteeId'): Map<string, number> {
  const counts = new Map<string, number>()
  for (const p of dueTimes(ctx.input.promises ?? []).inside(b.start, b.end)) {
    const k = p[key]
    if (!k || p.status === 'renegotiated' || !isBroken(p, ctx.now)) continue
    counts.set(k, (counts.get(k) ?? 0) + 1)
  }
  return counts
}

function brokenRule(ctx: ActOnContext, rule: ActOnRule, key: 'department' | 'guaranteeId'): ActOnItem | null {
  const counts = brokenBy(ctx, ctx.b, key)
  const best = pickMax([...counts], (a, b) => a.localeCompare(b))
  if (!best) return null
  const [subject, figure] = best
  const name =
    key === 'guaranteeId'
      ? ((ctx.input.promises ?? []).find((p) => p.guaranteeId === subject)?.guaranteeName ?? subject)
      : subject
  return {
    rule,
    text: say(ctx, rule, { name, count: figure }),
    figure,
    section: 'promises',
    previous: ctx.previous ? (brokenBy(ctx, ctx.previous, key).get(subject) ?? 0) : null,
    lastYear: ctx.lastYear ? (brokenBy(ctx, ctx.lastYear, key).get(subject) ?? 0) : null,
  }
}

function oldestEscalation(ctx: ActOnContext): ActOnItem | null {
  const open = ctx.report.escalations.items.filter((e) => e.status === 'open')
  const oldest = [...open].sort((x, y) => x.raisedAt.localeCompare(y.raisedAt) || x.id.localeCompare(y.id))[0]
  if (!oldest) return null
  const asOf = Math.min(ctx.b.end, ctx.now)
  const days = Math.max(0, Math.floor((asOf - storedTime(oldest.raisedAt)) / dayMs))
  return {
    rule: 'oldest-unanswered-escalation',
    text: say(ctx, 'oldest-unanswered-escalation', { title: oldest.title, days }),
    figure: days,
    section: 'escalationItems',
    previous: null,
    lastYear: null,
  }
}

function costliestCategory(ctx: ActOnContext): ActOnItem | null {
  const top = ctx.report.costs.byCategory[0]
  if (!top) return null
  return {
    rule: 'costliest-category',
    text: say(ctx, 'costliest-category', {
      category: categoryLabel(ctx.t, ctx.input.settings.categories, top.category),
      amount: formatMoney(top.cost, ctx.report.locale, ctx.report.currency),
      count: top.failures,
    }),
    figure: top.cost,
    section: 'costs',
    previous: null,
    lastYear: null,
  }
}

/** The rules in the order they are tried; the first three that find something are shown. */
export function actOnItems(ctx: ActOnContext): ActOnItem[] {
  const rules: (() => ActOnItem | null)[] = [
    () => categoryRise(ctx),
    () => brokenRule(ctx, 'department-broken-promises', 'department'),
    () => oldestEscalation(ctx),
    () => brokenRule(ctx, 'guarantee-missed', 'guaranteeId'),
    () => costliestCategory(ctx),
  ]
  const out: ActOnItem[] = []
  for (const rule of rules) {
    if (out.length === 3) break
    const item = rule()
    if (item) out.push(item)
  }
  return out
}

/** Whole days of a bounds (for "three periods of the same length"). */
export const daysOf = (b: Bounds) => Math.round((b.end - b.start) / dayMs)
