import { type DemoData, type DemoPools, type ForcedStories, addDaysIn } from './demo'
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

/** The story the sample's late deliveries tell (resources/demo/stories.json). */
const lateDeliveryStory = 'late-delivery'

/**
 * Which sample cases are late deliveries, so the Delivery target is missed whatever day the sample
 * is made: three inside one calendar month (for the target) and the last 28 days (for the
 * recurring rule), this month if it is long enough yet, else the end of the previous one; and the
 * newest case, still open, so the pattern is unresolved.
 */
export function lateDeliveries(now: Date): ForcedStories {
  return (receivedTimes) => {
    const end = now.getTime()
    const windowStart = end - 28 * dayMs
    const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)
    const [from, to] = end - monthStart >= 14 * dayMs ? [monthStart, end] : [windowStart, monthStart]
    const indices = receivedTimes.map((at, index) => ({ at: at.getTime(), index }))
    const inRange = indices.filter(({ at }) => at >= from && at < to).slice(-3)
    const newest = indices.filter(({ at }) => at >= windowStart && at <= end).slice(-1)
    return new Map([...inRange, ...newest].map(({ index }) => [index, lateDeliveryStory]))
  }
}

/**
 * Shapes the sample data so the escalation feature is at work on first start: the late-delivery
 * problem in Delivery (recurring, and over its target of 2 a month; the cases are told by
 * `lateDeliveries`), found by the same sweep the app runs, and acknowledged by the manager with an
 * action planned. Pure and seeded like the rest of the demo: the same `now` gives the same data.
 */
export function withEscalationDemo(
  demo: DemoData,
  pools: DemoPools,
  now: Date,
  timeZone: string,
): { demo: DemoData; escalations: Escalation[] } {
  const owner = pools.staff.find((s) => s.department === department)?.name ?? ''
  const { cases } = demo
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
  return { demo: { ...demo, settings: { ...demo.settings, escalation: settings } }, escalations: answered }
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
