import { z } from 'zod'
import { dataKinds, everything, method } from '../core/contract'

/**
 * Live screens. A window asks `live:wait` with the last `seq` it saw and is answered when
 * something changed after it (at once if it already has), or after `waitMs` with nothing new:
 * a long poll, so the same call works over HTTP and the desktop bridge.
 */
export const LiveState = z.object({
  /** Changes with each start of the backend: a window holding another epoch refreshes everything. */
  epoch: z.string(),
  seq: z.number().int().min(0),
  /** What another desk changed since the `seq` asked with: the queries reading these are asked again. */
  changed: z.array(z.enum(dataKinds)),
  /** `local`: a data folder, nobody else writes. `reconnecting`: the team database cannot be reached. */
  connection: z.enum(['local', 'connected', 'reconnecting']),
  /** Cases open at other desks, and who has them open. */
  viewers: z.array(z.object({ caseId: z.string(), names: z.array(z.string()) })),
})
export type LiveState = z.infer<typeof LiveState>

export const liveWaitLimitMs = 25_000

const windowId = z.string().min(1).max(100)

export const liveContract = {
  'live:wait': method(
    z
      .object({
        epoch: z.string().max(100).default(''),
        since: z.number().int().min(0).default(0),
        waitMs: z.number().int().min(0).max(liveWaitLimitMs).default(liveWaitLimitMs),
      })
      .strict(),
    LiveState,
    // What another desk changed may be anything the screens show.
    { reads: everything, isUsableWhileLoading: true },
  ),
  /** Which case a window has open (null: none); repeated every few seconds while it stays open. */
  'live:viewing': method(
    z.object({ window: windowId, caseId: z.string().min(1).max(64).nullable() }).strict(),
    z.object({}),
    { isUsableWhileLoading: true },
  ),
}
