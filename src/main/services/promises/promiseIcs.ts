import { type EventAttributes, createEvents } from 'ics'
import { AppError } from '../../../shared/core/errors'
import { createI18n, resolveLocale } from '../../../shared/core/i18n/i18n'
import { promiseMaker, promiseWhat } from '../../../shared/promises/promiseLabels'
import { type Locale } from '../../../shared/schemas'
import { type ServiceContext } from '../context'
import { listPromises } from './promises'

/**
 * Open promises as an iCalendar file a calendar program imports: one event per promise at its due
 * time, titled with the customer's name and what was promised. Written by the `ics` library.
 */
export async function promisesIcs(
  ctx: ServiceContext,
  input: { lang?: Locale | undefined },
): Promise<{ filename: string; content: string; count: number }> {
  const language = ctx.store.settings.language
  // The same order the CLI reads them in (POSIX: LC_ALL wins over LC_MESSAGES over LANG).
  const fromEnvironment = process.env.LC_ALL || process.env.LC_MESSAGES || process.env.LANG
  const locale = input.lang ?? (language === 'auto' ? resolveLocale(fromEnvironment) : language)
  const i18n = await createI18n(locale)
  const t = i18n.t.bind(i18n)
  const open = listPromises(ctx, { states: ['open', 'overdue'] })
  const guarantees = ctx.store.settings.promises.guarantees
  const events: EventAttributes[] = open.map((p) => {
    const what = promiseWhat(t, p, guarantees)
    const lines = [
      t('promises:ics.madeBy', { name: promiseMaker(t, p) }),
      ...(p.caseNumber ? [t('promises:ics.case', { number: p.caseNumber })] : []),
      ...(p.compensation ? [t('promises:ics.compensation', { text: p.compensation })] : []),
    ]
    return {
      uid: `${p.id}@makegood`,
      start: Date.parse(p.dueAt),
      startInputType: 'utc',
      startOutputType: 'utc',
      duration: { minutes: 15 },
      title: t('promises:ics.title', { customer: p.customerName, what }),
      description: lines.join('\n'),
      status: 'CONFIRMED',
      categories: ['MakeGood'],
      alarms: [{ action: 'display', description: what, trigger: { minutes: 60, before: true } }],
    }
  })
  const { error, value } = createEvents(events, {
    productId: 'makegood/promises',
    calName: t('promises:ics.calendarName'),
  })
  if (error || value === null) {
    throw new AppError('internal', `Could not write the calendar: ${error?.message ?? 'unknown error'}`)
  }
  // The library stamps its own clock; the file is made "now" as the services see it (fixed in tests).
  const stamp = ctx
    .now()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '')
  const content = value.replace(/^DTSTAMP:.*$/gm, `DTSTAMP:${stamp}`)
  return { filename: `makegood-promises-${ctx.now().toISOString().slice(0, 10)}.ics`, content, count: events.length }
}
