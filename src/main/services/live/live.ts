import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { type DataKind, dataKinds } from '../../../shared/core/contract'
import { type LiveState } from '../../../shared/live/contract'
import { logger } from '../../log/logger'
import { type StoreEngine } from '../../store/postgres/engine'
import { type ServiceContext } from '../context'

/** What the team engine adds for live screens (PgStore); a data folder has none of it. */
type TeamFeed = {
  desk: string
  session: { name: string }
  connection: 'connected' | 'reconnecting'
  onChange(listener: (kinds: string[]) => void): () => void
  onConnection(listener: (state: 'connected' | 'reconnecting') => void): () => void
  onPresence(listener: (payload: string) => void): () => void
  sendPresence(payload: string): Promise<void>
}

function teamFeedOf(store: StoreEngine): TeamFeed | undefined {
  return 'onChange' in store && 'onPresence' in store ? (store as unknown as TeamFeed) : undefined
}

/** A window that has not said what it has open for this long has closed. */
const windowExpiryMs = 30_000
/** Each desk says what it has open this often, and on every change; silent for `deskExpiryMs`, it is gone. */
const presenceEveryMs = 10_000
const deskExpiryMs = 30_000
/** How many changes are remembered for windows catching up; a window further behind refreshes everything. */
const keptChanges = 500

const PresenceNotice = z.object({
  desk: z.string().max(100),
  name: z.string().max(200),
  cases: z.array(z.string().max(64)).max(1000),
})

/**
 * The live state of one store: a sequence number that moves with every change another desk
 * made (and with the connection and who has which case open), what changed at each step, and
 * the windows waiting for the next one. Monotonic time only (performance.now): expiries never
 * depend on the wall clock.
 */
export class LiveHub {
  readonly epoch = randomUUID()
  private seq = 0
  private readonly log: { seq: number; kinds: DataKind[] }[] = []
  private readonly waiting = new Set<() => void>()
  private readonly windows = new Map<string, { caseId: string | null; seenAt: number }>()
  private readonly desks = new Map<string, { name: string; cases: string[]; seenAt: number }>()
  private sentCases = ''
  private readonly stops: (() => void)[] = []

  constructor(private readonly store: StoreEngine) {
    const team = teamFeedOf(store)
    if (!team) return
    this.stops.push(
      team.onChange((kinds) =>
        this.bump(kinds.filter((k): k is DataKind => (dataKinds as readonly string[]).includes(k))),
      ),
      team.onConnection(() => this.bump([])),
      team.onPresence((payload) => this.onPresence(team, payload)),
    )
    const timer = setInterval(() => {
      this.expire()
      void this.sendPresence(true)
    }, presenceEveryMs)
    timer.unref()
    this.stops.push(() => clearInterval(timer))
  }

  state(since: number): LiveState {
    const team = teamFeedOf(this.store)
    const oldest = this.log[0]?.seq ?? this.seq + 1
    const changed = new Set<DataKind>()
    if (since < oldest - 1) dataKinds.forEach((k) => changed.add(k))
    else for (const entry of this.log) if (entry.seq > since) entry.kinds.forEach((k) => changed.add(k))
    const viewers = new Map<string, Set<string>>()
    for (const desk of this.desks.values()) {
      for (const caseId of desk.cases) viewers.set(caseId, (viewers.get(caseId) ?? new Set()).add(desk.name))
    }
    return {
      epoch: this.epoch,
      seq: this.seq,
      changed: [...changed],
      connection: team ? team.connection : 'local',
      viewers: [...viewers].map(([caseId, names]) => ({ caseId, names: [...names].sort() })),
    }
  }

  /** Answers once something changed after `since` (at once if it has), or after `waitMs`. */
  async wait(epoch: string, since: number, waitMs: number): Promise<LiveState> {
    // Another backend's numbers (this one restarted): everything may have changed.
    if (epoch !== this.epoch) return { ...this.state(0), changed: [...dataKinds] }
    if (since >= this.seq && waitMs > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer)
          this.waiting.delete(done)
          resolve()
        }
        const timer = setTimeout(done, waitMs)
        this.waiting.add(done)
      })
    }
    return this.state(since)
  }

  /** A window says which case it has open; the desk tells the others when its set changes. */
  async viewing(window: string, caseId: string | null): Promise<void> {
    this.windows.set(window, { caseId, seenAt: performance.now() })
    this.expire()
    await this.sendPresence(false)
  }

  private bump(kinds: DataKind[]): void {
    this.seq += 1
    this.log.push({ seq: this.seq, kinds })
    if (this.log.length > keptChanges) this.log.shift()
    for (const wake of [...this.waiting]) wake()
  }

  private openCases(): string[] {
    return [...new Set([...this.windows.values()].flatMap((w) => (w.caseId ? [w.caseId] : [])))].sort()
  }

  private async sendPresence(isHeartbeat: boolean): Promise<void> {
    const team = teamFeedOf(this.store)
    if (!team) return
    const cases = this.openCases()
    const key = cases.join(',')
    // Nothing open and nothing said before: no need to repeat silence.
    if ((!isHeartbeat && key === this.sentCases) || (isHeartbeat && key === '' && this.sentCases === '')) return
    this.sentCases = key
    await team
      .sendPresence(JSON.stringify({ desk: team.desk, name: team.session.name, cases }))
      .catch((error: unknown) => logger.warn('presence.send_failed', error))
  }

  private onPresence(team: TeamFeed, payload: string): void {
    let notice: z.infer<typeof PresenceNotice>
    try {
      notice = PresenceNotice.parse(JSON.parse(payload))
    } catch {
      return logger.warn('presence.unreadable', payload.slice(0, 200))
    }
    if (notice.desk === team.desk) return
    const before = this.desks.get(notice.desk)?.cases.join(',')
    if (notice.cases.length === 0) this.desks.delete(notice.desk)
    else this.desks.set(notice.desk, { name: notice.name, cases: notice.cases, seenAt: performance.now() })
    if (before !== notice.cases.join(',') && !(before === undefined && notice.cases.length === 0)) this.bump([])
  }

  private expire(): void {
    const now = performance.now()
    for (const [id, window] of this.windows) if (now - window.seenAt > windowExpiryMs) this.windows.delete(id)
    let isChanged = false
    for (const [id, desk] of this.desks) {
      if (now - desk.seenAt > deskExpiryMs) {
        this.desks.delete(id)
        isChanged = true
      }
    }
    if (isChanged) this.bump([])
  }

  close(): void {
    for (const stop of this.stops.splice(0)) stop()
    for (const wake of [...this.waiting]) wake()
  }
}

const hubs = new WeakMap<StoreEngine, LiveHub>()

/** The store's live hub, made on first use (the hosts share one per store). */
export function liveHubOf(ctx: ServiceContext): LiveHub {
  let hub = hubs.get(ctx.store)
  if (!hub) {
    hub = new LiveHub(ctx.store)
    hubs.set(ctx.store, hub)
  }
  return hub
}

export async function liveWait(
  ctx: ServiceContext,
  input: { epoch: string; since: number; waitMs: number },
): Promise<LiveState> {
  return liveHubOf(ctx).wait(input.epoch, input.since, input.waitMs)
}

export async function liveViewing(
  ctx: ServiceContext,
  input: { window: string; caseId: string | null },
): Promise<Record<string, never>> {
  await liveHubOf(ctx).viewing(input.window, input.caseId)
  return {}
}

/** A store this desk leaves (Settings → Team database): its waiting windows are answered, its timers stop. */
export function closeLiveHub(store: StoreEngine): void {
  hubs.get(store)?.close()
  hubs.delete(store)
}
