import { type LoggedFailure } from '../costs/schemas'
import { type CustomerPromise } from '../promises/promises'
import { type Case, type CaseCost, type Settings } from '../schemas'
import { seededRandom } from '../demo/demo'

/**
 * The sample data's costs: what some cases cost (refunds, compensation, staff time), failures
 * logged with no customer (a late truck, a broken oven), and the compensation given for broken
 * guarantees. Seeded, so the same `now` gives the same figures; amounts in the sample's currency.
 * Call after the sample's records are stored, and commit what it returns.
 */

type DemoChange =
  | { collection: 'cases'; value: Case }
  | { collection: 'promises'; value: CustomerPromise }
  | { collection: 'failures'; value: LoggedFailure }

const dayMs = 86_400_000

/** Things that go wrong with no customer complaining, by the category and department they belong to. */
const internalFailures: { what: string; category: string; department?: string; cost: [number, number] }[] = [
  { what: 'Delivery truck two hours late: lunch prep started short', category: 'out-of-stock', cost: [80, 260] },
  { what: 'Combi oven broke down during dinner service', category: 'long-wait', cost: [250, 900] },
  { what: 'Fish delivery arrived warm and was thrown away', category: 'poor-quality', cost: [120, 480] },
  { what: 'Dishwasher leak flooded the back corridor', category: 'hygiene', cost: [60, 300] },
  { what: 'Phone line down for an afternoon: bookings lost', category: 'on-hold', cost: [40, 200] },
  { what: 'Wrong wine order received for the weekend', category: 'out-of-stock', cost: [50, 220] },
  { what: 'Fridge alarm overnight: desserts discarded', category: 'poor-quality', cost: [90, 350] },
]

const round2 = (n: number) => Math.round(n * 100) / 100
const between = (random: () => number, [lo, hi]: [number, number]) => round2(lo + random() * (hi - lo))

export function demoCostChanges(
  cases: readonly Case[],
  promises: readonly CustomerPromise[],
  settings: Pick<Settings, 'departments' | 'currentUser'>,
  now: Date,
  seed = 2026,
): DemoChange[] {
  const random = seededRandom(seed)
  const by = settings.currentUser || 'Me'
  const changes: DemoChange[] = []
  const nowMs = now.getTime()

  // About a third of the cases someone put right cost something.
  for (const c of cases) {
    if (c.status === 'open' || random() > 0.35) continue
    const at = c.closure?.closedAt ?? c.updatedAt
    const costs: CaseCost[] = []
    const add = (kind: CaseCost['kind'], range: [number, number], note: string) =>
      costs.push({ id: `demo-cost-${c.id}-${costs.length}`, kind, amount: between(random, range), note, at, by })
    if (random() < 0.5) add('refund', c.severity === 'major' ? [25, 90] : [6, 35], 'Refunded on the bill')
    if (c.severity !== 'near-miss' && random() < 0.4) add('compensation', [10, 45], 'Voucher for the next visit')
    add('staff-time', c.severity === 'major' ? [30, 120] : [8, 40], 'Calls and follow-up')
    changes.push({ collection: 'cases', value: { ...c, costs } })
  }

  // Two to five failures a month over the last six months, none in the future.
  const departments = settings.departments.length > 0 ? settings.departments : ['Kitchen']
  for (let month = 0; month < 6; month++) {
    const count = 2 + Math.floor(random() * 4)
    for (let i = 0; i < count; i++) {
      const at = nowMs - (month * 30 + Math.floor(random() * 30)) * dayMs - Math.floor(random() * 10) * 3_600_000
      if (at > nowMs) continue
      const kind = internalFailures[Math.floor(random() * internalFailures.length)] as (typeof internalFailures)[number]
      const iso = new Date(at).toISOString()
      changes.push({
        collection: 'failures',
        value: {
          id: `demo-failure-${month}-${i}`,
          at: iso,
          category: kind.category,
          department: departments[Math.floor(random() * departments.length)] as string,
          what: kind.what,
          ...(random() < 0.85 ? { cost: between(random, kind.cost) } : {}),
          by,
          createdAt: iso,
        },
      })
    }
  }

  // Missed guarantees (broken, overdue, or kept late): most get their compensation, some not, some
  // nobody recorded.
  for (const p of promises) {
    const isMissed =
      p.status === 'broken' ||
      (p.status === 'open' && Date.parse(p.dueAt) < nowMs) ||
      (p.status === 'kept' && p.closedAt !== undefined && Date.parse(p.closedAt) > Date.parse(p.dueAt))
    if (!p.guaranteeId || !isMissed) continue
    const roll = random()
    if (roll > 0.85) continue
    const isGiven = roll < 0.7
    changes.push({
      collection: 'promises',
      value: {
        ...p,
        compensationGiven: {
          isGiven,
          ...(isGiven ? { amount: between(random, [8, 25]) } : {}),
          at: p.closedAt ?? p.dueAt,
          by,
        },
      },
    })
  }
  return changes
}
