// `npx tsx bench/report.ts`: the time to build and render the monthly report for a month of
// 10,000 cases (plus five earlier months of 2,000 each for the trend). Printed, not asserted.
import { performance } from 'node:perf_hooks'
import { renderReportCsv } from '../src/main/report/csv'
import { renderReportPdf } from '../src/main/report/pdf'
import { renderReportXlsx } from '../src/main/report/xlsx'
import { translatorFor } from '../src/main/services/reports/reports'
import { closeCase, completeStep, freshSteps } from '../src/shared/cases/recovery'
import { buildReport, monthPeriod } from '../src/shared/reports/report'
import { renderReportHtml } from '../src/shared/reports/reportHtml'
import { type Case, type Customer, builtInCategoryIds, stepKeys } from '../src/shared/schemas'
import { seededRandom } from '../src/shared/demo/demo'

const random = seededRandom(7)
const departments = ['Kitchen', 'Front of house', 'Delivery', 'Online orders']
const customers: Customer[] = Array.from({ length: 2000 }, (_, i) => ({
  id: `cu-${i}`,
  name: `Customer ${i}`,
  notes: '',
  createdAt: '2025-01-01T00:00:00.000Z',
}))

function makeCase(index: number, monthStart: number): Case {
  const received = new Date(monthStart + Math.floor(random() * 28 * 86_400_000))
  const at = received.toISOString()
  let c: Case = {
    id: `bench-${index}`,
    number: `C-2026-${String(index + 1).padStart(5, '0')}`,
    customerId: `cu-${index % customers.length}`,
    summary: 'Bench case',
    description: '',
    remedySought: '',
    channel: random() < 0.8 ? 'formal' : 'grumble',
    source: 'phone',
    category: builtInCategoryIds[Math.floor(random() * builtInCategoryIds.length)] as string,
    severity: 'minor',
    department: departments[index % departments.length] as string,
    owner: 'Anna',
    status: 'open',
    receivedAt: at,
    steps: freshSteps(),
    timeline: [{ at, by: 'Anna', type: 'created' }],
    updatedAt: at,
  }
  let t = received.getTime()
  for (const key of stepKeys) {
    t += Math.floor(random() * 20) * 3_600_000 + 600_000
    c = completeStep(c, key, '', { by: 'Anna', at: new Date(t).toISOString() })
  }
  if (random() < 0.8) {
    c = closeCase(
      c,
      { reached: true, satisfaction: 1 + Math.floor(random() * 5), wouldComeBack: random() < 0.6 ? 'yes' : 'no' },
      { by: 'Anna', at: new Date(t + 3_600_000).toISOString() },
    )
  }
  return c
}

async function time<T>(label: string, work: () => Promise<T> | T): Promise<T> {
  const start = performance.now()
  const result = await work()
  process.stdout.write(`${label.padEnd(34)} ${(performance.now() - start).toFixed(0).padStart(6)} ms\n`)
  return result
}

async function main(): Promise<void> {
  const cases: Case[] = []
  let n = 0
  for (const [month, count] of [
    ['2026-05', 2000],
    ['2026-06', 2000],
    ['2026-07', 2000],
    ['2026-08', 2000],
    ['2026-09', 2000],
    ['2026-10', 10_000],
  ] as const) {
    const start = Date.parse(`${month}-01T00:00:00Z`)
    for (let i = 0; i < count; i++) cases.push(makeCase(n++, start))
  }
  process.stdout.write(`Report bench: ${cases.length} cases, 10,000 of them in 2026-10\n`)
  const t = await translatorFor('en')
  const input = {
    cases,
    customers,
    settings: { businessName: 'Bench Bistro', departments, categories: [] },
    locale: 'en' as const,
  }
  const report = await time('build the model (buildReport)', () =>
    buildReport(input, monthPeriod('2026-10'), new Date('2026-11-23T10:00:00Z'), t),
  )
  await time('JSON', () => JSON.stringify(report, null, 2))
  await time('HTML', () => renderReportHtml(report, t))
  await time('CSV (12 files)', () => renderReportCsv(report, t))
  await time('XLSX', () => renderReportXlsx(report, t))
  await time('PDF A4 (first: loads the fonts)', () => renderReportPdf(report, t, 'a4'))
  await time('PDF US Letter (fonts loaded)', () => renderReportPdf(report, t, 'letter'))
  const zh = await translatorFor('zh-CN')
  const zhReport = buildReport(
    { ...input, locale: 'zh-CN' },
    monthPeriod('2026-10'),
    new Date('2026-11-23T10:00:00Z'),
    zh,
  )
  await time('PDF A4 in Chinese', () => renderReportPdf(zhReport, zh, 'a4'))
}

void main()
