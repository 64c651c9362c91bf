import { z } from 'zod'

/**
 * Settings of the promise ledger (one field, `promises`, in Settings): the working calendar, the
 * service guarantees and notifications. Apart from promises.ts so that schemas.ts can hold it
 * without an import cycle.
 */

const dayText = z
  .string()
  .max(10)
  .regex(/^\d{4}-\d{2}-\d{2}$/)
const clockText = z
  .string()
  .max(5)
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/)

export const WorkingCalendarSettings = z.object({
  /** IANA time zone; empty means the computer's own. */
  timeZone: z
    .string()
    .max(100)
    .default('')
    .refine((zone) => zone === '' || isKnownTimeZone(zone), { message: 'Unknown time zone' }),
  /** 0 = Sunday … 6 = Saturday. */
  workingDays: z.array(z.number().int().min(0).max(6)).min(1).max(7).default([1, 2, 3, 4, 5]),
  opensAt: clockText.default('09:00'),
  closesAt: clockText.default('17:00'),
  /** A country code of the holiday library (e.g. "HU", "CN"); empty for none. */
  holidayCountry: z.string().max(10).default(''),
  /** The business's own closed days. */
  holidays: z.array(dayText).max(1000).default([]),
  /** Weekend days that are worked (the Chinese make-up days). */
  extraWorkingDays: z.array(dayText).max(1000).default([]),
})
export type WorkingCalendarSettings = z.infer<typeof WorkingCalendarSettings>

export const guaranteeUnits = ['business-hours', 'business-days'] as const
export const GuaranteeUnit = z.enum(guaranteeUnits)
export type GuaranteeUnit = z.infer<typeof GuaranteeUnit>

/** "First response within 4 business hours", with the compensation offered when it fails. */
export const Guarantee = z.object({
  id: z.string().min(1).max(64),
  /** Empty for the built-in guarantees: their wording comes from the i18n layer. */
  text: z.string().trim().max(200).default(''),
  amount: z.number().int().min(1).max(1000),
  unit: GuaranteeUnit,
  compensation: z.string().trim().max(500).default(''),
  isActive: z.boolean().default(true),
})
export type Guarantee = z.infer<typeof Guarantee>

export const builtInGuaranteeIds = ['first-response', 'resolution'] as const

export const PromiseSettings = z.object({
  calendar: WorkingCalendarSettings.default(() => WorkingCalendarSettings.parse({})),
  guarantees: z
    .array(Guarantee)
    .max(100)
    .default(() => defaultGuarantees()),
  /** Desktop notifications: due within the hour, and overdue at start. */
  isNotifying: z.boolean().default(true),
})
export type PromiseSettings = z.infer<typeof PromiseSettings>

export function defaultGuarantees(): Guarantee[] {
  return [
    { id: 'first-response', text: '', amount: 4, unit: 'business-hours', compensation: '', isActive: true },
    { id: 'resolution', text: '', amount: 2, unit: 'business-days', compensation: '', isActive: true },
  ]
}

export function defaultPromiseSettings(): PromiseSettings {
  return PromiseSettings.parse({})
}

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return true
  } catch {
    return false
  }
}
