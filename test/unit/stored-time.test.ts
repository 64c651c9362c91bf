import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { storedTime } from '../../src/shared/core/storedTime'

/** `Date.parse`'s answer, NaN included (toBe compares NaN with NaN as equal). */
const expectSameAsDateParse = (iso: string): void => {
  expect(storedTime(iso), iso).toBe(Date.parse(iso))
}

describe('storedTime reads a stored time exactly as Date.parse does', () => {
  it('every instant as toISOString writes it, years 1000 to 9999', () => {
    const first = Date.UTC(1000, 0, 1)
    const last = Date.UTC(9999, 11, 31, 23, 59, 59, 999)
    fc.assert(
      fc.property(fc.integer({ min: first, max: last }), (ms) => {
        const iso = new Date(ms).toISOString()
        expect(storedTime(iso)).toBe(ms)
        expectSameAsDateParse(iso)
      }),
      { numRuns: 20_000 },
    )
  })

  it('the same shape with any digits in each field, in range or not', () => {
    const digits = (count: number) =>
      fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: count, maxLength: count })
    const shaped = fc
      .tuple(digits(4), digits(2), digits(2), digits(2), digits(2), digits(2), digits(3))
      .map(([y, mo, d, h, mi, s, ms]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`)
    fc.assert(fc.property(shaped, expectSameAsDateParse), { numRuns: 20_000 })
  })

  it('the edges of each field, and what is not a stored time', () => {
    for (const iso of [
      '2025-02-29T00:00:00.000Z', // rolls over to 1 March, as Date.parse does
      '2025-02-31T12:00:00.000Z',
      '2024-02-29T23:59:59.999Z',
      '2025-06-18T24:00:00.000Z', // the end of the day: Date.parse's own reading
      '2025-06-18T24:00:01.000Z',
      '2025-06-18T23:59:60.000Z',
      '2025-06-18T23:60:00.000Z',
      '2025-13-01T00:00:00.000Z',
      '2025-00-01T00:00:00.000Z',
      '2025-01-00T00:00:00.000Z',
      '2025-01-32T00:00:00.000Z',
      '0999-12-31T23:59:59.999Z',
      '0050-06-01T00:00:00.000Z', // Date.UTC would read the year as 1950
      '-025-06-18T09:17:00.000Z', // the right shape, a year that is not four digits
      '2a25-06-18T09:17:00.000Z',
      '2025-06-18T09:17:00.0-1Z',
      '2025-06-18T09:17:00.000+01:00',
      '2025-06-18T09:17:00Z',
      '2025-06-18',
      '2025-06-18T09:17:00.000z',
      '2025-06-18 09:17:00.000Z',
      '2025-0a-18T09:17:00.000Z',
      '+2025-06-18T09:17:00.00Z',
      ' 2025-06-18T09:17:00.00Z',
      '',
      'not a time at all, 24 c.',
    ]) {
      expectSameAsDateParse(iso)
    }
  })
})
