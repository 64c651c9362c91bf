import { addHours, addMinutes } from 'date-fns'
import { seededRandom } from './demo'
import {
  type CustomerPromise,
  type PromiseSettings,
  breakPromise,
  defaultPromiseSettings,
  guaranteeDue,
  keepPromise,
  makePromise,
  renegotiatePromise,
  resolveDue,
  serviceGuaranteeMaker,
} from '../promises/promises'
import { promiseEvent } from '../promises/promiseEvents'
import { followGuarantee } from '../promises/guaranteeRule'
import { type Case } from '../schemas'
import { type Calendar, closingOf, wallOf } from '../promises/workingCalendar'

/** The shape of `resources/demo/promises.json`. */
export type DemoPromisePools = {
  brokenNotes: { en: string; zh: string }[]
  renegotiateNotes: { en: string; zh: string }[]
  compensations: Record<string, string>
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T

/** The default guarantees, with the compensation the sample bistro offers when one fails, and its calendar's zone. */
export function demoPromiseSettings(pools: DemoPromisePools, timeZone: string): PromiseSettings {
  const defaults = defaultPromiseSettings()
  return {
    ...defaults,
    calendar: { ...defaults.calendar, timeZone },
    guarantees: defaults.guarantees.map((g) => ({ ...g, compensation: pools.compensations[g.id] ?? '' })),
  }
}

/**
 * Promises for the sample cases, seeded: older cases have promises kept on time, kept late, broken
 * and renegotiated; the newest open cases have promises overdue, due today and due this week, and
 * every case of the last fortnight carries its service-guarantee promises.
 */
export function generateDemoPromises(
  cases: readonly Case[],
  pools: DemoPromisePools,
  settings: PromiseSettings,
  cal: Calendar,
  now: Date,
  departmentOf: (name: string) => string,
  /** What may be promised on a case: its story's promises, in the case's language. */
  promisesOf: (c: Case) => readonly string[],
  seed = 7,
): CustomerPromise[] {
  const random = seededRandom(seed)
  const result: CustomerPromise[] = []
  let counter = 0
  const nextId = () => `demo-promise-${++counter}`
  const text = (entry: { en: string; zh: string }, c: Case) => (/\p{Script=Han}/u.test(c.summary) ? entry.zh : entry.en)
  // The case's own promises, taken in turn, so two promises on one case differ where the story allows.
  const madeOn = new Map<string, number>()
  const promiseFor = (c: Case): string => {
    const options = promisesOf(c)
    const n = madeOn.get(c.id) ?? Math.floor(random() * Math.max(1, options.length))
    madeOn.set(c.id, n + 1)
    return options[n % Math.max(1, options.length)] ?? ''
  }
  const nowMs = now.getTime()
  const hour = 3_600_000

  cases.forEach((c, index) => {
    const received = new Date(c.receivedAt)
    const ageDays = (nowMs - received.getTime()) / 86_400_000
    const by = c.owner
    const department = departmentOf(by) || c.department
    const fields = (what: string, dueAt: Date) => ({
      id: nextId(),
      what,
      customerId: c.customerId,
      caseId: c.id,
      madeBy: by,
      department,
      dueAt: dueAt.toISOString(),
    })

    // Service guarantees on the last fortnight's cases.
    if (ageDays <= 14) {
      for (const g of settings.guarantees.filter((x) => x.isActive)) {
        const due = guaranteeDue(cal, received, g)
        const p = makePromise(
          {
            ...fields('', due),
            madeBy: serviceGuaranteeMaker,
            department: c.department,
            guaranteeId: g.id,
            ...(g.compensation ? { compensation: g.compensation } : {}),
          },
          { by: serviceGuaranteeMaker, at: c.receivedAt },
        )
        // Kept by the case's own recovery steps, as in use (docs/promises.md). The two draws keep
        // the seeded sequence, so the staff promises below stay the sample they always were.
        if (random() < 0.75) random()
        result.push(followGuarantee(p, c))
      }
    }

    // Promises made by staff while working the case.
    if (random() > 0.55 && ageDays > 3) return
    const madeAt = addMinutes(received, 30 + Math.floor(random() * 240))
    if (madeAt.getTime() >= nowMs) return
    const actor = { by, at: madeAt.toISOString() }
    const what = promiseFor(c)
    const due = resolveDue(cal, madeAt, { kind: 'business-days', n: 1 + Math.floor(random() * 3) })
    const p = makePromise(fields(what, due), actor)
    const dueMs = due.getTime()
    if (dueMs > nowMs) {
      result.push(p)
      return
    }
    const outcome = index % 11 === 0 ? 'renegotiated' : index % 19 === 0 ? 'broken' : index % 6 === 0 ? 'late' : 'kept'
    if (outcome === 'renegotiated') {
      const agreedAt = new Date(madeAt.getTime() + (dueMs - madeAt.getTime()) / 2)
      const change = renegotiatePromise(
        p,
        { by, at: agreedAt.toISOString() },
        {
          successorId: nextId(),
          dueAt: resolveDue(cal, agreedAt, { kind: 'business-days', n: 3 }).toISOString(),
          note: text(pick(random, pools.renegotiateNotes), c),
        },
      )
      result.push(change.closed)
      const keptAt = new Date(Date.parse(change.successor.dueAt) - hour)
      result.push(
        keptAt.getTime() < nowMs ? keepPromise(change.successor, { by, at: keptAt.toISOString() }) : change.successor,
      )
    } else if (outcome === 'broken') {
      const at = addHours(due, 20).toISOString()
      result.push(Date.parse(at) < nowMs ? breakPromise(p, { by, at }, text(pick(random, pools.brokenNotes), c)) : p)
    } else {
      const at =
        outcome === 'late'
          ? addHours(due, 3 + Math.floor(random() * 30))
          : addMinutes(madeAt, 60 + Math.floor(random() * 600))
      const keptAt = outcome === 'kept' && at.getTime() > dueMs ? new Date(dueMs - hour) : at
      // An overdue promise of the last days stays open: it shows on Today.
      result.push(keptAt.getTime() < nowMs && ageDays > 4 ? keepPromise(p, { by, at: keptAt.toISOString() }) : p)
    }
  })

  // A few promises due later today, so Today has them whatever the hour.
  const today = wallOf(cal, nowMs).day
  const endOfToday = (closingOf(cal, today) ?? nowMs + 2 * hour) - 5 * 60_000
  const recentOpen = cases.filter((c) => c.status !== 'closed').slice(-3)
  recentOpen.forEach((c, i) => {
    const dueMs = endOfToday > nowMs + 10 * 60_000 ? endOfToday - i * 30 * 60_000 : nowMs + (i + 1) * 20 * 60_000
    const by = c.owner
    result.push(
      makePromise(
        {
          id: nextId(),
          what: promiseFor(c),
          customerId: c.customerId,
          caseId: c.id,
          madeBy: by,
          department: departmentOf(by) || c.department,
          dueAt: new Date(Math.max(dueMs, nowMs + 60_000)).toISOString(),
        },
        { by, at: new Date(nowMs - (i + 2) * hour).toISOString() },
      ),
    )
  })
  // And two that slipped: due at yesterday's close (or earlier), still open, so they show as overdue.
  cases
    .filter((c) => c.status !== 'closed')
    .slice(-5, -3)
    .forEach((c, i) => {
      const by = c.owner
      const dueMs = Math.min(closingOf(cal, today - 1) ?? nowMs - 20 * hour, nowMs - hour) - i * hour
      result.push(
        makePromise(
          {
            id: nextId(),
            what: promiseFor(c),
            customerId: c.customerId,
            caseId: c.id,
            madeBy: by,
            department: departmentOf(by) || c.department,
            dueAt: new Date(dueMs).toISOString(),
          },
          { by, at: new Date(dueMs - 30 * hour).toISOString() },
        ),
      )
    })
  return result
}

/** The sample cases with their promises' history on their timelines, in time order. */
export function withPromiseTimelines(cases: readonly Case[], promises: readonly CustomerPromise[]): Case[] {
  const byCase = new Map<string, CustomerPromise[]>()
  for (const p of promises) {
    if (!p.caseId) continue
    const list = byCase.get(p.caseId)
    if (list) list.push(p)
    else byCase.set(p.caseId, [p])
  }
  return cases.map((c) => {
    const own = byCase.get(c.id)
    if (!own) return c
    const events = own.flatMap((p) => {
      // A successor's making is told by its predecessor's renegotiation line, with the new due time.
      const made = p.predecessorId ? [] : [promiseEvent(p, 'made', { by: p.madeBy, at: p.madeAt })]
      if (p.status === 'open' || !p.closedAt) return made
      const closer = { by: p.closedBy ?? p.madeBy, at: p.closedAt }
      if (p.status === 'renegotiated') {
        const successor = own.find((s) => s.id === p.successorId)
        return successor ? [...made, promiseEvent(successor, 'renegotiated', closer, p.note)] : made
      }
      return [...made, promiseEvent(p, p.status, closer, p.note)]
    })
    const timeline = [...c.timeline, ...events]
    return { ...c, timeline: timeline.sort((a, b) => a.at.localeCompare(b.at)) }
  })
}
