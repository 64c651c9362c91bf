import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/services'
import { type ServiceContext } from '../../src/main/services/context'
import { exportReport } from '../../src/main/services/reports/reports'
import { exportToFile } from '../../src/main/services/storage/exchange'
import { type Method, type MethodOutput } from '../../src/shared/api'
import { type Report } from '../../src/shared/reports/report'
import { openContext, tempDir } from '../helpers/temp'

/**
 * The report's figures recounted from the exported data by a second, simple implementation
 * written here, apart from the report code: the sample data at a fixed clock, October 2026.
 */

type Exported = {
  collections: {
    cases: { id: string; receivedAt: string; category: string; department: string }[]
    grumbles: { id: string; heardAt: string; category: string; department: string; caseId?: string }[]
    failures: { at: string; category: string; department: string }[]
  }
}

const now = '2026-11-25T10:00:00.000Z'
const from = Date.parse('2026-10-01T00:00:00.000Z')
const to = Date.parse('2026-11-01T00:00:00.000Z')
const inOctober = (iso: string) => Date.parse(iso) >= from && Date.parse(iso) < to

async function call<M extends Method>(ctx: ServiceContext, method: M, input: unknown): Promise<MethodOutput<M>> {
  const result = await dispatch(ctx, method, input)
  if (!result.ok) throw Object.assign(new Error(result.error.message), result.error)
  return result.value
}

/**
 * Failures, recounted: cases received in October, October grumbles that did not become a case,
 * and failures logged without a customer.
 */
function recountFailures(data: Exported): { category: string; department: string }[] {
  const caseIds = new Set(data.collections.cases.map((c) => c.id))
  return [
    ...data.collections.cases.filter((c) => inOctober(c.receivedAt)),
    ...data.collections.grumbles
      .filter((g) => inOctober(g.heardAt) && !(g.caseId && caseIds.has(g.caseId)))
      .map((g) => ({ category: g.category, department: g.department })),
    ...data.collections.failures.filter((f) => inOctober(f.at)),
  ]
}

function tally(keys: string[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const k of keys) if (k) out[k] = (out[k] ?? 0) + 1
  return out
}

let ctx: ServiceContext
let data: Exported
let report: Report

beforeAll(async () => {
  ctx = await openContext(await tempDir(), { now })
  await call(ctx, 'demo:load', {})
  const file = join(await tempDir(), 'export.json')
  await exportToFile(ctx, file)
  data = JSON.parse(await readFile(file, 'utf8')) as Exported
  const json = await exportReport(ctx, { month: '2026-10', format: 'json', locale: 'en' })
  report = JSON.parse(Buffer.from(json.base64, 'base64').toString('utf8')) as Report
})

describe('the report recounted from the exported sample data (October 2026)', () => {
  it('department failures count every failure; the Departments screen sums to the same', async () => {
    const expected = tally(recountFailures(data).map((f) => f.department))
    const reported = Object.fromEntries(
      report.departments.filter((d) => d.failures > 0).map((d) => [d.department, d.failures]),
    )
    expect(reported).toEqual(expected)
    for (const d of report.departments) {
      expect(
        d.categories.reduce((a, c) => a + c.failures, 0),
        d.department,
      ).toBe(d.failures)
    }
    const screen = await call(ctx, 'escalations:departments', {})
    const october = screen.months.indexOf('2026-10')
    const screenSums = Object.fromEntries(
      screen.departments
        .filter((d) => d.department !== '')
        .map((d) => [d.department, d.rows.reduce((a, r) => a + (r.counts[october] ?? 0), 0)])
        .filter(([, n]) => n !== 0),
    )
    expect(screenSums).toEqual(expected)
    // Targets sit beside their categories, as the screen shows them.
    for (const d of screen.departments) {
      for (const row of d.rows.filter((r) => r.target !== undefined)) {
        const shown = report.departments.find((x) => x.department === d.department)?.categories
        expect(shown?.find((c) => c.category === row.category)?.target).toBe(row.target)
      }
    }
  })

  it('a promoted grumble counts once, as its case, in the top five categories', () => {
    const caseIds = new Set(data.collections.cases.map((c) => c.id))
    const promoted = data.collections.grumbles.filter((g) => inOctober(g.heardAt) && g.caseId && caseIds.has(g.caseId))
    expect(promoted.length).toBeGreaterThan(0) // the sample has some, so the rule is exercised
    const counts = tally(recountFailures(data).map((f) => f.category))
    const top = Object.entries(counts)
      .sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))
      .slice(0, 5)
    expect(report.topCategories.map((c) => [c.category, c.count])).toEqual(top)
  })
})
