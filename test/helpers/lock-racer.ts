// Spawned by test/integration/lock.test.ts. For each `go` line on stdin it tries to open the data
// folder as its writer and prints `got <pid>` (then holds it until killed) or `locked`.
import { createInterface } from 'node:readline'
import { Store } from '../../src/main/store/store'

async function main(): Promise<void> {
  const dir = process.argv[2] ?? ''
  process.stdout.write('ready\n')
  for await (const line of createInterface({ input: process.stdin })) {
    if (line !== 'go') continue
    try {
      await Store.open(dir)
      process.stdout.write(`got ${process.pid}\n`)
      // A writer that keeps working: it holds the lock until the test kills it.
      setInterval(() => undefined, 1000)
    } catch (error) {
      const code = (error as { code?: string }).code
      process.stdout.write(`${code === 'locked' ? 'locked' : `error ${String(error)}`}\n`)
    }
  }
}

void main()
