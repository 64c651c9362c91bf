import { useEffect, useState } from 'react'

export type Route =
  | { screen: 'today' }
  | { screen: 'cases' }
  | { screen: 'case'; id: string }
  | { screen: 'customers' }
  | { screen: 'customer'; id: string }
  | { screen: 'settings' }
  | { screen: 'reports' }

/** Hash routes (`#/cases/ID`) work the same from a file, a dev server and browser mode. */
export function parseRoute(hash: string): Route {
  const [screen, id] = hash.replace(/^#\/?/, '').split('/')
  if (screen === 'cases' && id) return { screen: 'case', id: decodeURIComponent(id) }
  if (screen === 'cases') return { screen: 'cases' }
  if (screen === 'customers' && id) return { screen: 'customer', id: decodeURIComponent(id) }
  if (screen === 'customers') return { screen: 'customers' }
  if (screen === 'settings') return { screen: 'settings' }
  if (screen === 'reports') return { screen: 'reports' }
  return { screen: 'today' }
}

export const href = {
  today: '#/today',
  cases: '#/cases',
  case: (id: string) => `#/cases/${encodeURIComponent(id)}`,
  customers: '#/customers',
  customer: (id: string) => `#/customers/${encodeURIComponent(id)}`,
  settings: '#/settings',
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
