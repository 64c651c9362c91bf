import { z } from 'zod'
import { type Method, methods } from '../../shared/api'

/**
 * Messages between the desktop app's main process (which serves the window) and the backend
 * process (store, services, timers). Both sides parse what they receive: a message crossing a
 * process boundary is input like any other.
 */
export const ToBackend = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    dataDir: z.string().min(1),
    /** The operating system's language (Electron's app.getLocale()), for `language: auto`. */
    systemLanguage: z.string(),
    /** A team database URL (MAKEGOOD_DB): the store is that database; dataDir keeps this desk's files. */
    db: z.string().min(1).optional(),
    /** Where `db` came from: MAKEGOOD_DB, or the database Settings → Team database connected to last time. */
    dbSource: z.enum(['environment', 'remembered']).optional(),
  }),
  z.object({
    type: z.literal('call'),
    id: z.number().int(),
    method: z.enum(methods as [Method, ...Method[]]),
    input: z.unknown(),
  }),
  z.object({ type: z.literal('close') }),
])
export type ToBackend = z.infer<typeof ToBackend>

/** A desktop notification, already translated: the main process only shows it. */
export const Notice = z.object({ title: z.string(), body: z.string() })
export type Notice = z.infer<typeof Notice>

const ApiErrorShape = z.looseObject({ code: z.string(), message: z.string() })

export const FromBackend = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  /** The data folder could not be opened (locked, damaged, too new): the message says why. */
  z.object({ type: z.literal('failed'), message: z.string() }),
  z.object({
    type: z.literal('reply'),
    id: z.number().int(),
    result: z.union([
      z.object({ ok: z.literal(true), value: z.unknown() }),
      z.object({ ok: z.literal(false), error: ApiErrorShape }),
    ]),
  }),
  z.object({ type: z.literal('notify'), notices: z.array(Notice) }),
  z.object({ type: z.literal('closed') }),
])
export type FromBackend = z.infer<typeof FromBackend>

/** Either end of the pipe: Electron's utilityProcess / parentPort, or Node's fork() IPC in tests. */
export type Channel<Out, In> = {
  send(message: Out): void
  onMessage(listener: (message: In) => void): void
}
