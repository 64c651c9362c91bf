import { addMinutes } from 'date-fns'
import { closeSignal, episodeOf, valueAtRisk } from '../iceberg/churn'
import { type DemoData, seededRandom, addDaysIn } from './demo'
import { type Activity, type Grumble, type Signal } from '../iceberg/schemas'
import { defaultIcebergSettings } from '../iceberg/settings'
import { type Case } from '../schemas'

/** The shape of `resources/demo/iceberg.json`. */
export type IcebergDemoPools = {
  grumbles: { lang: string; category: string; department: string; text: string; suggestion: string }[]
}

export type IcebergDemo = { grumbles: Grumble[]; activities: Activity[]; signals: Signal[]; cases: Case[] }

/**
 * How each sample customer (by position in sample.json) behaves over the last year: most are
 * steady, a few slow down, spend less or vanish, some come without rhythm, two were flagged
 * before and settled (one won back, one false alarm), one was recorded as lost.
 */
type Profile = {
  every: number
  spend: number
  /** Days since the last visit. */
  lastAgo?: number
  /** Intervals of the last visits, when they slowed down. */
  slowedTo?: number[]
  /** Spend of the last three visits, when it fell. */
  spendFallsTo?: number
  isIrregular?: boolean
  /** A gap (days ago, length) after which they came back: a settled earlier signal. */
  gap?: { endsAgo: number; days: number; outcome: 'won-back' | 'false-alarm' }
  /** Recorded as lost, and still gone. */
  isRecordedLost?: boolean
  /** First visit this many days ago. */
  since?: number
}

const profiles: Record<number, Profile> = {
  0: { every: 7, spend: 50 },
  1: { every: 7, spend: 120 },
  2: { every: 10, spend: 35, slowedTo: [20, 28, 30], lastAgo: 6 },
  3: { every: 14, spend: 220, lastAgo: 110 },
  4: { every: 7, spend: 25, lastAgo: 35 },
  5: { every: 7, spend: 30 },
  6: { every: 30, spend: 60 },
  7: { every: 4, spend: 15, spendFallsTo: 6 },
  8: { every: 20, spend: 40, isIrregular: true },
  9: { every: 30, spend: 25, isIrregular: true },
  10: { every: 7, spend: 28, gap: { endsAgo: 120, days: 40, outcome: 'won-back' } },
  11: { every: 7, spend: 32, lastAgo: 75, isRecordedLost: true },
  12: { every: 14, spend: 45 },
  13: { every: 10, spend: 38 },
  20: { every: 7, spend: 80 },
  21: { every: 5, spend: 45, lastAgo: 45 },
  22: { every: 14, spend: 150, slowedTo: [30, 35, 40], lastAgo: 12 },
  23: { every: 25, spend: 60, isIrregular: true },
  24: { every: 30, spend: 90 },
  25: { every: 7, spend: 55, gap: { endsAgo: 100, days: 30, outcome: 'false-alarm' } },
  26: { every: 7, spend: 42 },
  27: { every: 12, spend: 70 },
  38: { every: 7, spend: 33 },
  39: { every: 8, spend: 26, since: 40 },
}

const irregularGaps = [3, 41, 6, 75, 2, 28, 110, 5, 55, 9]

/**
 * Grumbles in every one of the last twelve months, a year of activity for the regulars, and
 * the earlier signals that were already worked. Days are counted in `timeZone`. Some grumble cases of the base demo get the
 * grumble they were promoted from, so the link shows both ways.
 */
export function generateIcebergDemo(
  pools: IcebergDemoPools,
  base: DemoData,
  now: Date,
  timeZone: string,
  seed = 7,
): IcebergDemo {
  const random = seededRandom(seed)
  // Days as the business calendar counts them, so every machine zone gives the same sample.
  const addDays = (date: Date, days: number) => addDaysIn(timeZone, date, days)
  const staff = base.settings.staff ?? []
  const actorName = base.settings.currentUser ?? staff[0]?.name ?? 'Me'
  const settings = defaultIcebergSettings()
  const activities: Activity[] = []
  const signals: Signal[] = []
  const jitter = (days: number) => days + Math.round((random() - 0.5) * Math.min(2, days / 3))

  base.customers.forEach((customer, index) => {
    const p = profiles[index]
    if (!p) return
    const dates: Date[] = []
    let at = addDays(now, -(p.lastAgo ?? 1 + Math.floor(random() * 3)))
    // Built backwards from the last visit.
    const recent = [...(p.slowedTo ?? [])].reverse()
    let step = 0
    const start = addDays(now, -(p.since ?? 365))
    while (at >= start) {
      dates.push(at)
      const gap = p.isIrregular ? (irregularGaps[step % irregularGaps.length] ?? 10) : (recent[step] ?? jitter(p.every))
      at = addDays(at, -gap)
      if (p.gap && at <= addDays(now, -p.gap.endsAgo) && at > addDays(now, -p.gap.endsAgo - p.gap.days)) {
        at = addDays(now, -p.gap.endsAgo - p.gap.days)
      }
      step++
    }
    dates.reverse()
    dates.forEach((date, i) => {
      const isFallen = p.spendFallsTo !== undefined && i >= dates.length - 3
      const spend = (isFallen ? (p.spendFallsTo ?? 0) : p.spend) * (0.8 + random() * 0.4)
      activities.push({
        id: `demo-activity-${customer.id}-${i + 1}`,
        customerId: customer.id,
        date: date.toISOString(),
        amount: Math.round(spend * 100) / 100,
        source: 'demo',
      })
    })
    const horizon = settings.horizonYears
    const worth = valueAtRisk(p.spend, 365 / p.every, horizon)
    if (p.gap) {
      const gapStart = addDays(now, -p.gap.endsAgo - p.gap.days)
      const lastBefore = [...dates].reverse().find((d) => d <= gapStart) ?? gapStart
      const raisedAt = addDays(lastBefore, Math.max(2 * p.every, settings.atRiskMinDays))
      const actor = { by: actorName, at: raisedAt.toISOString() }
      const open: Signal = {
        id: `demo-signal-${customer.id}`,
        customerId: customer.id,
        origin: 'detected',
        level: 'at-risk',
        reasons: ['overdue'],
        raisedAt: actor.at,
        detectedAt: actor.at,
        raisedBy: actor.by,
        episode: episodeOf(customer.id, lastBefore.toISOString()),
        lastActivityAt: lastBefore.toISOString(),
        valueAtRisk: worth,
        note: '',
        status: 'open',
        winBack: {
          what:
            p.gap.outcome === 'won-back'
              ? 'Call, apologise for the cold meal, invite for lunch on us'
              : 'Call to ask how they are',
          dueAt: addDays(raisedAt, 2).toISOString(),
          by: actor.by,
          plannedAt: actor.at,
        },
        timeline: [{ at: actor.at, by: actor.by, type: 'raised', after: 'at-risk', note: 'overdue' }],
      }
      const note =
        p.gap.outcome === 'won-back' ? 'Came back for Sunday lunch with the family' : 'Was abroad for a month'
      signals.push(closeSignal(open, p.gap.outcome, note, { by: actor.by, at: addDays(raisedAt, 5).toISOString() }))
    }
    if (p.isRecordedLost) {
      const last = dates[dates.length - 1] ?? now
      const raisedAt = addDays(last, settings.atRiskMinDays)
      const actor = { by: actorName, at: raisedAt.toISOString() }
      const open: Signal = {
        id: `demo-signal-${customer.id}`,
        customerId: customer.id,
        origin: 'detected',
        level: 'at-risk',
        reasons: ['overdue'],
        raisedAt: actor.at,
        detectedAt: actor.at,
        raisedBy: actor.by,
        episode: episodeOf(customer.id, last.toISOString()),
        lastActivityAt: last.toISOString(),
        valueAtRisk: worth,
        note: '',
        status: 'open',
        timeline: [{ at: actor.at, by: actor.by, type: 'raised', after: 'at-risk', note: 'overdue' }],
      }
      signals.push(
        closeSignal(open, 'lost', 'Moved to another town', { by: actor.by, at: addDays(raisedAt, 10).toISOString() }),
      )
    }
  })

  // Grumbles: every month of the last year, more in busy months, in the staff's own language.
  const grumbles: Grumble[] = []
  for (let monthsAgo = 11; monthsAgo >= 0; monthsAgo--) {
    const count = 5 + Math.floor(random() * 6)
    for (let i = 0; i < count; i++) {
      const heardAt = addMinutes(addDays(now, -monthsAgo * 30 - Math.floor(random() * 30)), Math.floor(random() * 600))
      if (heardAt > now) continue
      const who = staff[Math.floor(random() * staff.length)]
      const isChineseStaff = who ? /^(Li|Zhang) /.test(who.name) : false
      const inLanguage = pools.grumbles.filter((g) => g.lang === (isChineseStaff ? 'zh' : 'en'))
      const template = inLanguage[Math.floor(random() * inLanguage.length)] ?? pools.grumbles[0]
      if (!template) continue
      // A Chinese-speaking colleague hears Chinese-speaking customers, as in the base demo.
      const sameLanguage = base.customers.filter((c) => /\p{Script=Han}/u.test(c.name) === isChineseStaff)
      const customer = random() < 0.35 ? sameLanguage[Math.floor(random() * sameLanguage.length)] : undefined
      grumbles.push({
        id: `demo-grumble-${grumbles.length + 1}`,
        text: template.text,
        heardAt: heardAt.toISOString(),
        heardBy: who?.name ?? actorName,
        ...(customer ? { customerId: customer.id } : {}),
        category: template.category,
        department: template.department,
        suggestion: random() < 0.7 ? template.suggestion : '',
        createdAt: heardAt.toISOString(),
      })
    }
  }
  // Some grumble-channel cases were promoted from a grumble: give them theirs, linked both ways.
  const cases = base.cases.map((c, index) => {
    if (c.channel !== 'grumble' || index % 2 !== 0) return c
    const grumble: Grumble = {
      id: `demo-grumble-case-${c.id}`,
      text: c.summary,
      heardAt: c.receivedAt,
      heardBy: c.owner || actorName,
      customerId: c.customerId,
      category: c.category,
      ...(c.department ? { department: c.department } : {}),
      suggestion: '',
      caseId: c.id,
      createdAt: c.receivedAt,
    }
    grumbles.push(grumble)
    return { ...c, grumbleId: grumble.id }
  })
  grumbles.sort((a, b) => a.heardAt.localeCompare(b.heardAt))
  return { grumbles, activities, signals, cases }
}
