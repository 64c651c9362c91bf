/**
 * A stored time in epoch ms, exactly as `Date.parse` reads it. The app stores times as
 * `toISOString()` writes them (`2026-03-05T14:07:09.123Z`), and a report at 100,000 cases reads
 * ~2 million of them: `Date.parse` spends ~300 ns on each on this machine, most of a report's
 * time, where picking the digits out and handing them to `Date.UTC` takes ~100. Any other shape,
 * a field `Date.parse` refuses (month 13, minute 60), hour 24 (which it reads its own way) and
 * years before 1000 (`Date.UTC` reads 0–99 as 19xx) go to `Date.parse`, so the answer is always
 * its own.
 */
export function storedTime(iso: string): number {
  if (
    iso.length !== 24 ||
    iso.charCodeAt(4) !== dash ||
    iso.charCodeAt(7) !== dash ||
    iso.charCodeAt(10) !== letterT ||
    iso.charCodeAt(13) !== colon ||
    iso.charCodeAt(16) !== colon ||
    iso.charCodeAt(19) !== dot ||
    iso.charCodeAt(23) !== letterZ
  ) {
    return Date.parse(iso)
  }
  const year = digits(iso, 0, 4)
  const month = digits(iso, 5, 2)
  const day = digits(iso, 8, 2)
  const hour = digits(iso, 11, 2)
  const minute = digits(iso, 14, 2)
  const second = digits(iso, 17, 2)
  const ms = digits(iso, 20, 3)
  // (NaN, a character that is not a digit, fails every comparison.)
  if (
    !(year >= 1000) ||
    !(month >= 1 && month <= 12) ||
    !(day >= 1 && day <= 31) ||
    !(hour <= 23) ||
    !(minute <= 59) ||
    !(second <= 59) ||
    !(ms >= 0)
  ) {
    return Date.parse(iso)
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, ms)
}

const dash = 0x2d
const colon = 0x3a
const dot = 0x2e
const letterT = 0x54
const letterZ = 0x5a
const zero = 0x30

/** The number written by `count` digits from `from`; NaN if one of them is not a digit. */
function digits(text: string, from: number, count: number): number {
  let value = 0
  for (let i = from; i < from + count; i++) {
    const digit = text.charCodeAt(i) - zero
    if (!(digit >= 0 && digit <= 9)) return Number.NaN
    value = value * 10 + digit
  }
  return value
}
