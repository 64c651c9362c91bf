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
  // Only the answered one: the others are raised by the replayed weekly sweeps, on the dates they
  // would have been raised, not all today.
  const answered = escalations.flatMap((e) => {
    if (e.patternKey !== key) return []
    const actor = { by: manager, at: now.toISOString() }
    const seen = acknowledgeEscalation(
      e,
      { manager, note: 'Seen. Late deliveries keep coming back; Tom and I will look at the evening rounds.' },
      actor,
    )
    return [
      planEscalationAction(
        seen,
        {
          what: 'Split the evening delivery round in two and check every van out by 19:00.',
          owner,
          dueAt: addDaysIn(timeZone, now, 14).toISOString(),
        },
        actor,
      ),
    ]
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
  /** Patterns the rules still find now: those cannot be resolved, as the app itself refuses. */
  activeKeys: ReadonlySet<string> = new Set(),
): Escalation[] {
  const quietDays = defaultEscalationSettings().quietDays
  const reviewed: Escalation[] = []
  for (const e of escalations) {
    const lastSeen = new Date(e.lastSeenAt)
    const quietFor = (now.getTime() - lastSeen.getTime()) / dayMs
    if (e.status !== 'raised' || quietFor < 21) continue
    const at = (days: number) => ({ by: manager, at: addDaysIn(timeZone, lastSeen, days).toISOString() })
    let answered: Escalation = acknowledgeEscalation(e, { manager, note: reviewNotes[e.rule] }, at(2))
    answered = planEscalationAction(answered, { what: planOf[e.rule], owner: manager, dueAt: at(16).at }, at(2))
    if (quietFor > quietDays + 1 && !activeKeys.has(e.patternKey)) {
      answered = resolveEscalation(answered, 'Quiet since the team briefing.', undefined, at(quietDays + 1))
    }
    reviewed.push(answered)
  }
  return reviewed
}

/** The action the sample's manager planned, by rule: what fits the kind of problem. */
const planOf: Record<Escalation['rule'], string> = {
  'recurring-failure': 'Brief the team and check the rota for this shift.',
  'prevention-failed': 'Replace the fix with one the team checks every shift.',
  'over-target': 'Agree a lower monthly target with the team lead and review it weekly.',
  'repeat-complainer': 'Call the customer personally and invite them back.',
  'heinrich-major': 'Meet the customer and follow the case to its close.',
  'heinrich-ladder': 'Brief every team on this category at the staff meeting.',
  'broken-promises': 'Promises go on the shift board, checked at close.',
  'recovery-overdue': 'Resolve the case today and check overdue cases every morning.',
}

/** What the sample's manager wrote when acknowledging, by rule: a note for the matter, not a stamp. */
const reviewNotes: Record<Escalation['rule'], string> = {
  'recurring-failure': 'Seen at the weekly review; the team lead will find the cause this week.',
  'prevention-failed': 'The fix did not hold. Asked the team for a better one.',
  'over-target': 'Over the target again: on the agenda for the monthly review.',
  'repeat-complainer': 'I will call the customer myself.',
  'heinrich-major': 'Called the customer; I am following the case.',
  'heinrich-ladder': 'Watching this across the teams; briefing at the next staff meeting.',
  'broken-promises': 'Talked to the team about promising less and keeping it.',
  'recovery-overdue': 'Asked the case owner to resolve it today.',
}

/**
 * The sample's manager reviews the escalations every week, as a desk that has used MakeGood all
 * along would: whatever an earlier weekly sweep raised was acknowledged the day after. What the
 * last sweep (a week ago) and today's raised is still waiting for this week's review: that is what
 * the inbox asks of the manager on first start.
 */
export function reviewWeekly(
  escalations: readonly Escalation[],
  now: Date,
  manager: string,
  timeZone: string,
): Escalation[] {
  const reviewed: Escalation[] = []
  for (const e of escalations) {
    if (e.status !== 'raised') continue
    const raising = [...e.history].reverse().find((h) => h.type !== 'evidence')
    if (!raising) continue
    const reviewAt = addDaysIn(timeZone, new Date(raising.at), 1)
    // This week's review is still to come: last week's sweep waits for it.
    if (new Date(raising.at).getTime() > now.getTime() - 10 * dayMs) continue
    reviewed.push(
      acknowledgeEscalation(e, { manager, note: reviewNotes[e.rule] }, { by: manager, at: reviewAt.toISOString() }),
    )
  }
  return reviewed
}
