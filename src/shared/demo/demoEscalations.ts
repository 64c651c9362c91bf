import { type DemoData, type DemoPools, addDaysIn } from './demo'
import {
  type Escalation,
  acknowledgeEscalation,
  defaultEscalationSettings,
  patternKeyOf,
  planEscalationAction,
  resolveEscalation,
  sweep,
} from '../escalations/escalation'
import { type FailureTarget } from '../escalations/settings'
import { type Case } from '../schemas'

const dayMs = 86_400_000
const department = 'Delivery'
const category = 'long-wait'

/** Targets a bistro might set: the Delivery one is missed in the sample data, the others are met. */
const demoTargets: FailureTarget[] = [
  { department, category, perMonth: 2 },
  { department: 'Kitchen', category: 'poor-quality', perMonth: 3 },
  { department: 'Front of house', category: 'rude-service', perMonth: 2 },
  { department: 'Online orders', category: 'on-hold', perMonth: 2 },
]

const unresolved: readonly Case['status'][] = ['open', 'in-recovery', 'reopened']

/**
 * Shapes the sample data so the escalation feature is at work on first start: a late-delivery
 * problem in Delivery (recurring, and over its target of 2 a month), found by the same sweep the
 * app runs, and acknowledged by the manager with an action planned. Pure and seeded like the
 * rest of the demo: the same `now` gives the same data.
 */
export function withEscalationDemo(
  demo: DemoData,
  pools: DemoPools,
  now: Date,
  timeZone: string,
): { demo: DemoData; escalations: Escalation[] } {
  const end = now.getTime()
  const windowStart = end - 28 * dayMs
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)
  // Three late deliveries inside one calendar month (for the target) and the last 28 days (for
  // the recurring rule): this month if it is long enough yet, else the end of the previous one.
  const [from, to] = end - monthStart >= 14 * dayMs ? [monthStart, end] : [windowStart, monthStart]
  const inRange = demo.cases
    .filter((c) => Date.parse(c.receivedAt) >= from && Date.parse(c.receivedAt) < to)
    .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))
  const latestOpen = [...demo.cases]
    .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))
    .find((c) => unresolved.includes(c.status) && Date.parse(c.receivedAt) >= windowStart)
  const chosen = new Set([...(latestOpen ? [latestOpen.id] : []), ...inRange.slice(0, 3).map((c) => c.id)])
  const owner = pools.staff.find((s) => s.department === department)?.name ?? ''
  const templates = pools.complaints[category] ?? []
  const cases = demo.cases.map((c) => (chosen.has(c.id) ? asLateDelivery(c, owner, templates) : c))
  const settings = { ...defaultEscalationSettings(), targets: demoTargets }
  const input = { cases, grumbles: [], promises: [], signals: [], settings }
  const escalations = sweep(input, [], now).map((change) => change.escalation)
  const manager = pools.staff[0]?.name ?? 'Manager'
  const key = patternKeyOf('recurring-failure', department, category)
  const answered = escalations.map((e) => {
    if (e.patternKey !== key) return e
    const actor = { by: manager, at: now.toISOString() }
    const seen = acknowledgeEscalation(
      e,
      { manager, note: 'Seen. Late deliveries keep coming back; Tom and I will look at the evening rounds.' },
      actor,
    )
    return planEscalationAction(
      seen,
      {
        what: 'Split the evening delivery round in two and check every van out by 19:00.',
        owner,
        dueAt: addDaysIn(timeZone, now, 14).toISOString(),
      },
      actor,
    )
  })
  return { demo: { ...demo, cases, settings: { ...demo.settings, escalation: settings } }, escalations: answered }
}

/** The same case, retold as a late delivery handled by the Delivery team. */
function asLateDelivery(c: Case, owner: string, templates: DemoPools['complaints'][string]): Case {
  const isChinese = /\p{Script=Han}/u.test(c.summary)
  const template =
    templates.find((t) => (isChinese ? t.lang === 'zh' : t.lang !== 'zh') && /Delivery|外卖/.test(t.summary)) ??
    templates[0]
  const rename = (by: string) => (by === c.owner ? owner : by)
  return {
    ...c,
    category,
    department,
    owner,
    ...(template
      ? { summary: template.summary, description: template.description, remedySought: template.remedy }
      : {}),
    steps: c.steps.map((s) => (s.by ? { ...s, by: rename(s.by) } : s)),
    timeline: c.timeline.map((event) => ({
      ...event,
      by: rename(event.by),
      ...(event.type === 'created' && template ? { after: template.summary } : {}),
    })),
    ...(c.closure ? { closure: { ...c.closure, closedBy: rename(c.closure.closedBy) } } : {}),
  }
}

/**
 * The sample's management at work: an escalation whose pattern has been quiet for three weeks was
 * acknowledged and answered with an action two days after its last sighting; one quiet for longer
 * than the quiet period was then resolved. So the sample shows every stage, as a real desk would.
 */
export function reviewQuietEscalations(
  escalations: readonly Escalation[],
  now: Date,
  manager: string,
  timeZone: string,
): Escalation[] {
  const quietDays = defaultEscalationSettings().quietDays
  const reviewed: Escalation[] = []
  for (const e of escalations) {
    const lastSeen = new Date(e.lastSeenAt)
    const quietFor = (now.getTime() - lastSeen.getTime()) / dayMs
    if (e.status !== 'raised' || quietFor < 21) continue
    const at = (days: number) => ({ by: manager, at: addDaysIn(timeZone, lastSeen, days).toISOString() })
    let answered: Escalation = acknowledgeEscalation(e, { manager, note: 'Discussed at the weekly review.' }, at(2))
    answered = planEscalationAction(
      answered,
      { what: 'Brief the team and check the rota for this shift.', owner: manager, dueAt: at(16).at },
      at(2),
    )
    if (quietFor > quietDays + 1) {
      answered = resolveEscalation(answered, 'Quiet since the team briefing.', undefined, at(quietDays + 1))
    }
    reviewed.push(answered)
  }
  return reviewed
}
