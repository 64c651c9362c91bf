// Spawned by test/integration/crash.test.ts: writes continuously until it is SIGKILLed, and
// prints `ack <kind> <id> <version>` only after a commit resolved (was fsynced).
import { Store } from '../../src/main/store/store'
import { makeCase, makeCustomer, monthIso } from './records'

async function main(): Promise<void> {
  const [dir, seedText] = process.argv.slice(2)
  let seed = Number(seedText) >>> 0
  const random = () => {
    seed = (seed * 1664525 + 1013904223) >>> 0
    return seed / 4294967296
  }
  // Tiny checkpoint thresholds, so kills land inside checkpoints and segment deletions too.
  const store = await Store.open(dir ?? '', { checkpointEntries: 60, checkpointIdleMs: 15 })
  process.stdout.write('ready\n')
  const writer = async () => {
    for (;;) {
      const index = Math.floor(random() * 400)
      if (random() < 0.15) {
        const customer = makeCustomer(index)
        const current = store.get('customers', customer.id)
        const version = current ? Number(current.notes.split(' ')[0]) + 1 || 1 : 1
        await store.commit([{ collection: 'customers', value: { ...customer, notes: `${version} notes` } }])
        process.stdout.write(`ack customers ${customer.id} ${version}\n`)
        continue
      }
      const current = store.get('cases', `case-${index}`)
      const version = current ? Number(/^v(\d+)/.exec(current.summary)?.[1] ?? 0) + 1 : 1
      // Some updates move a case to another month: it leaves one shard and enters another.
      const value = makeCase(index, monthIso(index + Math.floor(random() * 3), 14), version)
      await store.commit([{ collection: 'cases', value }])
      process.stdout.write(`ack cases ${value.id} ${version}\n`)
    }
  }
  await Promise.all([writer(), writer(), writer(), writer()])
}

void main()
