import { describe, expect, it } from 'vitest'
import { lastDayOf, monthAt, monthOf, monthStart, monthsEndingWith, previousMonth } from '../../src/shared/core/months'

describe('month helpers: one answer to "which month is this?"', () => {
  it('names the UTC month of a stored string and of an instant', () => {
    expect(monthOf('2026-03-31T23:59:59.999Z')).toBe('2026-03')
    expect(monthOf('2026-03-05')).toBe('2026-03')
    // An instant just past midnight UTC on 1 April is April, whatever the machine's zone.
    expect(monthAt(Date.parse('2026-04-01T00:00:00.000Z'))).toBe('2026-04')
    expect(monthAt(new Date('2026-03-31T23:59:59.999Z'))).toBe('2026-03')
  })

  it('steps over year ends and leap days', () => {
    expect(previousMonth('2026-01')).toBe('2025-12')
    expect(monthsEndingWith('2026-01', 3)).toEqual(['2025-11', '2025-12', '2026-01'])
    expect(monthStart('2026-12')).toBe('2026-12-01T00:00:00.000Z')
    expect(lastDayOf('2024-02')).toBe('2024-02-29')
    expect(lastDayOf('2025-02')).toBe('2025-02-28')
    expect(lastDayOf('2026-12')).toBe('2026-12-31')
  })
})
