import { join } from 'node:path'
import { type i18n as I18n } from 'i18next'
import { escalationTitle } from '../../../shared/escalations/escalationText'
import { createI18n } from '../../../shared/core/i18n/i18n'
import {
  type Report,
  type ReportInput,
  type ReportPeriod,
  type Translate,
  buildReport,
  lastFullMonth,
  monthPeriod,
} from '../../../shared/reports/report'
import { type PaperSize, type ReportFormat, dueAutoExportMonth } from '../../../shared/reports/settings'
import { reportFileStem } from '../../../shared/reports/reportTables'
import { type Locale } from '../../../shared/schemas'
import { type ServiceContext } from '../context'
import { subjectNames } from '../escalations/escalations'
import { formatList } from '../../../shared/core/i18n/listFormat'
import { businessCurrency } from '../money/currency'
import { type TFunction } from 'i18next'
import { promiseWhat } from '../../../shared/promises/promiseLabels'
import { recountGuarantees } from '../../../shared/promises/guaranteeRule'
import { grumbleFacts } from '../iceberg/oldGrumbles'
import { signalFacts } from '../iceberg/oldSignals'
import { promiseFacts } from '../promises/oldPromises'

const translators = new Map<Locale, Promise<I18n>>()

/** The i18n layer for a report's language (loaded once per language). */
export async function translatorFor(locale: Locale): Promise<Translate> {
  let instance = translators.get(locale)
  if (!instance) {
    instance = createI18n(locale)
    translators.set(locale, instance)
  }
  const i18n = await instance
  return i18n.t.bind(i18n) as Translate
}

/** The report's language: asked for, else the app's setting, else English. */
export function reportLocale(ctx: ServiceContext, asked?: Locale): Locale {
  if (asked) return asked
  const setting = ctx.store.settings.language
  return setting === 'auto' ? 'en' : setting
}

export type ReportRequest = { month?: string; from?: string; to?: string; locale?: Locale }

export function periodOf(ctx: ServiceContext, request: ReportRequest): ReportPeriod {
  if (request.from && request.to) return { from: request.from, to: request.to }
  return monthPeriod(request.month ?? lastFullMonth(ctx.now()))
}

/**
 * The records a report is built from: the ONE place where the other features plug in, each
 * mapped onto the minimal ReportInput types of src/shared/report.ts. `t` is the report's
 * language (escalation titles are written in it).
 */
export function reportInputOf(ctx: ServiceContext, locale: Locale, t: Translate): ReportInput {
  const { store } = ctx
  const settings = store.settings
  // Each read once: the old months' promises are made from their summaries at each pass.
  const cases = [...store.all('cases')]
  const promises = [...promiseFacts(store)]
  const followed = new Map(recountGuarantees(cases, promises).map((c) => [c.after.id, c.after]))
  return {
    cases,
    customers: [...store.all('customers')],
    settings,
    locale,
    currency: businessCurrency(settings),
    // Cancelled promises were withdrawn, not failed: they count in no kept rate. Guarantees are
    // counted as their recovery steps say, also in a read-only folder not yet recounted.
    promises: promises
      .map((p) => followed.get(p.id) ?? p)
      .flatMap((p) =>
        p.status === 'cancelled'
          ? []
          : [
              {
                due: p.dueAt,
                status: p.status,
                ...(p.status === 'kept' && p.closedAt ? { keptAt: p.closedAt } : {}),
                ...(p.department ? { department: p.department } : {}),
                ...(p.guaranteeId
                  ? {
                      guaranteeId: p.guaranteeId,
                      guaranteeName: promiseWhat(
                        t as unknown as TFunction,
                        { what: p.what ?? '', guaranteeId: p.guaranteeId },
                        settings.promises.guarantees,
                      ),
                    }
                  : {}),
                ...(p.compensationGiven
                  ? {
                      compensation: {
                        isGiven: p.compensationGiven.isGiven,
                        ...(p.compensationGiven.amount !== undefined ? { amount: p.compensationGiven.amount } : {}),
                      },
                    }
                  : {}),
              },
            ],
      ),
    // Activity imported (or none: comeback and loyalty then say "not imported", never 0).
    ...(store.count('activities') > 0
      ? {
          activities: [...store.all('activities')].map((a) => ({
            customerId: a.customerId,
            date: a.date,
            amount: a.amount,
          })),
        }
      : {}),
    failures: [...store.all('failures')].map((f) => ({
      at: f.at,
      category: f.category,
      department: f.department,
      ...(f.cost !== undefined ? { cost: f.cost } : {}),
    })),
    grumbles: [...grumbleFacts(store)].map((g) => ({
      at: g.heardAt,
      ...(g.caseId ? { caseId: g.caseId } : {}),
      ...(g.category ? { category: g.category } : {}),
      ...(g.department ? { department: g.department } : {}),
    })),
    signals: [...signalFacts(store)].map((s) => ({
      customerId: s.customerId,
      at: s.raisedAt,
      ...(s.valueAtRisk ? { valueAtRisk: s.valueAtRisk.value } : {}),
      status: signalStatus(s.status, s.outcome),
      ...(s.closedAt ? { closedAt: s.closedAt } : {}),
    })),
    escalations: [...store.all('escalations')].map((e) => {
      // Titled and summarised when the report shows it: a month's report lists a few of thousands.
      let described: { title: string; evidence: string } | undefined
      const describe = () => {
        if (described) return described
        const kinds = new Map<string, number>()
        for (const item of e.evidence) kinds.set(item.kind, (kinds.get(item.kind) ?? 0) + 1)
        return (described = {
          title: escalationTitle(t, settings.categories, { ...e, ...subjectNames(ctx, e) }),
          evidence: formatList(
            locale,
            [...kinds].map(([kind, count]) => `${count} × ${t(`escalations:evidence.kind.${kind}`)}`),
          ),
        })
      }
      return {
        id: e.id,
        get title() {
          return describe().title
        },
        ...(e.subject.department ? { department: e.subject.department } : {}),
        raisedAt: e.firstRaisedAt,
        ...(e.acknowledgement ? { acknowledgedAt: e.acknowledgement.at } : {}),
        ...(e.resolution ? { resolvedAt: e.resolution.at } : {}),
        get evidence() {
          return describe().evidence
        },
        ...(e.action ? { action: `${e.action.what} (${e.action.owner})` } : {}),
      }
    }),
    categoryTargets: settings.escalation.targets,
    rubrics: [...store.all('rubrics')],
  }
}

function signalStatus(
  status: 'open' | 'closed',
  outcome: string | undefined,
): 'open' | 'won-back' | 'lost' | 'dismissed' {
  if (status === 'open') return 'open'
  if (outcome === 'won-back') return 'won-back'
  if (outcome === 'lost') return 'lost'
  return 'dismissed'
}

/** Gathers the records and builds the report (used by the API, the CLI and the monthly export). */
export async function getReport(ctx: ServiceContext, request: ReportRequest): Promise<Report> {
  const locale = reportLocale(ctx, request.locale)
  const t = await translatorFor(locale)
  return buildReport(reportInputOf(ctx, locale, t), periodOf(ctx, request), ctx.now(), t)
}

export type ExportRequest = ReportRequest & { format: ReportFormat; paper?: PaperSize }

/** The report as one file for a download or a save dialog (CSV as a zip of one file per section). */
export async function exportReport(
  ctx: ServiceContext,
  request: ExportRequest,
): Promise<{ fileName: string; mimeType: string; base64: string }> {
  const report = await getReport(ctx, request)
  // The renderers' libraries are loaded when first used (see docs/storage-load.md).
  const { renderReportFile } = await import('../../report/export')
  const file = await renderReportFile(report, await translatorFor(report.locale), request.format, request.paper)
  return { fileName: file.name, mimeType: file.mimeType, base64: file.data.toString('base64') }
}

/**
 * The desktop app's monthly export: when last month's report is owed (see dueAutoExportMonth),
 * writes it into the chosen folder and records the month so it is written only once. Returns
 * where it went, or null when nothing was due.
 */
export async function autoExportIfDue(ctx: ServiceContext): Promise<{ month: string; paths: string[] } | null> {
  const settings = ctx.store.settings
  const month = dueAutoExportMonth(settings.reports, ctx.now())
  if (!month) return null
  const auto = settings.reports.autoExport
  const report = await getReport(ctx, { month })
  const t = await translatorFor(report.locale)
  const stem = reportFileStem(report)
  const out = auto.format === 'csv' ? join(auto.folder, stem) : join(auto.folder, `${stem}.${auto.format}`)
  const { writeReport } = await import('../../report/export')
  const paths = await writeReport(report, t, auto.format, out, auto.paper)
  await ctx.store.commit([
    { collection: 'settings', value: { ...settings, reports: { autoExport: { ...auto, lastMonth: month } } } },
  ])
  return { month, paths }
}
