import { format } from 'date-fns'
import { dateLocaleOf, formatMonth } from '../core/i18n/dateLocales'
import { monthOf } from '../core/months'
import { type Report, type Translate } from './reportModel'
import { figureAt, summaryKeys } from './report'
import { type Locale } from '../schemas'
import { rubricDimensions } from '../rubrics/rubrics'
import { type Currency, formatMoney } from '../money/currency'

/**
 * The report laid out once as titled tables and charts, in the report's language. Every
 * renderer (PDF, XLSX, CSV, HTML, the Reports screen) draws exactly these cells, so every
 * format shows the same numbers.
 */

export type CellKind = 'text' | 'int' | 'decimal' | 'percent' | 'money' | 'date' | 'month' | 'bool'
/** A typed value: numbers stay numbers (rates as fractions), dates as ISO strings, null = nothing to measure. */
export type Cell = { kind: CellKind; value: string | number | boolean | null; currency?: Currency }
export type Column = { key: string; label: string; kind: CellKind }
/** `key`, where set, is the path of the figure in the JSON model (e.g. `cases.opened`). */
export type Row = { key?: string; cells: Cell[] }
export type ReportTable = { id: string; title: string; columns: Column[]; rows: Row[]; note?: string }

export type ChartSeries = { label: string; color: string; values: number[] }
export type ReportChart = {
  id: string
  title: string
  /** `bars`: grouped vertical bars per category; `hbars`: horizontal bars, one group per category. */
  kind: 'bars' | 'hbars'
  categories: string[]
  series: ChartSeries[]
}

export const palette = {
  formal: '#1f5f99',
  grumble: '#e08a1e',
  silent: '#7b8794',
  current: '#1f5f99',
  previous: '#b8c4d1',
  kept: '#2e8540',
  late: '#e0b31e',
  broken: '#c0392b',
}

const parseDate = (iso: string) => new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso)

/** A cell as text in the report's language; null reads as a dash. */
export function formatCell(cell: Cell, locale: Locale, t: Translate): string {
  const { value } = cell
  if (value === null || value === '') return cell.kind === 'text' ? '' : t('report:none')
  if (typeof value === 'boolean') return value ? t('report:yes') : t('report:no')
  switch (cell.kind) {
    case 'int':
      return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(Number(value))
    case 'decimal':
      return new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 2 }).format(Number(value))
    case 'money':
      return cell.currency
        ? formatMoney(Number(value), locale, cell.currency)
        : new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Number(value))
    case 'percent':
      return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(Number(value))
    case 'date':
      return format(parseDate(String(value)), 'PP', { locale: dateLocaleOf(locale) })
    case 'month':
      return formatMonth(String(value), locale)
    default:
      return String(value)
  }
}

/** "1 Oct 2026 – 31 Oct 2026", in the report's language. */
export function formatPeriod(report: Report, t: Translate): string {
  const from = formatCell({ kind: 'date', value: report.period.from }, report.locale, t)
  const to = formatCell({ kind: 'date', value: report.period.to }, report.locale, t)
  return t('report:periodRange', { from, to })
}

const text = (value: string): Cell => ({ kind: 'text', value })
const int = (value: number | null): Cell => ({ kind: 'int', value })
const decimal = (value: number | null): Cell => ({ kind: 'decimal', value })
const percent = (value: number | null): Cell => ({ kind: 'percent', value })
/** An amount: every money cell carries the report's currency, so every format writes it. */
const money = (report: Report, value: number | null): Cell => ({ kind: 'money', value, currency: report.currency })

function figures(id: string, t: Translate, rows: [string, Cell][], note?: string): ReportTable {
  return {
    id,
    title: t(`report:section.${id}`),
    columns: [
      { key: 'figure', label: t('report:column.figure'), kind: 'text' },
      { key: 'value', label: t('report:column.value'), kind: 'text' },
    ],
    rows: rows.map(([key, cell]) => ({ key, cells: [text(t(`report:figure.${key}`)), cell] })),
    ...(note ? { note } : {}),
  }
}

const label = (report: Report, id: string) => report.categoryLabels[id] ?? id

/** A figure's name: the report's own figures, or the newer ones (costs…) in the insights namespace. */
const figureName = (t: Translate, key: string) =>
  key.startsWith('costs.') ? t(`insights:figure.${key}`) : t(`report:figure.${key}`)

/** The kind of a summary figure, by its key. */
function summaryKind(key: string): CellKind {
  if (key.endsWith('Rate')) return 'percent'
  if (key.startsWith('cases.median') || key === 'recovery.satisfactionAverage') return 'decimal'
  if (key.startsWith('costs.')) return 'money'
  return 'int'
}

/** "Month before" / "Period before": a calendar month compares with a calendar month. */
const isMonthPeriod = (r: Report) => r.period.from.endsWith('-01') && monthOf(r.period.from) === monthOf(r.period.to)

/** The period before and the same period a year earlier, named as months when the report is one. */
function comparisonColumns(r: Report, t: Translate): ReportTable['columns'] {
  const isMonth = isMonthPeriod(r)
  return [
    {
      key: 'previous',
      label: t(isMonth ? 'insights:column.monthBefore' : 'insights:column.periodBefore'),
      kind: 'text',
    },
    {
      key: 'lastYear',
      label: t(isMonth ? 'insights:column.monthLastYear' : 'insights:column.periodLastYear'),
      kind: 'text',
    },
  ]
}

/** Headline figures beside the period before and the same period a year earlier (— where no data). */
function summaryTable(r: Report, t: Translate): ReportTable {
  const cell = (key: string, value: number | null): Cell =>
    summaryKind(key) === 'money' ? money(r, value) : { kind: summaryKind(key), value }
  return {
    id: 'summary',
    title: t('report:section.summary'),
    columns: [
      { key: 'figure', label: t('report:column.figure'), kind: 'text' },
      { key: 'value', label: t('report:column.value'), kind: 'text' },
      ...comparisonColumns(r, t),
    ],
    rows: summaryKeys.map((key) => ({
      key,
      cells: [
        text(figureName(t, key)),
        cell(key, figureAt(r, key)),
        cell(key, r.compare.previous ? (r.compare.previous.figures[key] ?? null) : null),
        cell(key, r.compare.lastYear ? (r.compare.lastYear.figures[key] ?? null) : null),
      ],
    })),
    note: t('insights:note.compare'),
  }
}

/** The three things to act on: what, its figure beside the period before and a year earlier, and where the detail is. */
function actOnTable(r: Report, t: Translate): ReportTable {
  const cell = (rule: string, value: number | null): Cell =>
    rule === 'costliest-category' ? money(r, value) : { kind: 'int', value }
  return {
    id: 'actOn',
    title: t('insights:section.actOn'),
    columns: [
      { key: 'text', label: t('insights:column.what'), kind: 'text' },
      { key: 'figure', label: t('report:column.value'), kind: 'text' },
      ...comparisonColumns(r, t),
      { key: 'section', label: t('insights:column.detail'), kind: 'text' },
    ],
    rows: r.actOn.map((a) => ({
      key: a.rule,
      cells: [
        text(a.text),
        cell(a.rule, a.figure),
        cell(a.rule, a.previous),
        cell(a.rule, a.lastYear),
        text(sectionTitle(t, a.section)),
      ],
    })),
    ...(r.actOn.length === 0 ? { note: t('insights:note.nothingToActOn') } : {}),
  }
}

const sectionTitle = (t: Translate, id: string) =>
  ['actOn', 'comeback', 'loyalty', 'costs', 'costsByCategory'].includes(id)
    ? t(`insights:section.${id}`)
    : t(`report:section.${id}`)

/** Came back and spend, recovered beside not recovered. */
function comebackTable(r: Report, t: Translate): ReportTable {
  const c = r.comeback
  const row = (key: keyof (typeof c)['recovered'], kind: 'int' | 'percent' | 'money'): Row => {
    const make = (value: number | null): Cell => (kind === 'money' ? money(r, value) : { kind, value })
    return {
      key: `comeback.${key}`,
      cells: [text(t(`insights:figure.comeback.${key}`)), make(c.recovered[key]), make(c.notRecovered[key])],
    }
  }
  return {
    id: 'comeback',
    title: t('insights:section.comeback'),
    columns: [
      { key: 'figure', label: t('report:column.figure'), kind: 'text' },
      { key: 'recovered', label: t('insights:column.recovered'), kind: 'text' },
      { key: 'notRecovered', label: t('insights:column.notRecovered'), kind: 'text' },
    ],
    rows: [
      row('customers', 'int'),
      row('withoutActivity', 'int'),
      row('cameBack30', 'int'),
      row('cameBack30Rate', 'percent'),
      row('cameBack90', 'int'),
      row('cameBack90Rate', 'percent'),
      row('spendBefore', 'money'),
      row('spendAfter', 'money'),
    ],
    note: c.hasActivity ? t('insights:note.comeback') : t('insights:note.noActivity'),
  }
}

function loyaltyTable(r: Report, t: Translate): ReportTable {
  const l = r.loyalty
  return {
    id: 'loyalty',
    title: t('insights:section.loyalty'),
    columns: [
      { key: 'figure', label: t('report:column.figure'), kind: 'text' },
      { key: 'value', label: t('report:column.value'), kind: 'text' },
    ],
    rows: [
      ['customerBase', int(l.customerBase)],
      ['newCustomers', int(l.newCustomers)],
      ['retentionRate', percent(l.retentionRate)],
      ['churnRate', percent(l.churnRate)],
      ['visitFrequency', decimal(l.visitFrequency)],
      ['averageSpend', money(r, l.averageSpend)],
    ].map(([key, cell]) => ({
      key: `loyalty.${key as string}`,
      cells: [text(t(`insights:figure.loyalty.${key as string}`)), cell as Cell],
    })),
    // Each KPI's definition, as the report promises: a figure nobody can check is not trusted.
    note: l.hasActivity ? t('insights:note.loyalty') : `${t('insights:note.noActivity')} ${t('insights:note.loyalty')}`,
  }
}

function costTables(r: Report, t: Translate): ReportTable[] {
  const c = r.costs
  return [
    {
      id: 'costs',
      title: t('insights:section.costs'),
      columns: [
        { key: 'figure', label: t('report:column.figure'), kind: 'text' },
        { key: 'value', label: t('report:column.value'), kind: 'text' },
      ],
      rows: [
        ['costs.total', money(r, c.total)],
        ['costs.byKind.refund', money(r, c.byKind.refund)],
        ['costs.byKind.compensation', money(r, c.byKind.compensation)],
        ['costs.byKind.staff-time', money(r, c.byKind['staff-time'])],
        ['costs.byKind.failure', money(r, c.byKind.failure)],
        ['costs.failuresWithoutCustomer', int(c.failuresWithoutCustomer)],
        ['costs.guarantees.broken', int(c.guarantees.broken)],
        ['costs.guarantees.compensated', int(c.guarantees.compensated)],
        ['costs.guarantees.notGiven', int(c.guarantees.notGiven)],
        ['costs.guarantees.unrecorded', int(c.guarantees.unrecorded)],
        ['costs.guarantees.amount', money(r, c.guarantees.amount)],
      ].map(([key, cell]) => ({ key: key as string, cells: [text(figureName(t, key as string)), cell as Cell] })),
      note: t('insights:note.costs'),
    },
    {
      id: 'costsByCategory',
      title: t('insights:section.costsByCategory'),
      columns: [
        { key: 'category', label: t('report:column.category'), kind: 'text' },
        { key: 'cost', label: t('insights:column.cost'), kind: 'money' },
        { key: 'failures', label: t('insights:column.withCost'), kind: 'int' },
      ],
      rows: c.byCategory.map((row) => ({
        key: row.category,
        cells: [text(label(r, row.category)), money(r, row.cost), int(row.failures)],
      })),
    },
  ]
}

/** The report's sections as tables, in reading order. */
export function reportTables(report: Report, t: Translate): ReportTable[] {
  const r = report
  const tables: ReportTable[] = [
    actOnTable(r, t),
    summaryTable(r, t),
    figures(
      'iceberg',
      t,
      [
        ['iceberg.formal', int(r.iceberg.formal)],
        ['iceberg.grumble', int(r.iceberg.grumble)],
        ['iceberg.silent', int(r.iceberg.silent)],
        ['iceberg.estimatedTotalProblems', int(r.iceberg.estimatedTotalProblems)],
        ['iceberg.grumbleCaptureRate', percent(r.iceberg.grumbleCaptureRate)],
      ],
      t('report:note.iceberg'),
    ),
    figures('cases', t, [
      ['cases.opened', int(r.cases.opened)],
      ['cases.closed', int(r.cases.closed)],
      ['cases.openAtEnd', int(r.cases.openAtEnd)],
      ['cases.medianHoursToFirstResponse', decimal(r.cases.medianHoursToFirstResponse)],
      ['cases.medianHoursToResolve', decimal(r.cases.medianHoursToResolve)],
    ]),
    figures(
      'promises',
      t,
      [
        ['promises.due', int(r.promises.due)],
        ['promises.keptOnTime', int(r.promises.keptOnTime)],
        ['promises.keptLate', int(r.promises.keptLate)],
        ['promises.broken', int(r.promises.broken)],
        ['promises.keptRate', percent(r.promises.keptRate)],
      ],
      r.sources.promises ? undefined : t('report:note.notTracked'),
    ),
    figures('recovery', t, [
      ['recovery.satisfactionAverage', decimal(r.recovery.satisfactionAverage)],
      ['recovery.wouldComeBackRate', percent(r.recovery.wouldComeBackRate)],
    ]),
    figures(
      'churn',
      t,
      [
        ['churn.signals', int(r.churn.signals)],
        ['churn.customersAtRisk', int(r.churn.customersAtRisk)],
        ['churn.valueAtRisk', money(r, r.churn.valueAtRisk)],
        ['churn.winBacks', int(r.churn.winBacks)],
        ['churn.winBackRate', percent(r.churn.winBackRate)],
      ],
      r.sources.signals ? undefined : t('report:note.churnFromCases'),
    ),
    {
      id: 'atRisk',
      title: t('report:section.atRisk'),
      columns: [
        { key: 'name', label: t('report:column.customer'), kind: 'text' },
        { key: 'valueAtRisk', label: t('report:column.valueAtRisk'), kind: 'money' },
      ],
      rows: r.churn.atRisk.map((c) => ({ cells: [text(c.name), money(r, c.valueAtRisk)] })),
    },
    {
      id: 'topCategories',
      title: t('report:section.topCategories'),
      columns: [
        { key: 'category', label: t('report:column.category'), kind: 'text' },
        { key: 'count', label: t('report:column.count'), kind: 'int' },
        { key: 'previousCount', label: t('report:column.previousCount'), kind: 'int' },
        { key: 'change', label: t('report:column.change'), kind: 'int' },
      ],
      rows: r.topCategories.map((c) => ({
        key: c.category,
        cells: [text(label(r, c.category)), int(c.count), int(c.previousCount), int(c.count - c.previousCount)],
      })),
    },
    figures(
      'escalations',
      t,
      [
        ['escalations.raised', int(r.escalations.raised)],
        ['escalations.open', int(r.escalations.open)],
        ['escalations.resolved', int(r.escalations.resolved)],
      ],
      r.sources.escalations ? undefined : t('report:note.notTracked'),
    ),
    {
      id: 'escalationItems',
      title: t('report:section.escalationItems'),
      columns: [
        { key: 'title', label: t('report:column.title'), kind: 'text' },
        { key: 'department', label: t('report:column.department'), kind: 'text' },
        { key: 'raisedAt', label: t('report:column.raisedAt'), kind: 'date' },
        { key: 'status', label: t('report:column.status'), kind: 'text' },
        { key: 'evidence', label: t('report:column.evidence'), kind: 'text' },
        { key: 'action', label: t('report:column.action'), kind: 'text' },
      ],
      rows: r.escalations.items.map((e) => ({
        key: e.id,
        cells: [
          text(e.title),
          text(e.department),
          { kind: 'date', value: e.raisedAt },
          text(t(`report:escalationStatus.${e.status}`)),
          text(e.evidence),
          text(e.action),
        ],
      })),
    },
    {
      id: 'departments',
      title: t('report:section.departments'),
      columns: [
        { key: 'department', label: t('report:column.department'), kind: 'text' },
        { key: 'failures', label: t('report:column.failures'), kind: 'int' },
        { key: 'target', label: t('report:column.target'), kind: 'int' },
        { key: 'metTarget', label: t('report:column.metTarget'), kind: 'bool' },
      ],
      rows: r.departments.map((d) => ({
        key: d.department,
        cells: [text(d.department), int(d.failures), int(d.target), { kind: 'bool', value: d.metTarget }],
      })),
      ...(r.departments.some((d) => d.target !== null) ? {} : { note: t('report:note.noTargets') }),
    },
    {
      id: 'departmentCategories',
      title: t('report:section.departmentCategories'),
      columns: [
        { key: 'department', label: t('report:column.department'), kind: 'text' },
        { key: 'category', label: t('report:column.category'), kind: 'text' },
        { key: 'failures', label: t('report:column.failures'), kind: 'int' },
        { key: 'target', label: t('report:column.target'), kind: 'int' },
        { key: 'metTarget', label: t('report:column.metTarget'), kind: 'bool' },
      ],
      rows: r.departments.flatMap((d) =>
        d.categories.map((c) => ({
          key: `${d.department}/${c.category}`,
          cells: [
            text(d.department),
            text(label(r, c.category)),
            int(c.failures),
            int(c.target),
            { kind: 'bool' as const, value: c.metTarget },
          ],
        })),
      ),
    },
    rubricTable('rubricPeople', r.rubrics.people, t),
    rubricTable('rubricDepartments', r.rubrics.departments, t),
    comebackTable(r, t),
    loyaltyTable(r, t),
    ...costTables(r, t),
    {
      id: 'trend',
      title: t('report:section.trend'),
      columns: [
        { key: 'month', label: t('report:column.month'), kind: 'month' },
        { key: 'formal', label: t('report:figure.iceberg.formal'), kind: 'int' },
        { key: 'grumble', label: t('report:figure.iceberg.grumble'), kind: 'int' },
        { key: 'silent', label: t('report:figure.iceberg.silent'), kind: 'int' },
        { key: 'opened', label: t('report:figure.cases.opened'), kind: 'int' },
        { key: 'closed', label: t('report:figure.cases.closed'), kind: 'int' },
        { key: 'satisfactionAverage', label: t('report:figure.recovery.satisfactionAverage'), kind: 'decimal' },
        { key: 'wouldComeBackRate', label: t('report:figure.recovery.wouldComeBackRate'), kind: 'percent' },
        { key: 'keptRate', label: t('report:figure.promises.keptRate'), kind: 'percent' },
      ],
      rows: r.trend.map((m) => ({
        key: m.month,
        cells: [
          { kind: 'month', value: m.month },
          int(m.formal),
          int(m.grumble),
          int(m.silent),
          int(m.opened),
          int(m.closed),
          decimal(m.satisfactionAverage),
          percent(m.wouldComeBackRate),
          percent(m.keptRate),
        ],
      })),
    },
  ]
  return tables
}

/** Rubric averages per person or per department: how many cases were scored and each dimension's mean. */
function rubricTable(
  id: 'rubricPeople' | 'rubricDepartments',
  groups: Report['rubrics']['people'],
  t: Translate,
): ReportTable {
  const isPeople = id === 'rubricPeople'
  return {
    id,
    title: t(isPeople ? 'rubrics:report.people' : 'rubrics:report.departments'),
    columns: [
      { key: 'name', label: t(isPeople ? 'rubrics:report.person' : 'report:column.department'), kind: 'text' },
      { key: 'count', label: t('rubrics:report.count'), kind: 'int' },
      ...rubricDimensions.map((d) => ({ key: d, label: t(`rubrics:dimension.${d}`), kind: 'decimal' as const })),
      { key: 'overall', label: t('rubrics:report.overall'), kind: 'decimal' },
    ],
    rows: groups.map((g) => ({
      key: `rubrics.${isPeople ? 'people' : 'departments'}.${g.name}`,
      cells: [
        text(g.name || t('rubrics:report.nobody')),
        int(g.count),
        ...rubricDimensions.map((d) => decimal(g[d])),
        decimal(g.overall),
      ],
    })),
    ...(groups.length > 0 ? {} : { note: t('rubrics:report.noneScored') }),
  }
}

/** Where a manager would rather look than read: the same figures as the tables, drawn. */
export function reportCharts(report: Report, t: Translate): ReportChart[] {
  const r = report
  const months = r.trend.map((m) => formatCell({ kind: 'month', value: m.month }, r.locale, t))
  return [
    {
      id: 'iceberg',
      title: t('report:chart.iceberg'),
      kind: 'hbars',
      categories: [
        t('report:figure.iceberg.formal'),
        t('report:figure.iceberg.grumble'),
        t('report:figure.iceberg.silent'),
        t('report:figure.iceberg.estimatedTotalProblems'),
      ],
      series: [
        {
          label: t('report:column.count'),
          color: palette.formal,
          values: [r.iceberg.formal, r.iceberg.grumble, r.iceberg.silent, r.iceberg.estimatedTotalProblems ?? 0],
        },
      ],
    },
    {
      id: 'trend',
      title: t('report:chart.trend'),
      kind: 'bars',
      categories: months,
      series: [
        { label: t('report:figure.iceberg.formal'), color: palette.formal, values: r.trend.map((m) => m.formal) },
        { label: t('report:figure.iceberg.grumble'), color: palette.grumble, values: r.trend.map((m) => m.grumble) },
        { label: t('report:figure.iceberg.silent'), color: palette.silent, values: r.trend.map((m) => m.silent) },
      ],
    },
    {
      id: 'topCategories',
      title: t('report:chart.topCategories'),
      kind: 'hbars',
      categories: r.topCategories.map((c) => label(r, c.category)),
      series: [
        { label: t('report:column.count'), color: palette.current, values: r.topCategories.map((c) => c.count) },
        {
          label: t('report:column.previousCount'),
          color: palette.previous,
          values: r.topCategories.map((c) => c.previousCount),
        },
      ],
    },
    {
      id: 'promises',
      title: t('report:chart.promises'),
      kind: 'hbars',
      categories: [
        t('report:figure.promises.keptOnTime'),
        t('report:figure.promises.keptLate'),
        t('report:figure.promises.broken'),
      ],
      series: [
        {
          label: t('report:column.count'),
          color: palette.kept,
          values: [r.promises.keptOnTime, r.promises.keptLate, r.promises.broken],
        },
      ],
    },
  ]
}

/** The report's file name without extension: `makegood-report-2026-10` (or a from_to range). */
export function reportFileStem(report: Report): string {
  const { from, to } = report.period
  return `makegood-report-${isMonthPeriod(report) ? monthOf(from) : `${from}_${to}`}`
}
