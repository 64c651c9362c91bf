import { useEffect, useRef } from 'react'

/**
 * Alt+G, from anywhere in the app, even while typing: browsers bind nothing to it (Ctrl+Shift+G
 * is "find previous"). Matched on the physical key, so macOS's Option+G (which types ©) works too.
 */
export function useGrumbleShortcut(open: () => void): void {
  const openRef = useRef(open)
  useEffect(() => {
    openRef.current = open
  }, [open])
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || event.code !== 'KeyG') return
      event.preventDefault()
      openRef.current()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}
