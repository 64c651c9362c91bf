import { describe, expect, it } from 'vitest'
import { SweepIndex } from '../../src/main/services/escalations/sweepIndex'
import { makeCase } from '../helpers/records'
import { openContext, tempDir } from '../helpers/temp'

/**
 * The sweep index keeps the groups other desks' changes touched apart from this desk's own: a
 * save sweeps its own, the runtime the others' (sweepChangesElsewhere). None may be lost between
 * the two, whatever a sweep does with them.
 */
describe("the sweep index's groups changed at other desks", () => {
  const at = Date.parse('2026-10-01T09:00:00.000Z')
  const recent = (index: number, department: string, category = 'long-wait') => ({
    ...makeCase(index, '2026-09-30T09:00:00.000Z'),
    category,
    department,
  })

  it('wait for a sweep that takes them, come back when it fails, and leave with a save that sweeps them', async () => {
    const { store } = await openContext(await tempDir())
    const index = new SweepIndex(store, at)
    try {
      index.onPut('cases', undefined, recent(1, 'Kitchen'), true)
      expect(index.isChangedElsewhere).toBe(true)
      // A save of another kind of complaint takes its own groups only.
      index.onPut('cases', undefined, recent(2, 'Delivery', 'hygiene'), false)
      const own = index.take(at)
      expect(own.elsewhere).toEqual([])
      expect(index.isChangedElsewhere).toBe(true)
      // The runtime's sweep takes them; failing, it gives them back to the next one.
      const taken = index.take(at, { isElsewhereToo: true })
      expect(taken.elsewhere.length).toBeGreaterThan(0)
      expect(taken.elsewhere.every((group) => taken.groups.has(group))).toBe(true)
      expect(index.isChangedElsewhere).toBe(false)
      index.giveBack(taken)
      expect(index.isChangedElsewhere).toBe(true)
      // A save whose groups include them sweeps them as they now are: they no longer wait.
      index.onPut('cases', undefined, recent(3, 'Kitchen'), false)
      const saved = index.take(at)
      expect(saved.elsewhere.length).toBeGreaterThan(0)
      expect(index.isChangedElsewhere).toBe(false)
      // And that save failing puts them back where they were.
      index.giveBack(saved)
      expect(index.isChangedElsewhere).toBe(true)
    } finally {
      index.stop()
    }
  })
})
