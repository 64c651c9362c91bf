import { z } from 'zod'
import { everything, method, nothing } from '../core/contract'
import { Settings } from '../schemas'

/** The contract part of the app itself: what it is, and its settings (assembled from every feature's part). */

export const AppInfo = z.object({
  version: z.string(),
  dataDir: z.string(),
  isEmpty: z.boolean(),
  isReadOnly: z.boolean(),
  now: z.iso.datetime(),
})
export type AppInfo = z.infer<typeof AppInfo>

/**
 * A settings change: any subset of the fields. Fields with defaults (feature sub-objects) lose
 * their default here, or a change of one field would reset every feature's settings to defaults.
 */
export const SettingsPatch = z
  .object(
    Object.fromEntries(
      Object.entries(Settings.shape).map(([key, field]) => [
        key,
        (field instanceof z.ZodDefault ? field.removeDefault() : field).optional(),
      ]),
    ) as unknown as { [K in keyof typeof Settings.shape]: z.ZodOptional<(typeof Settings.shape)[K]> },
  )
  .strict()

export const settingsContract = {
  'app:info': method(nothing, AppInfo, { reads: ['cases', 'customers'], isUsableWhileLoading: true }),
  'settings:get': method(nothing, Settings, { reads: ['settings'], isUsableWhileLoading: true }),
  /** Thresholds, the calendar and targets feed the patterns, so a sweep follows. */
  'settings:update': method(SettingsPatch, Settings, { changes: ['settings'], isSweepAfter: true }),
  /** The sample data: an empty folder becomes a believable business. */
  'demo:load': method(nothing, z.object({ customers: z.number(), cases: z.number() }), {
    changes: everything,
    isSweepAfter: true,
  }),
}
