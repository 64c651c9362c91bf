// One desk of `npm run bench:team`, in its own process: opens the team database (a postgres://
// URL) or a data folder (a path), answers the orchestrator's commands over IPC, and reports its
// timings. Never run on its own.
import { performance } from 'node:perf_hooks'
import { Client } from 'pg'
import { dispatch } from '../src/main/services'
import { listCases } from '../src/main/services/cases/cases'
import { type ServiceContext } from '../src/main/services/context'
import { sweepChangesElsewhere, sweepElsewhereEveryMs, warmSweep } from '../src/main/services/escalations/escalations'
import { warmOldSignals } from '../src/main/services/iceberg/oldSignals'
import { warmForFirstUse } from '../src/main/services/warmUp'
import { PgStore } from '../src/main/store/postgres/pgStore'
import { Store } from '../src/main/store/store'
import { idleRss, settledRss } from './memory'

type Command =
  | { type: 'reads' }
  | { type: 'saves'; ids: string[] }
  | { type: 'watch'; marker: string }
  | { type: 'change'; id: string; marker: string }
  | { type: 'race'; ids: string[]; count: number; prefix: string }
  | { type: 'close' }

const send = (message: unknown) => process.send?.(message)
const now = new Date('2026-11-20T10:00:00Z')
/** Wall-clock instants in ms with sub-ms precision: the desks are processes on one machine. */
const instant = () => performance.timeOrigin + performance.now()

/** BENCH_TEAM_SPANS=1: each desk prints the time its statements took during the saves (where a save waits). */
const spans = new Map<string, { n: number; ms: number }>()
if (process.env.BENCH_TEAM_SPANS) {
  const query = Client.prototype.query as (...args: unknown[]) => unknown
  ;(Client.prototype as unknown as { query: unknown }).query = function (this: Client, ...args: unknown[]) {
    const key = typeof args[0] === 'string' ? args[0].replace(/\s+/g, ' ').slice(0, 70) : '(other)'
    const t = performance.now()
    const answer = query.apply(this, args)
    const count = () => {
      const span = spans.get(key) ?? { n: 0, ms: 0 }
      span.n++
      span.ms += performance.now() - t
      spans.set(key, span)
    }
    if (answer instanceof Promise) answer.then(count, count)
    return answer
  }
}

async function main() {
  // Loaded: the orchestrator starts every desk's connection at the same moment.
  await new Promise<void>((resolve) => {
    process.once('message', () => resolve())
    send({ type: 'loaded' })
  })
  const where = process.argv[2]!
  const isTeam = where.startsWith('postgres')
  // Both as the desktop app opens them: the newest months first, the rest in the background.
  const t0 = performance.now()
  const store = isTeam ? await PgStore.open(where, { isLazy: true }) : await Store.open(where, { isLazy: true })
  const ctx: ServiceContext = { store, now: () => now }
  const today = await dispatch(ctx, 'today:get', {})
  if (!today.ok) throw new Error(JSON.stringify(today.error))
  const todayMs = performance.now() - t0
  await store.whenFullyLoaded()
  const fullMs = performance.now() - t0
  // The same filtered list and text search as `npm run bench` (bench/size.ts), medians.
  const timed = (runs: number, work: () => unknown) => {
    const samples: number[] = []
    for (let i = 0; i < runs; i++) {
      const t = performance.now()
      work()
      samples.push(performance.now() - t)
    }
    return samples.sort((a, b) => a - b)[Math.floor(runs / 2)]!
  }
  // As the desktop app's runtime does once the history is in (see runtime.ts): the old months'
  // churn signals summarised (a data folder's), search texts and case numbers, the sweep's code.
  await warmOldSignals(store)
  await warmForFirstUse(ctx)
  await warmSweep(ctx)
  // And, as the runtime does on a team desk, the patterns other desks' changes touched, every few
  // seconds (one sweep at a time).
  if (isTeam) {
    let isSweeping = false
    setInterval(() => {
      if (isSweeping) return
      isSweeping = true
      void sweepChangesElsewhere(ctx)
        .catch((error: unknown) => send({ type: 'failed', message: String(error) }))
        .finally(() => (isSweeping = false))
    }, sweepElsewhereEveryMs).unref()
  }
  // What the desk holds once ready, as `npm run bench` reads it (read at once, the load's garbage counts too).
  const rssMb = await settledRss()
  // And once left alone a while, no collection forced (V8's memory reducer), as a person leaves the app open.
  const idle = await idleRss()
  send({ type: 'ready', todayMs, fullMs, rssMb, idleRssMb: idle.rssMb, isIdleReduced: idle.isReduced })

  let watching: string | undefined
  if (store instanceof PgStore)
    store.onChange(() => {
      if (!watching) return
      for (const c of store.all('cases')) {
        if (c.summary.startsWith(watching)) {
          const sentAt = Number(c.summary.slice(watching.length + 1))
          send({ type: 'seen', ms: instant() - sentAt })
          watching = undefined
          return
        }
      }
    })

  process.on('message', (raw) => {
    const command = raw as Command
    void (async () => {
      if (command.type === 'reads') {
        // Asked once every desk is ready, so no other desk's start-up competes for the CPU.
        const listMs = timed(7, () => listCases(ctx, { status: 'open', category: 'hygiene', limit: 200 }))
        const queryMs = timed(5, () => listCases(ctx, { query: '退款', limit: 200 }))
        send({ type: 'read', listMs, queryMs })
      } else if (command.type === 'saves') {
        const samples: number[] = []
        spans.clear()
        for (const id of command.ids) {
          const t = performance.now()
          const result = await dispatch(ctx, 'cases:update', { id, summary: `saved ${t.toFixed(3)}` })
          if (!result.ok) throw new Error(JSON.stringify(result.error))
          samples.push(performance.now() - t)
        }
        if (process.env.BENCH_TEAM_SPANS) {
          const lines = [...spans].sort((a, b) => b[1].ms - a[1].ms)
          const slowest = [...samples].sort((a, b) => b - a).slice(0, 8)
          process.stderr.write(
            `desk ${process.pid}: slowest saves ${slowest.map((v) => v.toFixed(0)).join(' ')} ms; statements (count, ms):\n` +
              lines.map(([sql, { n, ms }]) => `  ${n}\t${ms.toFixed(0)}\t${sql}\n`).join(''),
          )
        }
        send({ type: 'saved', samples })
      } else if (command.type === 'watch') {
        watching = command.marker
        send({ type: 'watching' })
      } else if (command.type === 'change') {
        const result = await dispatch(ctx, 'cases:update', {
          id: command.id,
          summary: `${command.marker} ${instant().toFixed(3)}`,
        })
        if (!result.ok) throw new Error(JSON.stringify(result.error))
        send({ type: 'changed' })
      } else if (command.type === 'race') {
        // Every save at once: each one reads this desk's copy and writes it back with its note.
        const answers = await Promise.all(
          Array.from({ length: command.count }, (_, i) => {
            const token = `${command.prefix}-${i}`
            return dispatch(ctx, 'cases:assign', {
              id: command.ids[i % command.ids.length]!,
              // A new owner each time (handing a case to its owner is refused), named by the token.
              owner: token,
              note: token,
            }).then((r) => ({ token, ok: r.ok, code: r.ok ? undefined : `${r.error.code}/${r.error.reason ?? ''}` }))
          }),
        )
        send({ type: 'raced', answers })
      } else {
        await store.close()
        send({ type: 'closed' })
        process.exit(0)
      }
    })().catch((error: unknown) => {
      send({ type: 'failed', message: error instanceof Error ? error.message : String(error) })
    })
  })
}

void main().catch((error: unknown) => {
  send({ type: 'failed', message: error instanceof Error ? error.message : String(error) })
  process.exit(1)
})
