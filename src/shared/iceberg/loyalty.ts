import { type ChurnAssessment } from './churn'
import { type LoyaltySegment, type Signal } from './schemas'
import { type IcebergSettings } from './settings'

const dayMs = 86_400_000

/**
 * The loyalty segment of one customer (docs/domain.md). `advocate` is set by hand; an open
 * signal decides at risk / lost; otherwise the activity history does. Customers with no
 * activity recorded have no segment (undefined): nothing is known about how often they come.
 * `occasional` covers customers who come without a rhythm (the source's "bystander").
 */
export function segmentOf(input: {
  isAdvocate?: boolean
  assessment: ChurnAssessment | undefined
  signals: readonly Pick<Signal, 'status' | 'level' | 'outcome' | 'closedAt'>[]
  now: Date
  settings: IcebergSettings
}): LoyaltySegment | undefined {
  const { assessment, signals, now, settings } = input
  if (input.isAdvocate) return 'advocate'
  const open = signals.filter((s) => s.status === 'open')
  if (open.some((s) => s.level === 'lost')) return 'lost'
  if (open.length > 0) return 'at-risk'
  if (!assessment) return undefined
  const lastMs = new Date(assessment.lastAt).getTime()
  // Recorded as lost, and no visit since: still lost.
  const isRecordedLost = signals.some(
    (s) => s.outcome === 'lost' && s.closedAt !== undefined && new Date(s.closedAt).getTime() >= lastMs,
  )
  if (isRecordedLost) return 'lost'
  const daysSinceFirst = (now.getTime() - new Date(assessment.firstAt).getTime()) / dayMs
  if (daysSinceFirst <= settings.newCustomerDays) return 'new'
  if (assessment.daysSinceLast >= settings.inactiveDays) return 'inactive'
  // A regular whose pattern is off reads as at risk or lost even before detection runs, unless
  // someone has already settled this silence (won back, false alarm) since their last visit.
  const isSettled = signals.some((s) => s.closedAt !== undefined && new Date(s.closedAt).getTime() >= lastMs)
  if (!isSettled && assessment.level === 'lost') return 'lost'
  if (!isSettled && assessment.level === 'at-risk') return 'at-risk'
  if (assessment.isIrregular) return 'occasional'
  return assessment.visitsPerYear >= settings.coreVisitsPerYear ? 'core' : 'active-regular'
}
