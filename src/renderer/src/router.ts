import { useEffect, useState } from 'react'

export type Route =
  | { screen: 'today' }
  | { screen: 'cases' }
  | { screen: 'case'; id: string }
  | { screen: 'casePrint'; id: string }
  | { screen: 'customers' }
  | { screen: 'customer'; id: string }
  | { screen: 'settings'; section?: string }
  | { screen: 'iceberg' }
  | { screen: 'grumbles' }
  | { screen: 'signals' }
  | { screen: 'signal'; id: string }
  | { screen: 'promises' }
  | { screen: 'escalations' }
  | { screen: 'departments' }
  | { screen: 'reports' }

/** Hash routes (`#/cases/ID`) work the same from a file, a dev server and browser mode. */
export function parseRoute(hash: string): Route {
  const [screen, id, part] = hash.replace(/^#\/?/, '').split('/')
  if (screen === 'cases' && id && part === 'print') return { screen: 'casePrint', id: decodeURIComponent(id) }
  if (screen === 'cases' && id) return { screen: 'case', id: decodeURIComponent(id) }
  if (screen === 'cases') return { screen: 'cases' }
  if (screen === 'customers' && id) return { screen: 'customer', id: decodeURIComponent(id) }
  if (screen === 'customers') return { screen: 'customers' }
  if (screen === 'settings')
    return id ? { screen: 'settings', section: decodeURIComponent(id) } : { screen: 'settings' }
  if (screen === 'iceberg') return { screen: 'iceberg' }
  if (screen === 'grumbles') return { screen: 'grumbles' }
  if (screen === 'signals' && id) return { screen: 'signal', id: decodeURIComponent(id) }
  if (screen === 'signals') return { screen: 'signals' }
  if (screen === 'promises') return { screen: 'promises' }
  if (screen === 'escalations') return { screen: 'escalations' }
  if (screen === 'departments') return { screen: 'departments' }
  if (screen === 'reports') return { screen: 'reports' }
  return { screen: 'today' }
}

export const href = {
  today: '#/today',
  cases: '#/cases',
  case: (id: string) => `#/cases/${encodeURIComponent(id)}`,
  casePrint: (id: string) => `#/cases/${encodeURIComponent(id)}/print`,
  customers: '#/customers',
  customer: (id: string) => `#/customers/${encodeURIComponent(id)}`,
  settings: '#/settings',
  backups: '#/settings/backups',
  iceberg: '#/iceberg',
  grumbles: '#/grumbles',
  signals: '#/signals',
  signal: (id: string) => `#/signals/${encodeURIComponent(id)}`,
  promises: '#/promises',
  escalations: '#/escalations',
  departments: '#/departments',
  reports: '#/reports',
}

export function navigate(to: string): void {
  window.location.hash = to
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash))
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash))
    window.addEventListener('hashchange', onChange)
    return () => window.removeEventListener('hashchange', onChange)
  }, [])
  return route
}
