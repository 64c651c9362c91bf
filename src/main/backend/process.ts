// The backend process's entry: Electron's utilityProcess in the desktop app (messages through
// process.parentPort), or a Node child process in tests (messages through process.send).
import { runBackend } from './backend'
import { type Channel, type FromBackend } from './protocol'

type ParentPort = {
  postMessage(message: unknown): void
  on(event: 'message', listener: (event: { data: unknown }) => void): void
}

function parentChannel(): Channel<FromBackend, unknown> {
  const parentPort = (process as { parentPort?: ParentPort }).parentPort
  if (parentPort) {
    return {
      send: (message) => parentPort.postMessage(message),
      onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)),
    }
  }
  if (!process.send) throw new Error('The MakeGood backend must be started by the app, not on its own')
  return {
    send: (message) => process.send?.(message),
    onMessage: (listener) => process.on('message', listener),
  }
}

runBackend(parentChannel(), () => process.exit(0))
