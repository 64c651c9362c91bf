import { TZDate } from '@date-fns/tz'

/**
 * The working calendar: which days are business days and which hours of them are open, in the
 * calendar's own time zone. Pure: no clock, no I/O. Days are handled as whole numbers (days since
 * 1970-01-01) so that day arithmetic is exact, fast for any distance (3 million business days) and
 * free of daylight-saving surprises; wall-clock ↔ instant conversion goes through @date-fns/tz.
 *
 * MakeGood's conventions (shared/vectors/README.md):
 * - adding N business days: "excel" (the start day is never counted; a start on a closed day steps
 *   straight to the next business day);
 * - counting business days between two dates: half-open [start, end);
 * - business hours run only inside the open hours; a start outside them begins at the next opening.
 * Other conventions exist only so the published vectors of other projects can be checked too.
 */

/** Minutes after local midnight: [opens, closes), closes may be 1440 (24:00). */
export type OpenSpan = readonly [number, number]

export type CalendarSpec = {
  /** IANA zone; the calendar's days and hours are wall-clock times there. */
  timeZone: string
  /** Open spans per weekday (0 = Sunday … 6 = Saturday); a weekday with none is closed. */
  week: Readonly<Record<number, readonly OpenSpan[]>>
  /** Whole closed days (public holidays, own closures), as YYYY-MM-DD. */
  holidays?: readonly string[]
  /** Days worked although their weekday is closed (e.g. the Chinese 调休 make-up days). */
  extraWorkingDays?: readonly string[]
  /** Hours of an extra working day; by default those of the first open weekday from Monday. */
  extraDayHours?: readonly OpenSpan[]
  /** Closed spans inside particular days (a lunch break on one date), minutes after midnight. */
  breaks?: Readonly<Record<string, readonly OpenSpan[]>>
}

/** A calendar ready for fast questions: built once from a spec. */
export type Calendar = {
  readonly spec: CalendarSpec
  readonly timeZone: string
  /** Sorted day numbers of holidays and extra working days: the exceptions to the weekly rule. */
  readonly exceptions: readonly number[]
  readonly holidaySet: ReadonlySet<number>
  readonly extraSet: ReadonlySet<number>
  readonly workingWeekdays: readonly boolean[]
  readonly workingPerWeek: number
  readonly extraDayHours: readonly OpenSpan[]
}

const minutesPerDay = 1440
const msPerMinute = 60_000

// ---------------------------------------------------------------------------------------------
// Plain dates as day numbers (proleptic Gregorian, any year: "15000-01-01" works).

/** Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil). */
export function dayNumberOf(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

/** The civil date [year, month 1-12, day] of a day number. */
export function civilOf(dayNumber: number): [number, number, number] {
  const z = dayNumber + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp + (mp < 10 ? 3 : -9)
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day]
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOf(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7
}

const plainDate = /^(\d{4,6})-(\d{2})-(\d{2})/

/** Day number of "YYYY-MM-DD" (anything after the date, such as a time, is ignored). */
export function parseDay(text: string): number {
  const match = plainDate.exec(text)
  if (!match) throw new RangeError(`Not a date: ${text}`)
  return dayNumberOf(Number(match[1]), Number(match[2]), Number(match[3]))
}

export function formatDay(dayNumber: number): string {
  const [y, m, d] = civilOf(dayNumber)
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

/** "9:00" → 540; "0:00"-"0:00" and "24:00" mean the end of the day where they close a span. */
export function parseClock(text: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim())
  if (!match) throw new RangeError(`Not a time of day: ${text}`)
  return Number(match[1]) * 60 + Number(match[2])
}

/** An open span from "HH:mm" texts; a closing time at or before midnight means 24:00. */
export function spanOf(opens: string, closes: string): OpenSpan {
  const from = parseClock(opens)
  const to = parseClock(closes)
  return [from, to === 0 ? minutesPerDay : to]
}

// ---------------------------------------------------------------------------------------------
// Building a calendar.

function firstOpenWeekdayHours(week: CalendarSpec['week']): readonly OpenSpan[] {
  for (const weekday of [1, 2, 3, 4, 5, 6, 0]) {
    const spans = week[weekday]
    if (spans && spans.length > 0) return spans
  }
  return [[0, minutesPerDay]]
}

export function buildCalendar(spec: CalendarSpec): Calendar {
  const holidaySet = new Set((spec.holidays ?? []).map(parseDay))
  const extraSet = new Set((spec.extraWorkingDays ?? []).map(parseDay))
  const exceptions = [...new Set([...holidaySet, ...extraSet])].sort((a, b) => a - b)
  const workingWeekdays = [0, 1, 2, 3, 4, 5, 6].map((w) => (spec.week[w]?.length ?? 0) > 0)
  return {
    spec,
    timeZone: spec.timeZone,
    exceptions,
    holidaySet,
    extraSet,
    workingWeekdays,
    workingPerWeek: workingWeekdays.filter(Boolean).length,
    extraDayHours: spec.extraDayHours ?? firstOpenWeekdayHours(spec.week),
  }
}

/** Every weekday in `workingDays` open all day: the shape of day-only questions. */
export function dayCalendar(
  workingDays: readonly number[],
  options: { holidays?: readonly string[]; extraWorkingDays?: readonly string[]; timeZone?: string } = {},
): Calendar {
  const week: Record<number, OpenSpan[]> = {}
  for (const w of workingDays) week[w] = [[0, minutesPerDay]]
  return buildCalendar({ timeZone: options.timeZone ?? 'UTC', week, ...options })
}

// ---------------------------------------------------------------------------------------------
// Business days.

export function isBusinessDay(cal: Calendar, day: number): boolean {
  if (cal.holidaySet.has(day)) return false
  return cal.workingWeekdays[weekdayOf(day)] === true || cal.extraSet.has(day)
}

function lowerBound(sorted: readonly number[], value: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if ((sorted[mid] as number) < value) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Business days in the half-open range [from, to); 0 when to ≤ from. O(exceptions in range). */
export function countBusinessDaysInRange(cal: Calendar, from: number, to: number): number {
  if (to <= from) return 0
  const days = to - from
  const fullWeeks = Math.floor(days / 7)
  let count = fullWeeks * cal.workingPerWeek
  for (let day = from + fullWeeks * 7; day < to; day++) if (cal.workingWeekdays[weekdayOf(day)]) count++
  // The weekly rule counted each exception by its weekday; correct it to what the day really is.
  for (let i = lowerBound(cal.exceptions, from); i < cal.exceptions.length; i++) {
    const day = cal.exceptions[i] as number
    if (day >= to) break
    count += (isBusinessDay(cal, day) ? 1 : 0) - (cal.workingWeekdays[weekdayOf(day)] ? 1 : 0)
  }
  return count
}

export type CountConvention = 'half-open' | 'inclusive'

/**
 * Business days between two dates. MakeGood counts [start, end): the start day counts if it is a
 * business day, the end day does not. 'inclusive' (spreadsheet NETWORKDAYS) counts both ends.
 * A start after the end counts the same range backwards, as a positive number.
 */
export function businessDaysBetween(
  cal: Calendar,
  start: number,
  end: number,
  convention: CountConvention = 'half-open',
): number {
  const [from, to] = start <= end ? [start, end] : [end, start]
  return countBusinessDaysInRange(cal, from, convention === 'inclusive' ? to + 1 : to)
}

/**
 * date-fns `differenceInBusinessDays(left, right)`: business days from `right` (inclusive) toward
 * `left` (exclusive); negative when left is before right.
 */
export function differenceInBusinessDays(cal: Calendar, left: number, right: number): number {
  if (left >= right) return countBusinessDaysInRange(cal, right, left)
  return -countBusinessDaysInRange(cal, left + 1, right + 1)
}

function requireWorkingDays(cal: Calendar): void {
  if (cal.workingPerWeek === 0) throw new RangeError('The calendar has no working weekday')
}

/** Fractional amounts are rounded half away from zero (10.5 → 11, -10.5 → -11). */
function roundAmount(n: number): number {
  return Math.sign(n) * Math.round(Math.abs(n))
}

export type AddConvention = 'excel' | 'roll'

/**
 * The day `n` business days after (n < 0: before) `day`.
 * 'excel' (MakeGood's): the start day is never counted; from a closed day the first step lands on
 * the next (or previous) business day; n = 0 returns the day itself.
 * 'roll': a closed start is first rolled to the next (n ≥ 0) or previous (n < 0) business day,
 * then n business days are stepped.
 */
export function addBusinessDays(cal: Calendar, day: number, n: number, convention: AddConvention = 'excel'): number {
  const amount = roundAmount(n)
  let start = day
  if (convention === 'roll' && !isBusinessDay(cal, day)) {
    start = amount >= 0 ? rollForward(cal, day) : rollBackward(cal, day)
  }
  if (amount === 0) return start
  requireWorkingDays(cal)
  const steps = Math.abs(amount)
  // Holidays can remove at most this many business days from any range: a safe search bound.
  const reach = (Math.ceil((steps + cal.holidaySet.size) / cal.workingPerWeek) + 1) * 7
  if (amount > 0) {
    // Smallest d > start with `steps` business days in (start, d].
    let lo = start + 1
    let hi = start + reach
    while (lo < hi) {
      const mid = lo + Math.floor((hi - lo) / 2)
      if (countBusinessDaysInRange(cal, start + 1, mid + 1) >= steps) hi = mid
      else lo = mid + 1
    }
    return lo
  }
  // Largest d < start with `steps` business days in [d, start).
  let lo = start - reach
  let hi = start - 1
  while (lo < hi) {
    const mid = lo + Math.ceil((hi - lo) / 2)
    if (countBusinessDaysInRange(cal, mid, start) >= steps) lo = mid
    else hi = mid - 1
  }
  return lo
}

/** The day itself when it is a business day, else the next one. */
export function rollForward(cal: Calendar, day: number): number {
  requireWorkingDays(cal)
  let d = day
  while (!isBusinessDay(cal, d)) d++
  return d
}

/** The day itself when it is a business day, else the previous one. */
export function rollBackward(cal: Calendar, day: number): number {
  requireWorkingDays(cal)
  let d = day
  while (!isBusinessDay(cal, d)) d--
  return d
}

export function nextBusinessDay(cal: Calendar, day: number): number {
  return rollForward(cal, day + 1)
}

export function previousBusinessDay(cal: Calendar, day: number): number {
  return rollBackward(cal, day - 1)
}

// ---------------------------------------------------------------------------------------------
// Wall clock and instants in the calendar's zone.

export type Wall = { day: number; minute: number; second: number; ms: number }

/** The local day and time of an instant in the calendar's zone. */
export function wallOf(cal: Calendar, instant: number): Wall {
  const local = new TZDate(instant, cal.timeZone)
  return {
    day: dayNumberOf(local.getFullYear(), local.getMonth() + 1, local.getDate()),
    minute: local.getHours() * 60 + local.getMinutes(),
    second: local.getSeconds(),
    ms: local.getMilliseconds(),
  }
}

/** The instant of a local day and minute in the calendar's zone (minute 1440 = next midnight). */
export function instantOf(cal: Calendar, day: number, minute: number): number {
  const [y, m, d] = civilOf(day + Math.floor(minute / minutesPerDay))
  const rest = minute % minutesPerDay
  return new TZDate(y, m - 1, d, Math.floor(rest / 60), rest % 60, cal.timeZone).getTime()
}

function subtractSpans(spans: readonly OpenSpan[], cuts: readonly OpenSpan[]): OpenSpan[] {
  let result: OpenSpan[] = [...spans]
  for (const [cutFrom, cutTo] of cuts) {
    result = result.flatMap(([from, to]): OpenSpan[] => {
      if (cutTo <= from || cutFrom >= to) return [[from, to]]
      const parts: OpenSpan[] = []
      if (cutFrom > from) parts.push([from, cutFrom])
      if (cutTo < to) parts.push([cutTo, to])
      return parts
    })
  }
  return result
}

/** The open spans of one local day, in minutes (holidays: none; breaks cut out). */
export function openSpansOf(cal: Calendar, day: number): readonly OpenSpan[] {
  if (!isBusinessDay(cal, day)) return []
  const weekly = cal.spec.week[weekdayOf(day)]
  const spans = weekly && weekly.length > 0 ? weekly : cal.extraDayHours
  const cuts = cal.spec.breaks?.[formatDay(day)]
  return cuts ? subtractSpans(spans, cuts) : spans
}

/** A closed interval of instants [from, to) in epoch milliseconds. */
export type Period = readonly [number, number]

function openPeriodsOf(cal: Calendar, day: number, pauses: readonly Period[]): Period[] {
  let periods: Period[] = openSpansOf(cal, day).map(([from, to]) => [
    instantOf(cal, day, from),
    instantOf(cal, day, to),
  ])
  for (const [pauseFrom, pauseTo] of pauses) {
    periods = periods.flatMap(([from, to]): Period[] => {
      if (pauseTo <= from || pauseFrom >= to) return [[from, to]]
      const parts: Period[] = []
      if (pauseFrom > from) parts.push([from, pauseFrom])
      if (pauseTo < to) parts.push([pauseTo, to])
      return parts
    })
  }
  return periods
}

/** Ten years of closed days in a row means the calendar can never open: stop instead of looping. */
const maxDaysScanned = 3700

function noOpening(): RangeError {
  return new RangeError('The calendar has no open hours to count in')
}

/**
 * The instant `minutes` business minutes after `instant` (before it when negative). Time runs only
 * inside open hours (and outside `pauses`); a start outside them begins at the next opening (the
 * previous closing when counting back). Ending exactly at a closing gives the closing time.
 */
export function addBusinessMinutes(
  cal: Calendar,
  instant: number,
  minutes: number,
  pauses: readonly Period[] = [],
): number {
  let remaining = Math.round(Math.abs(minutes) * msPerMinute)
  let day = wallOf(cal, instant).day
  if (minutes >= 0) {
    for (let scanned = 0; scanned < maxDaysScanned; scanned++, day++) {
      for (const [from, to] of openPeriodsOf(cal, day, pauses)) {
        if (to <= instant) continue
        const begin = Math.max(from, instant)
        if (remaining <= to - begin) return begin + remaining
        remaining -= to - begin
      }
    }
    throw noOpening()
  }
  for (let scanned = 0; scanned < maxDaysScanned; scanned++, day--) {
    for (const [from, to] of openPeriodsOf(cal, day, pauses).reverse()) {
      if (from >= instant) continue
      const end = Math.min(to, instant)
      if (remaining <= end - from) return end - remaining
      remaining -= end - from
    }
  }
  throw noOpening()
}

export function addBusinessHours(cal: Calendar, instant: number, hours: number, pauses: readonly Period[] = []) {
  return addBusinessMinutes(cal, instant, hours * 60, pauses)
}

/** Open milliseconds in [start, end) (outside `pauses`); 0 when end ≤ start. */
export function businessMillisBetween(
  cal: Calendar,
  start: number,
  end: number,
  pauses: readonly Period[] = [],
): number {
  if (end <= start) return 0
  let total = 0
  const lastDay = wallOf(cal, end).day
  for (let day = wallOf(cal, start).day; day <= lastDay; day++) {
    for (const [from, to] of openPeriodsOf(cal, day, pauses)) {
      const overlap = Math.min(to, end) - Math.max(from, start)
      if (overlap > 0) total += overlap
    }
  }
  return total
}

/** Is the calendar open at this instant? */
export function isOpenAt(cal: Calendar, instant: number): boolean {
  const { day } = wallOf(cal, instant)
  return openPeriodsOf(cal, day, []).some(([from, to]) => instant >= from && instant < to)
}

/** The instant itself when open, else the next opening. */
export function rollForwardIntoHours(cal: Calendar, instant: number): number {
  return addBusinessMinutes(cal, instant, 0)
}

/** Closing time of a business day (the end of its last open span); undefined on a closed day. */
export function closingOf(cal: Calendar, day: number): number | undefined {
  const spans = openSpansOf(cal, day)
  const last = spans[spans.length - 1]
  return last ? instantOf(cal, day, last[1]) : undefined
}

/** Opening time of a business day; undefined on a closed day. */
export function openingOf(cal: Calendar, day: number): number | undefined {
  const first = openSpansOf(cal, day)[0]
  return first ? instantOf(cal, day, first[0]) : undefined
}

/** "End of day": the closing time of that day, or of the next business day when it is closed. */
export function endOfBusinessDay(cal: Calendar, day: number): number {
  const open = rollForward(cal, day)
  return closingOf(cal, open) as number
}

export type KeepTimeConvention = 'excel' | 'business-time'

/**
 * Adds business days to an instant and keeps its time of day.
 * 'excel': the day moves by the excel rule, the wall-clock time stays.
 * 'business-time' (the business_time gem): a start inside open hours keeps its time; a start
 * outside them is first moved to the opening of its anchor business day (the next one counting
 * forward, the previous one counting back) and the result is at that day's opening.
 * `isBackward` chooses the direction when n = 0.
 */
export function addBusinessDaysKeepingTime(
  cal: Calendar,
  instant: number,
  n: number,
  convention: KeepTimeConvention = 'excel',
  isBackward = false,
): number {
  const wall = wallOf(cal, instant)
  const millisOfDay = (wall.minute * 60 + wall.second) * 1000 + wall.ms
  if (convention === 'excel') {
    const day = addBusinessDays(cal, wall.day, n)
    return instantOf(cal, day, 0) + millisOfDay
  }
  const spans = openSpansOf(cal, wall.day)
  const isInside = spans.some(([from, to]) => wall.minute >= from && wall.minute < to)
  if (isInside) return instantOf(cal, addBusinessDays(cal, wall.day, n), 0) + millisOfDay
  const isForward = n > 0 || (n === 0 && !isBackward)
  let anchor: number
  if (isForward) {
    const closes = spans[spans.length - 1]?.[1]
    anchor = closes !== undefined && wall.minute < closes ? wall.day : nextBusinessDay(cal, wall.day)
  } else {
    const opens = spans[0]?.[0]
    anchor = opens !== undefined && wall.minute >= opens ? wall.day : previousBusinessDay(cal, wall.day)
  }
  return openingOf(cal, addBusinessDays(cal, anchor, n)) as number
}
