// The data both benches load: `npm run bench` (a data folder) and `npm run bench:team` (a team
// database), so that their figures describe the same history.
import { makeCase, makeCustomer, makeGrumble, makePromise, makeSignal } from '../test/helpers/records'

/** How many months the generated history spans. */
export const historyMonths = 36

/** Record `index`'s time: spread over the 36 months up to November 2026, a few a day. */
export function monthOf(index: number): string {
  const date = new Date(Date.UTC(2026, 10 - (index % historyMonths), 1 + (index % 28), 9, index % 60))
  return date.toISOString()
}

/**
 * The real record kinds with realistic values: per case 3 promises, and the "10 grumble/churn
 * signals" split as 8 grumbles + 2 churn signals, all in the case's month.
 */
export function generate(cases: number) {
  const customers = Array.from({ length: Math.max(10, Math.floor(cases / 3)) }, (_, i) => makeCustomer(i))
  const customerOf = (i: number) => `cust-${i % customers.length}`
  const caseList = Array.from({ length: cases }, (_, i) => makeCase(i, monthOf(i), 1, customerOf(i)))
  const promises = Array.from({ length: cases * 3 }, (_, i) => {
    const c = Math.floor(i / 3)
    return makePromise(i, monthOf(c), `case-${c}`, customerOf(c))
  })
  const grumbles = Array.from({ length: cases * 8 }, (_, i) =>
    makeGrumble(i, monthOf(Math.floor(i / 8)), customerOf(i)),
  )
  const signals = Array.from({ length: cases * 2 }, (_, i) => makeSignal(i, monthOf(Math.floor(i / 2)), customerOf(i)))
  return { customers, cases: caseList, promises, grumbles, signals }
}
