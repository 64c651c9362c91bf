import { TZDate } from '@date-fns/tz'
import { addDays, addHours, addMinutes } from 'date-fns'
import { closeCase, completeStep, freshSteps, nextCaseNumber, skipStep } from '../cases/recovery'
import { type Case, type Customer, type Settings, type Severity, type Source, stepKeys } from '../schemas'

/** The shape of `resources/demo/sample.json`: the business, its staff and its named customers. */
export type DemoPools = {
  businessName: string
  departments: string[]
  staff: { name: string; department: string }[]
  customers: { name: string; email?: string; phone?: string; notes: string }[]
  /** Kept for older callers; the cases are told from `stories` now. */
  complaints?: Record<string, { lang: string; summary: string; description: string; remedy: string }[]>
  stepNotes?: Record<string, [string, string]>
} & DemoStoryPools

export const demoLanguages = ['en', 'zh'] as const
export type DemoLanguage = (typeof demoLanguages)[number]

/** One telling of a story: what the customer said, what each recovery step did, what was promised. */
export type StoryTelling = {
  summary: string
  description: string
  remedy: string
  resolve: string[]
  investigate: string[]
  prevent: string[]
  promises: string[]
}

/**
 * A complaint as it really goes in this business: the failure, who owns it, and how it was put
 * right, in every language the sample speaks. A case is one retelling, so its promises and step
 * notes always belong to its complaint.
 */
export type DemoStory = {
  id: string
  category: string
  department: string
  /** How often it happens, relative to the others. */
  weight: number
} & Record<DemoLanguage, StoryTelling>

/** The shape of `resources/demo/stories.json`. */
export type DemoStoryPools = {
  stories: DemoStory[]
  /** Step notes every story shares (`{name}`: the customer), in each language. */
  steps: Record<'empathise' | 'apologise' | 'add-plus' | 'declined', Record<DemoLanguage, string[]>>
  /** Names for the customers who complain once and are not among the named regulars. */
  names: {
    en: { first: string[]; last: string[] }
    zh: { family: string[]; given: string[] }
    hu: { family: string[]; given: string[] }
  }
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

/** The language a customer complains in: Chinese names in Chinese, everyone else in English. */
export const languageOfName = (name: string): DemoLanguage => (/\p{Script=Han}/u.test(name) ? 'zh' : 'en')

/** The story a sample case retells, found by its summary (unique per story and language). */
export function storyOfSummary(stories: readonly DemoStory[], summary: string): DemoStory | undefined {
  return stories.find((s) => demoLanguages.some((lang) => s[lang].summary === summary))
}

/** How a step note addresses the customer: the first name in English, the whole name in Chinese. */
function shortName(name: string, isHungarianOrder: boolean): string {
  if (languageOfName(name) === 'zh') return name
  const parts = name.split(' ')
  return (isHungarianOrder ? parts[parts.length - 1] : parts[0]) ?? name
}

/**
 * How many complaints the named customers (by position in sample.json) made in the six months:
 * one regular four, one three, ten of them twice, the rest once. The customers added from
 * `names` complain once, two of them twice. So most complainants are one-off, as in a real bistro.
 */
const namedComplaints: Record<number, number> = {
  0: 4,
  20: 3,
  1: 2,
  2: 2,
  5: 2,
  7: 2,
  12: 2,
  13: 2,
  22: 2,
  24: 2,
  26: 2,
  38: 2,
}
const addedTwice = 2

/** Staff-visible names for the one-off customers: unique, seeded, in the sample's languages. */
function addedNames(pools: DemoStoryPools, count: number, random: () => number, taken: Set<string>) {
  const out: { name: string; isHungarianOrder: boolean }[] = []
  while (out.length < count) {
    const roll = random()
    const entry =
      roll < 0.55
        ? {
            name: `${pick(random, pools.names.en.first)} ${pick(random, pools.names.en.last)}`,
            isHungarianOrder: false,
          }
        : roll < 0.93
          ? {
              name: `${pick(random, pools.names.zh.family)}${pick(random, pools.names.zh.given)}`,
              isHungarianOrder: false,
            }
          : {
              name: `${pick(random, pools.names.hu.family)} ${pick(random, pools.names.hu.given)}`,
              isHungarianOrder: true,
            }
    if (taken.has(entry.name)) continue
    taken.add(entry.name)
    out.push(entry)
  }
  return out
}

const asciiOf = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, '.')

/** Fisher–Yates with the seeded generator. */
function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}

/** Which story a case at `index` (in time order) must tell, when the sample needs it to (see demoEscalations). */
export type ForcedStories = (receivedTimes: readonly Date[]) => ReadonlyMap<number, string>

/**
 * ~130 customers and 150 cases over the six months before `now`, each case one retelling of a
 * story (complaint → steps → promises → outcome) in its customer's language. Older cases are
 * mostly worked through and closed; recent ones are still in recovery, so every screen has
 * something to show. Days are counted in `timeZone` (the business calendar's).
 */
export function generateDemo(
  pools: DemoPools,
  now: Date,
  timeZone: string,
  seed = 42,
  forcedStories?: ForcedStories,
): DemoData {
  const random = seededRandom(seed)
  const start = addDaysIn(timeZone, now, -182)
  const caseCount = 150
  const receivedTimes = Array.from({ length: caseCount }, () =>
    addMinutes(start, Math.floor(random() * 182 * 24 * 60)),
  ).sort((a, b) => a.getTime() - b.getTime())
  const forced = forcedStories?.(receivedTimes) ?? new Map<number, string>()

  // Who complains how often: the slots are shuffled over the six months.
  const named = pools.customers.map((c, index) => ({ ...c, count: namedComplaints[index] ?? 1 }))
  const namedCases = named.reduce((sum, c) => sum + c.count, 0)
  const added = addedNames(pools, caseCount - namedCases - addedTwice, random, new Set(named.map((c) => c.name)))
  const customers: (Customer & { isHungarianOrder: boolean })[] = named.map((c, index) => ({
    id: `demo-customer-${index + 1}`,
    name: c.name,
    ...(c.email ? { email: c.email } : {}),
    ...(c.phone ? { phone: c.phone } : {}),
    notes: c.notes,
    createdAt: addDaysIn(timeZone, start, -30 - index).toISOString(),
    isHungarianOrder: /Kovács|Szabó/.test(c.name),
  }))
  added.forEach((a, i) => {
    const contact = random()
    customers.push({
      id: `demo-customer-${named.length + i + 1}`,
      name: a.name,
      ...(contact < 0.5 && languageOfName(a.name) !== 'zh' ? { email: `${asciiOf(a.name)}@example.com` } : {}),
      ...(contact >= 0.5 && contact < 0.85 ? { phone: `+44 20 7946 ${String(1000 + i * 37).slice(-4)}` } : {}),
      notes: '',
      // Set to their first complaint below: a one-off customer becomes known by complaining.
      createdAt: start.toISOString(),
      isHungarianOrder: a.isHungarianOrder,
    })
  })
  const counts = customers.map((_, index) =>
    index < named.length ? (named[index]?.count ?? 1) : index < named.length + addedTwice ? 2 : 1,
  )
  const slots = shuffled(
    counts.flatMap((count, index) => Array.from({ length: count }, () => index)),
    random,
  )

  const totalWeight = pools.stories.reduce((sum, s) => sum + s.weight, 0)
  const drawStory = (): DemoStory => {
    let roll = random() * totalWeight
    for (const story of pools.stories) {
      roll -= story.weight
      if (roll < 0) return story
    }
    return pools.stories[pools.stories.length - 1] as DemoStory
  }
  // Each retelling takes the next variant of a step, so notes vary before any repeats.
  const told = new Map<string, number>()
  const nextOf = (key: string, variants: readonly string[]): string => {
    const n = told.get(key) ?? 0
    told.set(key, n + 1)
    return variants[n % variants.length] ?? ''
  }

  const cases: Case[] = []
  const numbers: string[] = []
  receivedTimes.forEach((receivedAt, index) => {
    const customerIndex = slots[index] ?? 0
    const customer = customers[customerIndex] as (typeof customers)[number]
    if (customerIndex >= named.length && customer.createdAt === start.toISOString())
      customer.createdAt = receivedAt.toISOString()
    const forcedId = forced.get(index)
    const story = (forcedId ? pools.stories.find((s) => s.id === forcedId) : undefined) ?? drawStory()
    const language = languageOfName(customer.name)
    const telling = story[language]
    const inDepartment = pools.staff.filter((s) => s.department === story.department)
    const staff = pick(random, inDepartment.length > 0 ? inDepartment : pools.staff)
    const severity: Severity = random() < 0.03 ? 'major' : random() < 0.3 ? 'near-miss' : 'minor'
    const isRemote = story.department === 'Delivery' || story.department === 'Online orders'
    const source: Source = pick(random, isRemote ? remoteSources : tableSources)
    const number = nextCaseNumber(numbers, receivedAt.getUTCFullYear())
    numbers.push(number)
    const createdBy = { by: staff.name, at: receivedAt.toISOString() }
    let c: Case = {
      id: `demo-case-${index + 1}`,
      number,
      customerId: customer.id,
      summary: telling.summary,
      description: telling.description,
      remedySought: telling.remedy,
      // A grumble is a remark heard in person; a phone call or an e-mail is a formal complaint.
      channel: source === 'in-person' && random() < 0.3 ? 'grumble' : 'formal',
      source,
      category: story.category,
      severity,
      department: story.department,
      owner: staff.name,
      status: 'open',
      receivedAt: createdBy.at,
      steps: freshSteps(),
      timeline: [{ at: createdBy.at, by: staff.name, type: 'created', after: telling.summary }],
      updatedAt: createdBy.at,
    }
    const ageDays = (now.getTime() - receivedAt.getTime()) / 86_400_000
    // How far recovery has got: old cases are finished; the last fortnight's are in progress,
    // resolved within a couple of days as a bistro does (Resolve is the third step) and still short
    // of Prevent, now and then one left stuck before Resolve (what an overdue recovery looks like).
    const roll = random()
    const stepsDone =
      ageDays > 14
        ? stepKeys.length
        : ageDays < 2
          ? Math.floor(roll * 4)
          : roll < 0.06
            ? 2
            : 3 + Math.floor(random() * (stepKeys.length - 3))
    const name = shortName(customer.name, customer.isHungarianOrder)
    const fill = (text: string) => text.replaceAll('{name}', name)
    const noteOf = (key: (typeof stepKeys)[number]): string => {
      const storyKey = `${story.id}:${language}:${key}`
      if (key === 'resolve' || key === 'investigate' || key === 'prevent') return fill(nextOf(storyKey, telling[key]))
      return fill(nextOf(`${language}:${key}`, pools.steps[key][language]))
    }
    let at = receivedAt
    for (const key of stepKeys.slice(0, stepsDone)) {
      at = addHours(at, 1 + Math.floor(random() * 20))
      if (at > now) break
      const actor = { by: staff.name, at: at.toISOString() }
      c =
        key === 'add-plus' && random() < 0.2
          ? skipStep(c, key, fill(nextOf(`${language}:declined`, pools.steps.declined[language])), actor)
          : completeStep(c, key, noteOf(key), actor)
    }
    // Closed with the satisfaction call a day after the last step; a few of the last month's wait
    // for that call (Ready to close), none for months.
    const closeAt = addHours(at, 24)
    if (ageDays > 14 && closeAt < now && (ageDays > 35 || random() < 0.75)) {
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
    customers: customers.map(({ isHungarianOrder: _h, ...c }) => c),
    cases,
  }
}

const tableSources: readonly Source[] = ['in-person', 'in-person', 'in-person', 'phone', 'email', 'social']
const remoteSources: readonly Source[] = ['phone', 'phone', 'email', 'web', 'social']
