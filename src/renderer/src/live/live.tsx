import { type QueryClient, useQueryClient } from '@tanstack/react-query'
import { type ReactNode, createContext, useContext, useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type LiveState, contract, isMethod } from '../../../shared/api'
import { type DataKind } from '../../../shared/core/contract'
import { type ApiError } from '../../../shared/core/errors'
import { api } from '../api'
import { logFailure } from '../logFailure'
import { formatList } from '../../../shared/core/i18n/listFormat'

type Live = Pick<LiveState, 'connection' | 'viewers'>

const LiveContext = createContext<Live>({ connection: 'local', viewers: [] })

/** This window's name in `live:viewing`: one per page load. */
const windowId = crypto.randomUUID()
/** A window repeats what it has open this often (the backend forgets a window silent for 30 s). */
const viewingEveryMs = 10_000
/** After a failed `live:wait` (the backend restarting), the next one waits this long. */
const retryMs = 2000

/** Asks again every query on screen that reads something another desk changed (the rest go stale). */
export function refreshChanged(client: QueryClient, changed: readonly DataKind[]): void {
  if (changed.length === 0) return
  const kinds = new Set(changed)
  void client.invalidateQueries({
    predicate: (query) => {
      const [name] = query.queryKey
      return typeof name === 'string' && isMethod(name) && contract[name].reads.some((kind) => kinds.has(kind))
    },
  })
}

/**
 * Keeps one `live:wait` open while the app runs: each answer names what other desks changed,
 * and those queries are asked again, so every open screen follows the team without a reload.
 * It also carries the connection (for the banner) and who has which case open.
 */
export function LiveProvider({ children }: { children: ReactNode }) {
  const client = useQueryClient()
  const [live, setLive] = useState<Live>({ connection: 'local', viewers: [] })
  useEffect(() => {
    let isStopped = false
    let epoch = ''
    let since = 0
    void (async () => {
      while (!isStopped) {
        try {
          const state = await api('live:wait', { epoch, since })
          if (isStopped) return
          // The first answer (or one from a restarted backend) only sets the numbers: the screens
          // were just read; after that, what changed is read again.
          if (epoch !== '') refreshChanged(client, state.changed)
          epoch = state.epoch
          since = state.seq
          setLive({ connection: state.connection, viewers: state.viewers })
        } catch (caught) {
          logFailure('live updates paused', caught)
          await new Promise((resolve) => setTimeout(resolve, retryMs))
        }
      }
    })()
    return () => {
      isStopped = true
    }
  }, [client])
  return <LiveContext.Provider value={live}>{children}</LiveContext.Provider>
}

export function useLive(): Live {
  return useContext(LiveContext)
}

/** Who else has this case open (other desks), by name. */
export function useViewersOf(caseId: string): string[] {
  return useLive().viewers.find((v) => v.caseId === caseId)?.names ?? []
}

/** Tells the backend this window has the case open, while it is on screen. */
export function useViewing(caseId: string): void {
  useEffect(() => {
    const say = (open: string | null) =>
      void api('live:viewing', { window: windowId, caseId: open }).catch((caught: unknown) =>
        logFailure('could not say which case is open', caught),
      )
    say(caseId)
    const timer = setInterval(() => say(caseId), viewingEveryMs)
    return () => {
      clearInterval(timer)
      say(null)
    }
  }, [caseId])
}

/** The team database cannot be reached: said on every screen until the desk is back. */
export function ConnectionBanner() {
  const { t } = useTranslation('live')
  if (useLive().connection !== 'reconnecting') return null
  return (
    <div role="alert" className="warning banner">
      <strong>{t('offline.title')}</strong> {t('offline.body')}
    </div>
  )
}

/** "Tom Baker is viewing this case", on the case screen. */
export function ViewersNotice({ caseId }: { caseId: string }) {
  const { t, i18n } = useTranslation('live')
  const names = useViewersOf(caseId)
  if (names.length === 0) return null
  return (
    <p role="status" className="notice viewers">
      {t('viewing.case', { names: formatList(i18n.language, names), count: names.length })}
    </p>
  )
}

/** The Cases list's marker: a small label naming who has the case open. */
export function ViewersMarker({ caseId }: { caseId: string }) {
  const { t, i18n } = useTranslation('live')
  const names = useViewersOf(caseId)
  if (names.length === 0) return null
  const text = t('viewing.case', { names: formatList(i18n.language, names), count: names.length })
  return (
    <span className="viewers-marker" title={text} aria-label={text}>
      {t('viewing.marker', { count: names.length })}
    </span>
  )
}

type Conflict = { by: string | undefined }
const conflictListeners = new Set<(conflict: Conflict) => void>()

/** A call refused because another desk changed the record first (useApiCall tells it here). */
export function tellIfConflict(error: ApiError): void {
  if (error.code !== 'conflict' || error.reason !== 'store.stale_version') return
  const by = error.params?.by
  for (const listener of conflictListeners) listener({ by: by === undefined ? undefined : String(by) })
}

/**
 * Says who changed the record at another desk and offers Reload, which reads every query
 * again: the person then sees the current copy and can redo their change on it.
 */
export function ConflictNotice() {
  const { t } = useTranslation('live')
  const client = useQueryClient()
  const [conflict, setConflict] = useState<Conflict>()
  useEffect(() => {
    conflictListeners.add(setConflict)
    return () => void conflictListeners.delete(setConflict)
  }, [])
  if (!conflict) return null
  return (
    <div role="alert" className="warning banner conflict">
      <strong>{t('conflict.title')}</strong>{' '}
      {conflict.by ? t('conflict.byWhom', { name: conflict.by }) : t('conflict.byUnknown')}{' '}
      <button
        type="button"
        className="primary"
        onClick={() => {
          setConflict(undefined)
          void client.invalidateQueries()
        }}
      >
        {t('conflict.reload')}
      </button>{' '}
      <button type="button" onClick={() => setConflict(undefined)}>
        {t('conflict.dismiss')}
      </button>
    </div>
  )
}
