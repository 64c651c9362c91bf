import { isClosed, readyToCloseSince } from '../../../shared/cases/recovery'
import { type CaseSummary, type MyWork, type ReadyToClose, type TeamWork } from '../../../shared/api'
import { isOpenEscalation } from '../../../shared/escalations/escalation'
import { type PromiseSummary } from '../../../shared/promises/contract'
import { stateAt } from '../../../shared/promises/promises'
import { type Case } from '../../../shared/schemas'
import { type ServiceContext } from '../context'
import { summarizePromise } from '../promises/promises'
import { summarize } from './cases'
import { openPromises } from '../promises/oldPromises'

/** Untouched longest first: the case whose last change is oldest is the one most likely forgotten. */
const byLastChange = (a: Case, b: Case) => (a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : 0)

/**
 * Today → Mine: the open cases the current user owns, the promises they made or that sit on
 * their cases, and the escalations whose planned action is theirs. Nobody named, nothing theirs.
 */
export function myWork(ctx: ServiceContext): MyWork {
  const person = ctx.store.settings.currentUser
  if (!person) return { person, cases: [], promises: [], escalations: [], isComplete: ctx.store.isFullyLoaded }
  const mine = [...ctx.store.all('cases')].filter((c) => !isClosed(c) && c.owner === person).sort(byLastChange)
  const myCaseIds = new Set(mine.map((c) => c.id))
  const now = ctx.now()
  const promises: PromiseSummary[] = []
  for (const p of openPromises(ctx.store)) {
    if (p.madeBy !== person && !(p.caseId && myCaseIds.has(p.caseId))) continue
    promises.push(summarizePromise(ctx, p, now))
  }
  promises.sort((a, b) => a.dueAt.localeCompare(b.dueAt))
  const escalations = [...ctx.store.all('escalations')]
    .filter((e) => isOpenEscalation(e) && e.action?.owner === person)
    .map((e) => {
      const customerName = e.subject.customerId ? ctx.store.get('customers', e.subject.customerId)?.name : undefined
      const caseNumber = e.subject.caseId ? ctx.store.get('cases', e.subject.caseId)?.number : undefined
      return { ...e, ...(customerName ? { customerName } : {}), ...(caseNumber ? { caseNumber } : {}) }
    })
  return {
    person,
    cases: mine.map((c) => summarize(ctx, c)),
    promises,
    escalations,
    isComplete: ctx.store.isFullyLoaded,
  }
}

/**
 * Today → Team: per person (the staff list, plus anyone else who owns an open case), their open
 * cases, overdue promises and the case untouched longest; and what waits for management.
 */
export function teamWork(ctx: ServiceContext): TeamWork {
  const people = new Map<string, { cases: Case[]; overdue: number }>()
  const entry = (name: string) => {
    let found = people.get(name)
    if (!found) people.set(name, (found = { cases: [], overdue: 0 }))
    return found
  }
  for (const s of ctx.store.settings.staff) entry(s.name)
  let unowned = 0
  for (const c of ctx.store.all('cases')) {
    if (isClosed(c)) continue
    if (c.owner) entry(c.owner).cases.push(c)
    else unowned++
  }
  const now = ctx.now()
  for (const p of openPromises(ctx.store)) {
    if (stateAt(p, now) !== 'overdue') continue
    // A promise counts against whoever made it; a guarantee's, against the owner of its case.
    const owner = people.has(p.madeBy) ? p.madeBy : p.caseId ? ctx.store.get('cases', p.caseId)?.owner : undefined
    if (owner) entry(owner).overdue++
  }
  const members = [...people.entries()]
    .map(([person, work]) => {
      const oldest = [...work.cases].sort(byLastChange)[0]
      return {
        person,
        openCases: work.cases.length,
        overduePromises: work.overdue,
        oldestUntouched: oldest ? summarize(ctx, oldest) : null,
      }
    })
    .sort(
      (a, b) => b.overduePromises - a.overduePromises || b.openCases - a.openCases || a.person.localeCompare(b.person),
    )
  let unacknowledgedEscalations = 0
  for (const e of ctx.store.all('escalations')) if (e.status === 'raised') unacknowledgedEscalations++
  return { members, unowned, unacknowledgedEscalations, isComplete: ctx.store.isFullyLoaded }
}

/**
 * Cases whose six steps are all done or skipped but which are not closed: only the satisfaction
 * call is left, and nothing else on Today would show them. Waiting longest first.
 */
export function readyToClose(ctx: ServiceContext): ReadyToClose {
  const ready: (CaseSummary & { steps: Case['steps']; readySince: string })[] = []
  for (const c of ctx.store.all('cases')) {
    if (isClosed(c)) continue
    const since = readyToCloseSince(c)
    if (since) ready.push({ ...summarize(ctx, c), steps: c.steps, readySince: since })
  }
  ready.sort((a, b) => (a.readySince < b.readySince ? -1 : a.readySince > b.readySince ? 1 : 0))
  return { cases: ready, isComplete: ctx.store.isFullyLoaded }
}
