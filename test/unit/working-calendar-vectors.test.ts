import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  type Calendar,
  type CalendarSpec,
  type OpenSpan,
  type Period,
  addBusinessDays,
  addBusinessDaysKeepingTime,
  addBusinessMinutes,
  buildCalendar,
  businessDaysBetween,
  businessMillisBetween,
  dayCalendar,
  differenceInBusinessDays,
  formatDay,
  instantOf,
  isBusinessDay,
  isOpenAt,
  nextBusinessDay,
  parseClock,
  parseDay,
  previousBusinessDay,
  rollBackward,
  rollForward,
  rollForwardIntoHours,
  spanOf,
  wallOf,
} from '../../src/shared/promises/workingCalendar'

/**
 * The 230 published business-day vectors (shared/vectors/business-days.json): every vector is run
 * against the convention it states. The file is read from ../shared beside the repository when it
 * is there, else from the copy in test/fixtures/vectors.
 */
type Vector = {
  id: string
  op: string
  convention?: string
  start?: string
  end?: string
  left?: string
  right?: string
  date?: string
  time?: string
  n?: number
  hours?: number
  minutes?: number
  working_weekdays?: number[]
  holidays?: string[]
  extra_working_dates?: string[]
  schedule?: Record<string, [string, string][]>
  timezone?: string
  breaks?: Record<string, [string, string][]>
  business_hours?: string
  calendar?: { timezone: string; hours: Record<string, [string, string][]>; holidays?: string[] }
  pauses?: [string, string][]
  unit?: string
  expected: string | number | boolean
}

const sharedFile = join(__dirname, '..', '..', '..', 'shared', 'vectors', 'business-days.json')
const copyFile = join(__dirname, '..', 'fixtures', 'vectors', 'business-days.json')
const vectors = JSON.parse(readFileSync(existsSync(sharedFile) ? sharedFile : copyFile, 'utf8')) as Vector[]

const weekdayNames: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 }

function weekOf(schedule: Record<string, [string, string][]>): CalendarSpec['week'] {
  const week: Record<number, OpenSpan[]> = {}
  for (const [name, spans] of Object.entries(schedule)) {
    week[weekdayNames[name] as number] = spans.map(([from, to]) => spanOf(from, to))
  }
  return week
}

/** "Mon-Fri 09:00-17:00 (local time)" */
function weekOfText(text: string): CalendarSpec['week'] {
  const match = /^(\w{3})-(\w{3}) (\d{2}:\d{2})-(\d{2}:\d{2})/.exec(text)
  if (!match) throw new Error(`Unknown business hours ${text}`)
  const from = weekdayNames[(match[1] as string).toLowerCase()] as number
  const to = weekdayNames[(match[2] as string).toLowerCase()] as number
  const week: Record<number, OpenSpan[]> = {}
  for (let w = from; w <= to; w++) week[w] = [[parseClock(match[3] as string), parseClock(match[4] as string)]]
  return week
}

function calendarOf(v: Vector): Calendar {
  const holidays = v.holidays ?? v.calendar?.holidays ?? []
  const extraWorkingDays = v.extra_working_dates ?? []
  const timeZone = v.timezone ?? v.calendar?.timezone ?? 'UTC'
  const hours = v.schedule ?? v.calendar?.hours
  if (hours || v.business_hours) {
    const breaks = v.breaks
      ? Object.fromEntries(
          Object.entries(v.breaks).map(([day, spans]) => [day, spans.map(([from, to]) => spanOf(from, to))]),
        )
      : undefined
    return buildCalendar({
      timeZone,
      week: hours ? weekOf(hours) : weekOfText(v.business_hours as string),
      holidays,
      extraWorkingDays,
      ...(breaks ? { breaks } : {}),
    })
  }
  return dayCalendar(v.working_weekdays ?? [1, 2, 3, 4, 5], { holidays, extraWorkingDays, timeZone })
}

const hasZone = (text: string) => /(Z|[+-]\d{2}:\d{2})$/.test(text)

/** A written time: with a zone it is that instant; without, a wall-clock time in the calendar's zone. */
function instant(cal: Calendar, text: string): number {
  if (hasZone(text)) return Date.parse(text)
  const match = /T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(text)
  const minute = match ? Number(match[1]) * 60 + Number(match[2]) : 0
  return instantOf(cal, parseDay(text), minute) + (match?.[3] ? Number(match[3]) * 1000 : 0)
}

/** Shown the way the vector writes its expectation, so they compare as text. */
function shown(cal: Calendar, at: number, like: string): string {
  if (hasZone(like)) return new Date(at).toISOString().replace('.000Z', 'Z')
  const wall = wallOf(cal, at)
  const hhmm = `${String(Math.floor(wall.minute / 60)).padStart(2, '0')}:${String(wall.minute % 60).padStart(2, '0')}`
  const withSeconds = /T\d{2}:\d{2}:\d{2}/.test(like) ? `${hhmm}:${String(wall.second).padStart(2, '0')}` : hhmm
  return like.includes('T') ? `${formatDay(wall.day)}T${withSeconds}` : formatDay(wall.day)
}

const pauses = (v: Vector): Period[] => (v.pauses ?? []).map(([from, to]) => [Date.parse(from), Date.parse(to)])
const conventionIs = (v: Vector, prefix: string) => (v.convention ?? '').startsWith(prefix)

/** Runs one vector through MakeGood's calendar in the convention it states; the actual result. */
function run(v: Vector): string | number | boolean {
  const cal = calendarOf(v)
  const day = (text: string | undefined) => parseDay(text as string)
  switch (v.op) {
    case 'add_business_days':
    case 'sub_business_days': {
      const n = (v.op === 'sub_business_days' ? -1 : 1) * (v.n as number)
      return formatDay(addBusinessDays(cal, day(v.start), n, conventionIs(v, 'roll-then-add') ? 'roll' : 'excel'))
    }
    case 'add_business_days_at_time':
    case 'sub_business_days_at_time': {
      const isBackward = v.op === 'sub_business_days_at_time'
      const n = (isBackward ? -1 : 1) * (v.n as number)
      const convention = conventionIs(v, 'business_time') ? 'business-time' : 'excel'
      const start = instant(cal, v.start as string)
      return shown(cal, addBusinessDaysKeepingTime(cal, start, n, convention, isBackward), v.expected as string)
    }
    case 'add_business_hours_24h_days': {
      // Whole 24-hour business days: the same calendar open all day on its working days.
      const allDay = dayCalendar(v.working_weekdays ?? [1, 2, 3, 4, 5], { timeZone: cal.timeZone })
      const at = addBusinessMinutes(allDay, instant(allDay, v.start as string), (v.hours as number) * 60)
      return formatDay(wallOf(allDay, at).day)
    }
    case 'difference_in_business_days':
      return differenceInBusinessDays(cal, day(v.left), day(v.right))
    case 'business_days_between': {
      const convention = conventionIs(v, 'inclusive') ? 'inclusive' : 'half-open'
      return businessDaysBetween(cal, day(v.start), day(v.end), convention)
    }
    case 'business_days_into_month': {
      const [y, m] = (v.date as string).split('-')
      return businessDaysBetween(cal, parseDay(`${y}-${m}-01`), day(v.date), 'inclusive')
    }
    case 'is_business_day':
      return isBusinessDay(cal, day(v.date))
    case 'roll_forward':
      return formatDay(rollForward(cal, day(v.date)))
    case 'roll_backward':
      return formatDay(rollBackward(cal, day(v.date)))
    case 'next_business_day':
      return formatDay(nextBusinessDay(cal, day(v.date)))
    case 'previous_business_day':
      return formatDay(previousBusinessDay(cal, day(v.date)))
    case 'roll_forward_into_hours':
      return shown(cal, rollForwardIntoHours(cal, instant(cal, v.start as string)), v.expected as string)
    case 'add_business_hours':
    case 'add_business_minutes':
    case 'sla_deadline':
    case 'sla_deadline_with_pauses': {
      const minutes = v.minutes ?? (v.hours as number) * 60
      const at = addBusinessMinutes(cal, instant(cal, v.start as string), minutes, pauses(v))
      return shown(cal, at, v.expected as string)
    }
    case 'business_time_between':
    case 'business_minutes_between': {
      const ms = businessMillisBetween(cal, instant(cal, v.start as string), instant(cal, v.end as string), pauses(v))
      return Math.floor(ms / (v.unit === 'minutes' ? 60_000 : 1000))
    }
    case 'in_business_hours':
      return isOpenAt(cal, instant(cal, v.time as string))
    default:
      throw new Error(`No implementation for op ${v.op}`)
  }
}

const tally = new Map<string, { passed: number; total: number }>()

describe('working calendar against the 230 published vectors', () => {
  it('has all 230 vectors', () => {
    expect(vectors).toHaveLength(230)
  })
  for (const v of vectors) {
    it(`${v.id} ${v.op}${v.convention ? ` (${v.convention.split(':')[0]})` : ''}`, () => {
      const entry = tally.get(v.op) ?? { passed: 0, total: 0 }
      tally.set(v.op, entry)
      entry.total++
      expect(run(v)).toEqual(v.expected)
      entry.passed++
    })
  }
  afterAll(() => {
    const lines = [...tally.entries()].map(([op, { passed, total }]) => `  ${op}: ${passed}/${total}`)
    process.stdout.write(`Business-day vectors by op:\n${lines.join('\n')}\n`)
  })
})
