import { type ReactNode, createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { type ApiError } from '../../../shared/core/errors'
import { asApiError, useErrorText } from '../hooks'

/** How long a change can be taken back with one click; after that, the screens' own paths remain. */
export const undoWindowMs = 10_000

type Offer = { id: number; message: string; undo: () => Promise<unknown> }
type OfferUndo = (message: string, undo: () => Promise<unknown>) => void

const UndoContext = createContext<OfferUndo>(() => undefined)

/** After a change: `offerUndo('Resolve done.', () => call(...))` shows the notice with Undo. */
export function useOfferUndo(): OfferUndo {
  return useContext(UndoContext)
}

let nextId = 1

/**
 * One notice at a time, at the bottom of the window: what just changed and **Undo**, for ten
 * seconds. A newer change replaces the notice (its own undo is the one that makes sense now).
 */
export function UndoProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation()
  const errorText = useErrorText()
  const [offer, setOffer] = useState<Offer>()
  const [error, setError] = useState<ApiError>()
  const [isUndoing, setIsUndoing] = useState(false)
  const offerUndo = useCallback<OfferUndo>((message, undo) => {
    setError(undefined)
    setOffer({ id: nextId++, message, undo })
  }, [])
  useEffect(() => {
    if (!offer) return
    const timer = setTimeout(
      () => setOffer((current) => (current?.id === offer.id ? undefined : current)),
      undoWindowMs,
    )
    return () => clearTimeout(timer)
  }, [offer])

  async function undo() {
    if (!offer) return
    setIsUndoing(true)
    try {
      await offer.undo()
      setOffer(undefined)
    } catch (caught) {
      setError(asApiError(caught))
    } finally {
      setIsUndoing(false)
    }
  }

  const value = useMemo(() => offerUndo, [offerUndo])
  return (
    <UndoContext.Provider value={value}>
      {children}
      {offer ? (
        // A named region that is also polite live region, not a second role="status" beside the
        // screens' own ("Saved", "2 open promises exported"): both may show at once.
        <div className="undo-notice-area">
          <div className="undo-notice" role="region" aria-label={t('undo.label')} aria-live="polite">
            <span>{offer.message}</span>
            <button type="button" onClick={() => void undo()} disabled={isUndoing}>
              {t('undo.button')}
            </button>
            {error ? <span role="alert">{errorText(error)}</span> : null}
          </div>
        </div>
      ) : null}
    </UndoContext.Provider>
  )
}
