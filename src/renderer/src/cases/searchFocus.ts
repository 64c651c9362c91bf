/** The Cases screen's search box, which the "/" shortcut focuses from anywhere. */
export const caseSearchId = 'case-search'

let isFocusPending = false

/** Focuses the case search box now if it is on screen; else remembers to when the Cases screen opens. */
export function focusCaseSearch(): boolean {
  const box = document.getElementById(caseSearchId)
  if (box) {
    box.focus()
    return true
  }
  isFocusPending = true
  return false
}

/** True once after `focusCaseSearch` asked for a box that was not there yet. */
export function takePendingSearchFocus(): boolean {
  const wasPending = isFocusPending
  isFocusPending = false
  return wasPending
}
