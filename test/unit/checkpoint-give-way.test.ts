import { describe, expect, it } from 'vitest'
import { waitForQuiet } from '../../src/main/store/commitQueue'

// A checkpoint waits between stretches of its work until the saves have passed (30 ms without a
// commit here), and never longer than its deadline.
describe('a checkpoint giving way to saves', () => {
  const quietMs = 30

  it('waits out the rest of the quiet time after a commit', () => {
    expect(waitForQuiet(1_010, 1_000, false, quietMs, 2_000)).toBe(20)
  })

  it('goes on once the writes have been quiet long enough, or when none came yet', () => {
    expect(waitForQuiet(1_030, 1_000, false, quietMs, 2_000)).toBe(0)
    expect(waitForQuiet(1_000, -Infinity, false, quietMs, 2_000)).toBe(0)
  })

  it('waits while a sync is under way, however long ago the last commit came', () => {
    expect(waitForQuiet(5_000, 1_000, true, quietMs, 9_000)).toBeGreaterThan(0)
  })

  it('never waits past its deadline: a steady stream of writes still lets it on', () => {
    expect(waitForQuiet(1_995, 1_990, false, quietMs, 2_000)).toBe(5)
    expect(waitForQuiet(2_000, 1_999, true, quietMs, 2_000)).toBe(0)
  })
})
