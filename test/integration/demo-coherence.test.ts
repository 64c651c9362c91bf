import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/services'
import { type DemoStory, type DemoStoryPools, storyOfSummary } from '../../src/shared/demo/demo'
import { isOpenEscalation } from '../../src/shared/escalations/escalation'
import { groupEscalations } from '../../src/shared/escalations/grouping'
import { type ServiceContext } from '../../src/main/services/context'
import { openContext, tempDir } from '../helpers/temp'

const pools = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'resources', 'demo', 'stories.json'), 'utf8'),
) as DemoStoryPools

/** The sample as a newcomer meets it: loaded through the service into a real, empty data folder. */
async function sample(now: string): Promise<ServiceContext> {
  const ctx = await openContext(await tempDir(), { now })
  const loaded = await dispatch(ctx, 'demo:load', {})
  if (!loaded.ok) throw new Error(loaded.error.message)
  return ctx
}

const hasHan = (text: string) => /\p{Script=Han}/u.test(text)

describe('the sample data holds together', () => {
  it('tells every case from one story, in its customer’s language, with promises from that story only', async () => {
    const ctx = await sample('2026-11-23T10:00:00.000Z')
    const cases = [...ctx.store.all('cases')]
    const storyOf = new Map<string, DemoStory>()
    for (const c of cases) {
      const story = storyOfSummary(pools.stories, c.summary)
      expect(story, c.summary).toBeDefined()
      const s = story as DemoStory
      storyOf.set(c.id, s)
      // Its facts are the story's: category, department, the owner works in that department.
      expect([c.category, c.department]).toEqual([s.category, s.department])
      const customer = ctx.store.get('customers', c.customerId)
      expect(hasHan(c.summary)).toBe(hasHan(customer?.name ?? ''))
      // Every step note is the customer's language too.
      for (const step of c.steps) if (step.note) expect(hasHan(step.note), step.note).toBe(hasHan(c.summary))
    }
    const staffPromises = [...ctx.store.all('promises')].filter((p) => p.what && p.caseId)
    expect(staffPromises.length).toBeGreaterThan(30)
    for (const p of staffPromises) {
      const c = ctx.store.get('cases', p.caseId ?? '')
      const story = storyOf.get(p.caseId ?? '') as DemoStory
      const telling = hasHan(c?.summary ?? '') ? story.zh : story.en
      // "Return the overcharge" belongs to the double charge, never to a sticky table.
      expect(telling.promises, `${c?.summary}: ${p.what}`).toContain(p.what)
    }
  })

  it('repeats no step note word for word more than five times in 150 cases (a fix the team applies again), and varies the rest', async () => {
    const ctx = await sample('2026-11-23T10:00:00.000Z')
    const uses = new Map<string, number>()
    for (const c of ctx.store.all('cases')) {
      for (const step of c.steps) if (step.note) uses.set(step.note, (uses.get(step.note) ?? 0) + 1)
    }
    const worst = [...uses.entries()].sort((a, b) => b[1] - a[1])[0]
    process.stdout.write(
      `step notes: ${uses.size} different of ${[...uses.values()].reduce((a, b) => a + b, 0)}; most repeated ${worst?.[1]}×: ${worst?.[0]}\n`,
    )
    expect(worst?.[1], worst?.[0]).toBeLessThanOrEqual(5)
    // Notes that speak to the customer are written for that customer: they name them.
    for (const c of ctx.store.all('cases')) {
      const name = ctx.store.get('customers', c.customerId)?.name ?? ''
      const parts = hasHan(name) ? [name] : name.split(' ')
      for (const step of c.steps.filter((x) => ['empathise', 'apologise', 'prevent'].includes(x.key) && x.note)) {
        expect(
          parts.some((part) => step.note?.includes(part)),
          `${step.note} (${name})`,
        ).toBe(true)
      }
    }
    // Hundreds of notes, nearly all different.
    const total = [...uses.values()].reduce((a, b) => a + b, 0)
    expect(total).toBeGreaterThan(500)
    expect(uses.size / total).toBeGreaterThan(0.6)
  })

  it('spreads the cases over customers as a bistro sees them: most once, a few twice, two regulars more', async () => {
    const ctx = await sample('2026-11-23T10:00:00.000Z')
    const perCustomer = new Map<string, number>()
    for (const c of ctx.store.all('cases')) perCustomer.set(c.customerId, (perCustomer.get(c.customerId) ?? 0) + 1)
    const histogram = new Map<number, number>()
    for (const n of perCustomer.values()) histogram.set(n, (histogram.get(n) ?? 0) + 1)
    // 150 cases: 119 customers once, 12 twice, one three times, one four times (119 + 24 + 3 + 4).
    expect(Object.fromEntries([...histogram.entries()].sort((a, b) => a[0] - b[0]))).toEqual({
      1: 119,
      2: 12,
      3: 1,
      4: 1,
    })
    // Every customer on file has complained (a one-off customer is known by their complaint).
    expect(ctx.store.count('customers')).toBe(perCustomer.size)
    // In both languages the sample shows.
    const names = [...ctx.store.all('customers')].map((c) => c.name)
    expect(names.filter(hasHan).length).toBeGreaterThan(30)
    expect(names.filter((n) => !hasHan(n)).length).toBeGreaterThan(60)
    expect(new Set(names).size).toBe(names.length)
  })

  it('asks the manager for a handful, not dozens: counts printed, bounds asserted', async () => {
    for (const now of ['2026-11-23T10:00:00.000Z', '2026-11-05T10:00:00.000Z', '2026-12-31T18:00:00.000Z']) {
      const ctx = await sample(now)
      const open = [...ctx.store.all('escalations')].filter(isOpenEscalation)
      const raised = open.filter((e) => e.status === 'raised')
      const rows = groupEscalations(open)
      const perRule = Object.fromEntries(
        [...new Set(open.map((e) => e.rule))].map((r) => [r, open.filter((e) => e.rule === r).length]),
      )
      process.stdout.write(
        `sample at ${now}: ${open.length} open in ${rows.length} rows, ${raised.length} unacknowledged; ${JSON.stringify(perRule)}\n`,
      )
      expect(raised.length).toBeGreaterThan(0)
      expect(raised.length).toBeLessThanOrEqual(8)
      expect(rows.length).toBeLessThanOrEqual(15)
      // The answered Delivery pattern is there whatever the day.
      expect(open.some((e) => e.patternKey.startsWith('recurring-failure') && e.status === 'action-planned')).toBe(true)
    }
  })
})
