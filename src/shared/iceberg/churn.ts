import { type Actor } from '../cases/recovery'
import {
  type Signal,
  type SignalBaseline,
  type SignalLevel,
  type SignalOutcome,
  type SignalReason,
  type ValueAtRisk,
} from './schemas'
import { type IcebergSettings } from './settings'

/**
 * Silent churn, read from each customer's own history (docs/domain.md): their usual interval
 * between visits and their usual spend are the baseline; a regular who is overdue by a clear
 * margin, long gone, or whose frequency or spend falls markedly against that baseline is flagged.
 * Customers whose visits are irregular have no rhythm to break, so they are never flagged.
 */

const dayMs = 86_400_000

export type Visit = { date: string; amount: number }

export type ChurnAssessment = {
  visits: number
  firstAt: string
  lastAt: string
  daysSinceLast: number
  /** Enough visits for a baseline of their own. */
  hasBaseline: boolean
  /** Too few visits, or intervals too scattered: never flagged. */
  isIrregular: boolean
  isRegular: boolean
  /** Median days between visits in the baseline part of the history. */
  usualIntervalDays: number
  /** Coefficient of variation of the baseline intervals (0 = clockwork). */
  irregularity: number
  averageSpend: number
  visitsPerYear: number
  recentIntervalDays?: number
  recentSpend?: number
  reasons: Exclude<SignalReason, 'manual'>[]
  level?: SignalLevel
  /** When the trouble became evident: the iceberg counts the signal in that month. */
  evidentAt?: string
  valueAtRisk: ValueAtRisk
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  if (sorted.length === 0) return 0
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

function mean(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length
}

function coefficientOfVariation(values: number[]): number {
  const average = mean(values)
  if (values.length < 2 || average === 0) return 0
  const variance = mean(values.map((v) => (v - average) ** 2))
  return Math.sqrt(variance) / average
}

/** Several purchases on one day are one visit: the day's spend is their sum. */
export function visitsByDay(activities: Iterable<Visit>): Visit[] {
  const byDay = new Map<string, number>()
  for (const a of activities) {
    const day = a.date.slice(0, 10)
    byDay.set(day, (byDay.get(day) ?? 0) + a.amount)
  }
  return [...byDay.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([day, amount]) => ({ date: `${day}T00:00:00.000Z`, amount }))
}

/** Average spend × visits per year × horizon: what this customer is worth over the horizon. */
export function valueAtRisk(averageSpend: number, visitsPerYear: number, horizonYears: number): ValueAtRisk {
  return { averageSpend, visitsPerYear, horizonYears, value: averageSpend * visitsPerYear * horizonYears }
}

/**
 * Assesses one customer's activity against their own baseline at time `now`. Returns undefined
 * for a customer with no activity at all.
 */
export function assessChurn(
  activities: Iterable<Visit>,
  now: Date,
  settings: IcebergSettings,
): ChurnAssessment | undefined {
  const visits = visitsByDay(activities).filter((v) => new Date(v.date).getTime() <= now.getTime())
  const first = visits[0]
  const last = visits[visits.length - 1]
  if (!first || !last) return undefined
  const lastMs = new Date(last.date).getTime()
  const daysSinceLast = (now.getTime() - lastMs) / dayMs
  const intervals = visits
    .slice(1)
    .map((v, i) => (new Date(v.date).getTime() - new Date(visits[i]!.date).getTime()) / dayMs)
  const recent = settings.recentVisits
  // A trend needs a baseline before the recent window that is at least as long as the window.
  const hasTrend = intervals.length - recent >= Math.max(3, recent)
  const baselineIntervals = hasTrend ? intervals.slice(0, -recent) : intervals
  const baselineVisits = hasTrend ? visits.slice(0, -recent) : visits
  const hasBaseline = visits.length >= settings.minVisits
  const usualIntervalDays = Math.max(1, median(baselineIntervals))
  const irregularity = coefficientOfVariation(baselineIntervals)
  const isIrregular = !hasBaseline || irregularity > settings.maxIrregularity
  const averageSpend = mean(baselineVisits.map((v) => v.amount))
  const visitsPerYear = baselineIntervals.length > 0 ? 365 / usualIntervalDays : 0
  const recentIntervalDays = hasTrend ? median(intervals.slice(-recent)) : undefined
  const recentSpend = hasTrend ? mean(visits.slice(-recent).map((v) => v.amount)) : undefined

  const reasons: ChurnAssessment['reasons'] = []
  let level: SignalLevel | undefined
  let evidentMs: number | undefined
  if (!isIrregular) {
    const atRiskAfter = Math.max(settings.atRiskFactor * usualIntervalDays, settings.atRiskMinDays)
    const lostAfter = Math.max(settings.lostFactor * usualIntervalDays, settings.lostMinDays, atRiskAfter)
    if (daysSinceLast >= lostAfter) reasons.push('gone')
    else if (daysSinceLast >= atRiskAfter) reasons.push('overdue')
    if (reasons.length > 0) evidentMs = lastMs + atRiskAfter * dayMs
    const slowerBy = 1 / (1 - settings.frequencyDropPercent / 100)
    if (recentIntervalDays !== undefined && recentIntervalDays >= usualIntervalDays * slowerBy) {
      reasons.push('frequency-falling')
    }
    const spendFloor = averageSpend * (1 - settings.spendDropPercent / 100)
    if (recentSpend !== undefined && averageSpend > 0 && recentSpend <= spendFloor) reasons.push('spend-falling')
    // A falling trend shows at the last visit that made it fall.
    if (reasons.some((r) => r === 'frequency-falling' || r === 'spend-falling')) {
      evidentMs = Math.min(evidentMs ?? lastMs, lastMs)
    }
    if (reasons.includes('gone')) level = 'lost'
    else if (reasons.length > 0) level = 'at-risk'
  }
  return {
    visits: visits.length,
    firstAt: first.date,
    lastAt: last.date,
    daysSinceLast,
    hasBaseline,
    isIrregular,
    isRegular: !isIrregular,
    usualIntervalDays,
    irregularity,
    averageSpend,
    visitsPerYear,
    ...(recentIntervalDays !== undefined ? { recentIntervalDays } : {}),
    ...(recentSpend !== undefined ? { recentSpend } : {}),
    reasons,
    ...(level ? { level } : {}),
    ...(evidentMs !== undefined ? { evidentAt: new Date(Math.min(evidentMs, now.getTime())).toISOString() } : {}),
    valueAtRisk: valueAtRisk(averageSpend, visitsPerYear, settings.horizonYears),
  }
}

function baselineOf(a: ChurnAssessment): SignalBaseline {
  return {
    visits: a.visits,
    usualIntervalDays: a.usualIntervalDays,
    averageSpend: a.averageSpend,
    daysSinceLast: a.daysSinceLast,
    ...(a.recentIntervalDays !== undefined ? { recentIntervalDays: a.recentIntervalDays } : {}),
    ...(a.recentSpend !== undefined ? { recentSpend: a.recentSpend } : {}),
  }
}

/** The same silence of the same customer: a signal is raised once per episode. */
export function episodeOf(customerId: string, lastActivityAt: string | undefined): string {
  return `${customerId}@${lastActivityAt?.slice(0, 10) ?? 'none'}`
}

export type DetectionPlan = { create: Signal[]; update: Signal[] }

/**
 * Decides which signals to raise or update from the assessments, given the signals that exist.
 * Re-running on the same data changes nothing: a customer with an open signal gets no second
 * one (the open one is updated if the picture changed), and a silence whose outcome was already
 * recorded is not raised again until new activity starts a new episode.
 */
export function planSignals(
  assessments: Iterable<{ customerId: string; assessment: ChurnAssessment }>,
  existing: Iterable<Signal>,
  actor: Actor,
  newId: () => string,
): DetectionPlan {
  const openByCustomer = new Map<string, Signal>()
  const closedEpisodes = new Set<string>()
  for (const s of existing) {
    if (s.status === 'open') openByCustomer.set(s.customerId, s)
    else closedEpisodes.add(s.episode)
  }
  const plan: DetectionPlan = { create: [], update: [] }
  for (const { customerId, assessment } of assessments) {
    if (!assessment.level) continue
    const episode = episodeOf(customerId, assessment.lastAt)
    const open = openByCustomer.get(customerId)
    if (open) {
      const isChanged =
        open.origin === 'detected' &&
        (open.level !== assessment.level ||
          open.episode !== episode ||
          open.reasons.join() !== assessment.reasons.join())
      if (!isChanged) continue
      plan.update.push({
        ...open,
        level: assessment.level,
        reasons: assessment.reasons,
        episode,
        lastActivityAt: assessment.lastAt,
        baseline: baselineOf(assessment),
        valueAtRisk: assessment.valueAtRisk,
        timeline: [
          ...open.timeline,
          {
            at: actor.at,
            by: actor.by,
            type: 'detect',
            field: 'level',
            before: open.level,
            after: assessment.level,
            note: assessment.reasons.join(', '),
          },
        ],
      })
      continue
    }
    if (closedEpisodes.has(episode)) continue
    plan.create.push({
      id: newId(),
      customerId,
      origin: 'detected',
      level: assessment.level,
      reasons: assessment.reasons,
      raisedAt: assessment.evidentAt ?? actor.at,
      detectedAt: actor.at,
      raisedBy: actor.by,
      episode,
      lastActivityAt: assessment.lastAt,
      baseline: baselineOf(assessment),
      valueAtRisk: assessment.valueAtRisk,
      note: '',
      status: 'open',
      timeline: [
        { at: actor.at, by: actor.by, type: 'raised', after: assessment.level, note: assessment.reasons.join(', ') },
      ],
    })
  }
  return plan
}

/** Records how a signal ended. Closing twice is refused: an outcome is recorded once. */
export function closeSignal(signal: Signal, outcome: SignalOutcome, note: string, actor: Actor): Signal {
  const trimmed = note.trim()
  return {
    ...signal,
    status: 'closed',
    outcome,
    ...(trimmed ? { outcomeNote: trimmed } : {}),
    closedAt: actor.at,
    closedBy: actor.by,
    timeline: [
      ...signal.timeline,
      {
        at: actor.at,
        by: actor.by,
        type: 'outcome',
        field: 'outcome',
        after: outcome,
        ...(trimmed ? { note: trimmed } : {}),
      },
    ],
  }
}

/** The win-back contact suggested for a signal: due in two days, a personal call, not a form letter. */
export function suggestWinBack(signal: Pick<Signal, 'level' | 'reasons'>, now: Date): { dueAt: string; kind: string } {
  const dueAt = new Date(now.getTime() + 2 * dayMs).toISOString()
  const kind = signal.reasons.includes('spend-falling') && !signal.reasons.includes('gone') ? 'spend' : signal.level
  return { dueAt, kind }
}

export type WinBackRate = { wonBack: number; lost: number; falseAlarms: number; rate: number | null }

/** Win-back success rate = won back ÷ (won back + lost); false alarms were never churn, so they do not count. */
export function winBackRate(signals: Iterable<Pick<Signal, 'status' | 'outcome'>>): WinBackRate {
  let wonBack = 0
  let lost = 0
  let falseAlarms = 0
  for (const s of signals) {
    if (s.status !== 'closed') continue
    if (s.outcome === 'won-back') wonBack++
    else if (s.outcome === 'lost') lost++
    else if (s.outcome === 'false-alarm') falseAlarms++
  }
  return { wonBack, lost, falseAlarms, rate: wonBack + lost > 0 ? wonBack / (wonBack + lost) : null }
}
