import { describe, expect, it } from 'vitest'
import { systemTimeZone } from '../../src/main/services/promises/calendar'

describe("the computer's own time zone", () => {
  it('follows TZ when it changes, though it is kept between calls', () => {
    const machineZone = process.env.TZ
    try {
      for (const zone of ['Asia/Shanghai', 'America/Los_Angeles', 'Asia/Shanghai', 'UTC']) {
        process.env.TZ = zone
        expect(systemTimeZone()).toBe(zone)
        expect(systemTimeZone()).toBe(zone)
      }
    } finally {
      if (machineZone === undefined) delete process.env.TZ
      else process.env.TZ = machineZone
    }
  })
})
