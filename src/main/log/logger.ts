/**
 * One small logger for the Node side. Background work (checkpoints, backups, sweeps, timers)
 * must never fail silently: every failure that is not answered to a caller goes through here.
 * By default lines go to stderr; a host may add a sink (the data folder's `logs/makegood.log`).
 */
export type LogLevel = 'info' | 'warn' | 'error'
export type LogEntry = { at: string; level: LogLevel; event: string; message: string }
export type LogSink = (entry: LogEntry) => void

const stderrSink: LogSink = (entry) => {
  process.stderr.write(`${entry.at} ${entry.level.toUpperCase()} ${entry.event}: ${entry.message}\n`)
}

let sinks: LogSink[] = [stderrSink]

function describe(error: unknown): string {
  if (error instanceof Error) return error.message
  return String(error)
}

function write(level: LogLevel, event: string, detail: unknown): void {
  const entry: LogEntry = { at: new Date().toISOString(), level, event, message: describe(detail) }
  for (const sink of sinks) {
    try {
      sink(entry)
    } catch {
      // A sink that cannot write (full disk) must not turn a logged failure into a crash.
    }
  }
}

export const logger = {
  info: (event: string, detail: unknown = ''): void => write('info', event, detail),
  warn: (event: string, detail: unknown): void => write('warn', event, detail),
  error: (event: string, detail: unknown): void => write('error', event, detail),
  /** Replaces where lines go (tests, the desktop backend writing to the data folder). */
  setSinks: (next: LogSink[]): void => {
    sinks = next
  },
}
