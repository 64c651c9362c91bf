import { TZDate } from '@date-fns/tz'
import { addDays, addHours, addMinutes } from 'date-fns'
import { closeCase, completeStep, freshSteps, nextCaseNumber, skipStep } from '../cases/recovery'
import {
  type Case,
  type Customer,
  type Settings,
  type Severity,
  type Source,
  builtInCategoryIds,
  sources,
  stepKeys,
} from '../schemas'

/** The shape of `resources/demo/sample.json`: realistic texts the generator draws from. */
export type DemoPools = {
  businessName: string
  departments: string[]
  staff: { name: string; department: string }[]
  customers: { name: string; email?: string; phone?: string; notes: string }[]
  complaints: Record<string, { lang: string; summary: string; description: string; remedy: string }[]>
  stepNotes: Record<string, [string, string]>
}

export type DemoData = { settings: Partial<Settings>; customers: Customer[]; cases: Case[] }

/**
 * The sample business's calendar zone when the folder's settings name none. A fixed zone, not the
 * computer's: the sample (and every test built on it) must be the same on every machine.
 */
export const sampleTimeZone = 'UTC'

/** A small seeded PRNG (mulberry32): the same seed gives the same demo every time. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T

/**
 * `days` calendar days from `date` as the wall clock of `timeZone` counts them (across a DST change
 * a day is 23 or 25 hours). The sample data counts its days in the business calendar's zone, never
 * the machine's, so the same `now` gives the same data on every computer.
 */
export function addDaysIn(timeZone: string, date: Date, days: number): Date {
  return new Date(addDays(new TZDate(date.getTime(), timeZone), days).getTime())
}

/**
 * ~40 customers and ~150 cases over the six months before `now`. Older cases are mostly worked
 * through and closed; recent ones are still in recovery, so every screen has something to show.
 * Days are counted in `timeZone` (the business calendar's).
 */
export function generateDemo(pools: DemoPools, now: Date, timeZone: string, seed = 42): DemoData {
  const random = seededRandom(seed)
  const start = addDaysIn(timeZone, now, -182)
  const customers: Customer[] = pools.customers.map((c, index) => ({
    id: `demo-customer-${index + 1}`,
    name: c.name,
    ...(c.email ? { email: c.email } : {}),
    ...(c.phone ? { phone: c.phone } : {}),
    notes: c.notes,
    createdAt: addDaysIn(timeZone, start, -30 - index).toISOString(),
  }))
  const caseCount = 150
  const receivedTimes = Array.from({ length: caseCount }, () =>
    addMinutes(start, Math.floor(random() * 182 * 24 * 60)),
  ).sort((a, b) => a.getTime() - b.getTime())
  const cases: Case[] = []
  const numbers: string[] = []
  receivedTimes.forEach((receivedAt, index) => {
    // Regulars (the first dozen customers) complain more often, as in real life.
    const customer = random() < 0.4 ? pick(random, customers.slice(0, 12)) : pick(random, customers)
    const category = pick(random, builtInCategoryIds)
    // Chinese-speaking customers complain in Chinese, the others in English.
    const language = /\p{Script=Han}/u.test(customer.name) ? 'zh' : 'en'
    const templates = pools.complaints[category] ?? []
    const inLanguage = templates.filter((t) => t.lang === language)
    const template = pick(random, inLanguage.length > 0 ? inLanguage : templates)
    const staff = pick(random, pools.staff)
    const severity: Severity = random() < 0.08 ? 'major' : random() < 0.3 ? 'near-miss' : 'minor'
    const source: Source = pick(random, sources)
    const number = nextCaseNumber(numbers, receivedAt.getUTCFullYear())
    numbers.push(number)
    const createdBy = { by: staff.name, at: receivedAt.toISOString() }
    let c: Case = {
      id: `demo-case-${index + 1}`,
      number,
      customerId: customer.id,
      summary: template.summary,
      description: template.description,
      remedySought: template.remedy,
      channel: random() < 0.8 ? 'formal' : 'grumble',
      source,
      category,
      severity,
      department: staff.department,
      owner: staff.name,
      status: 'open',
      receivedAt: createdBy.at,
      steps: freshSteps(),
      timeline: [{ at: createdBy.at, by: staff.name, type: 'created', after: template.summary }],
      updatedAt: createdBy.at,
    }
    const ageDays = (now.getTime() - receivedAt.getTime()) / 86_400_000
    // How far recovery has got: old cases are finished, the last fortnight's are in progress.
    const stepsDone = ageDays > 14 ? stepKeys.length : Math.floor(random() * (stepKeys.length + 1))
    const noteIndex = template.lang === 'zh' ? 1 : 0
    let at = receivedAt
    for (const key of stepKeys.slice(0, stepsDone)) {
      at = addHours(at, 1 + Math.floor(random() * 20))
      if (at > now) break
      const actor = { by: staff.name, at: at.toISOString() }
      c =
        key === 'add-plus' && random() < 0.2
          ? skipStep(c, key, noteIndex ? '顾客不需要额外补偿' : 'Customer declined any extra', actor)
          : completeStep(c, key, pools.stepNotes[key]?.[noteIndex] ?? '', actor)
    }
    const closeAt = addHours(at, 24)
    if (ageDays > 14 && closeAt < now && random() < 0.9) {
      const closer = { by: staff.name, at: closeAt.toISOString() }
      c =
        random() < 0.1
          ? closeCase(c, { reached: false }, closer)
          : closeCase(
              c,
              {
                reached: true,
                satisfaction: 2 + Math.floor(random() * 4),
                wouldComeBack: pick(random, ['yes', 'yes', 'yes', 'unsure', 'no'] as const),
              },
              closer,
            )
    }
    cases.push(c)
  })
  return {
    settings: {
      businessName: pools.businessName,
      departments: pools.departments,
      staff: pools.staff,
      currentUser: pools.staff[0]?.name ?? '',
    },
    customers,
    cases,
  }
}
