// One desk of `npm run bench:team`, in its own process: opens the team database, answers the
// orchestrator's commands over IPC, and reports its timings. Never run on its own.
import { performance } from 'node:perf_hooks'
import { dispatch } from '../src/main/services'
import { type ServiceContext } from '../src/main/services/context'
import { PgStore } from '../src/main/store/postgres/pgStore'

type Command =
  | { type: 'saves'; ids: string[] }
  | { type: 'watch'; marker: string }
  | { type: 'change'; id: string; marker: string }
  | { type: 'race'; ids: string[]; count: number; prefix: string }
  | { type: 'close' }

const send = (message: unknown) => process.send?.(message)
const now = new Date('2026-11-20T10:00:00Z')
/** Wall-clock instants in ms with sub-ms precision: the desks are processes on one machine. */
const instant = () => performance.timeOrigin + performance.now()

async function main() {
  const url = process.argv[2]!
  const t0 = performance.now()
  const store = await PgStore.open(url)
  const ctx: ServiceContext = { store, now: () => now }
  const today = await dispatch(ctx, 'today:get', {})
  if (!today.ok) throw new Error(JSON.stringify(today.error))
  send({ type: 'ready', todayMs: performance.now() - t0 })

  let watching: string | undefined
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
      if (command.type === 'saves') {
        const samples: number[] = []
        for (const id of command.ids) {
          const t = performance.now()
          const result = await dispatch(ctx, 'cases:update', { id, summary: `saved ${t.toFixed(3)}` })
          if (!result.ok) throw new Error(JSON.stringify(result.error))
          samples.push(performance.now() - t)
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
