import type Holidays from 'date-holidays'
import { createRequire } from 'node:module'
import { AppError } from '../../../shared/core/errors'
import { type DueSpec, calendarFromSettings, resolveDue } from '../../../shared/promises/promises'
import { type Calendar } from '../../../shared/promises/workingCalendar'
import { type ServiceContext } from '../context'

/**
 * The working calendar of the business, built from its settings and the public holidays of the
 * chosen country. Holidays come from `date-holidays` (a maintained, rule-based library covering
 * some 200 countries, computed offline), so no holiday table in this code goes stale.
 */

const holidayCache = new Map<string, string[]>()

/**
 * The library, loaded when a country's holidays or the list of countries (the Settings screen)
 * are first asked for: with its time-zone and astronomy tables it holds ~20 MB, which a session
 * of a business without a holiday country need not carry (see docs/storage-load.md, "Libraries
 * loaded when first used"). Synchronous, as the calendar is.
 */
let holidayLibrary: typeof Holidays | undefined
const holidayClass = () => (holidayLibrary ??= createRequire(__filename)('date-holidays') as typeof Holidays)

/** Whole-day public holidays of a country in a year, as YYYY-MM-DD (half-days such as 8 March in CN are skipped). */
export function countryHolidays(country: string, year: number): string[] {
  const key = `${country}:${year}`
  const cached = holidayCache.get(key)
  if (cached) return cached
  // An unknown country code gives no holidays rather than an error: the settings screen offers only known ones.
  const days = (new (holidayClass())(country).getHolidays(year) ?? [])
    .filter((h) => h.type === 'public' && h.date.endsWith('00:00:00'))
    .map((h) => h.date.slice(0, 10))
  holidayCache.set(key, days)
  return days
}

/** The countries the holiday library knows, named in the given language. */
export function holidayCountries(language: string): { code: string; name: string }[] {
  // Sorting by a malformed language tag throws a RangeError: say which field is wrong instead.
  try {
    Intl.getCanonicalLocales(language)
  } catch {
    throw new AppError('invalid_input', `Invalid input: lang: not a language tag`, {
      details: [{ path: 'lang', message: 'Not a language tag', code: 'invalid_format' }],
    })
  }
  const names = new (holidayClass())().getCountries(language) as Record<string, string>
  return Object.entries(names)
    .map(([code, name]) => ({ code, name }))
    .sort((a, b) => a.name.localeCompare(b.name, language))
}

let systemZone: { tz: string | undefined; zone: string } | undefined

/**
 * The computer's own zone: what an empty time zone in the settings means. Asked at every save
 * that dates a promise, and making a formatter to answer took ~0.5 ms: kept until `TZ` changes
 * (the runtime reads the zone again only then, too).
 */
export function systemTimeZone(): string {
  const tz = process.env.TZ
  if (!systemZone || systemZone.tz !== tz)
    systemZone = { tz, zone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC' }
  return systemZone.zone
}

let cached: { key: string; calendar: Calendar } | undefined

/** The calendar for the current settings; holidays of ten years around now are loaded. */
export function calendarOf(ctx: ServiceContext): Calendar {
  const settings = ctx.store.settings.promises.calendar
  const year = ctx.now().getUTCFullYear()
  const key = JSON.stringify([settings, year, systemTimeZone()])
  if (cached?.key === key) return cached.calendar
  const holidays: string[] = []
  if (settings.holidayCountry) {
    for (let y = year - 5; y <= year + 5; y++) holidays.push(...countryHolidays(settings.holidayCountry, y))
  }
  const calendar = calendarFromSettings(settings, holidays, systemTimeZone())
  cached = { key, calendar }
  return calendar
}

/** A due pick resolved at `now`; one whose time has gone by is marked, for the dialog to refuse it before a click. */
export async function resolveDueService(
  ctx: ServiceContext,
  input: { due: DueSpec },
): Promise<{ dueAt: string; isPast: boolean }> {
  const now = ctx.now()
  const dueAt = resolveDue(calendarOf(ctx), now, input.due)
  // The same rule promises:create applies: a due time must lie ahead of now.
  return { dueAt: dueAt.toISOString(), isPast: dueAt.getTime() <= now.getTime() }
}
