import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs'
import { join } from 'node:path'

/**
 * One small logger for the Node side. Background work (checkpoints, backups, sweeps, timers)
 * must never fail silently: every failure that is not answered to a caller goes through here.
 * By default lines go to stderr; a host may add a sink (the data folder's `logs/makegood.log`).
 */
export type LogLevel = 'info' | 'warn' | 'error'
export type LogEntry = { at: string; level: LogLevel; event: string; message: string }
export type LogSink = (entry: LogEntry) => void

const lineOf = (entry: LogEntry) => `${entry.at} ${entry.level.toUpperCase()} ${entry.event}: ${entry.message}\n`

export const stderrSink: LogSink = (entry) => {
  process.stderr.write(lineOf(entry))
}

/**
 * `logs/makegood.log` in the data folder, rotated when it would pass `maxBytes`: the current file
 * and `keep - 1` older ones (`makegood.log.1` newest). Written synchronously, so the line about a
 * failure is on disk even if the process dies next; owner-only (0600), since messages may name
 * customers' files.
 */
export function fileSink(dataDir: string, options: { maxBytes?: number; keep?: number } = {}): LogSink {
  const maxBytes = options.maxBytes ?? 1024 * 1024
  const keep = options.keep ?? 3
  const dir = join(dataDir, 'logs')
  const file = join(dir, 'makegood.log')
  return (entry) => {
    const line = lineOf(entry)
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    const size = sizeOf(file)
    if (size > 0 && size + Buffer.byteLength(line) > maxBytes) {
      for (let i = keep - 1; i >= 1; i--) {
        const from = i === 1 ? file : `${file}.${i - 1}`
        if (sizeOf(from) >= 0) renameSync(from, `${file}.${i}`)
      }
    }
    appendFileSync(file, line, { mode: 0o600 })
  }
}

/** The file's size, or -1 when there is none. */
function sizeOf(file: string): number {
  try {
    return statSync(file).size
  } catch {
    return -1
  }
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
