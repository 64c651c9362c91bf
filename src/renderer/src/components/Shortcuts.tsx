import { useEffect, useRef } from 'react'
import { useTranslation } from 'react-i18next'
import { Dialog } from './Dialog'

type Actions = { newComplaint: () => void; search: () => void; help: () => void }

/** Is the key meant for a field (typing an "n" in a note), or is a modal already open? */
function isTypingOrModal(target: EventTarget | null): boolean {
  if (document.querySelector('dialog[open]')) return true
  if (!(target instanceof HTMLElement)) return false
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)
}

/**
 * Single-key shortcuts, as mail and issue trackers have them: N new complaint, / search, ? this
 * list. They act only outside text fields and dialogs, so typing is never taken over; matched on
 * the character typed (`event.key`), so "?" works on every keyboard layout that can type it.
 */
export function useAppShortcuts(actions: Actions): void {
  const ref = useRef(actions)
  useEffect(() => {
    ref.current = actions
  }, [actions])
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return
      if (isTypingOrModal(event.target)) return
      const action =
        event.key === 'n' || event.key === 'N'
          ? ref.current.newComplaint
          : event.key === '/'
            ? ref.current.search
            : event.key === '?'
              ? ref.current.help
              : undefined
      if (!action) return
      event.preventDefault()
      action()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
}

/** Every keyboard shortcut of the app, in the reader's language. */
export function ShortcutsDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation()
  const rows: [string, string][] = [
    ['N', t('shortcuts.newComplaint')],
    ['/', t('shortcuts.search')],
    ['?', t('shortcuts.help')],
    [t('iceberg:grumble.shortcut'), t('iceberg:grumble.button')],
    ['Esc', t('shortcuts.closeDialog')],
    ['Tab', t('shortcuts.tab')],
  ]
  return (
    <Dialog title={t('shortcuts.title')} onClose={onClose}>
      <table className="shortcuts">
        <thead>
          <tr>
            <th scope="col">{t('shortcuts.key')}</th>
            <th scope="col">{t('shortcuts.action')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([key, action]) => (
            <tr key={key}>
              <td>
                <kbd>{key}</kbd>
              </td>
              <td>{action}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions">
        <button type="button" className="primary" onClick={onClose} autoFocus>
          {t('actions.close')}
        </button>
      </div>
    </Dialog>
  )
}
