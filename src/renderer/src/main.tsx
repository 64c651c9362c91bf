import { QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { I18nextProvider, initReactI18next } from 'react-i18next'
import { createI18n, resolveLocale } from '../../shared/core/i18n/i18n'
import { App } from './App'
import { api } from './api'
import { createQueryClient } from './query'
// The order is the cascade: the case and escalation sheets override base rules of equal weight
// (`.case-row` over `.row-link`, `.escalation` over `.card`), so they come after styles.css. The
// sheets imported by components (promises, iceberg, imports) are bundled before it.
import './styles.css'
import './cases/cases.css'
import './escalations/escalations.css'
import './live/live.css'
import { logFailure } from './logFailure'

async function start(): Promise<void> {
  // Without settings the app still starts, in the browser's language; the reason is not lost.
  const settings = await api('settings:get', {}).catch((caught: unknown) => {
    logFailure('settings could not be read; starting in the browser language', caught)
    return undefined
  })
  const language = settings?.language
  const locale = language && language !== 'auto' ? language : resolveLocale(navigator.language)
  const i18n = await createI18n(locale)
  await i18n.use(initReactI18next).init()
  document.documentElement.lang = locale
  const root = document.getElementById('root')
  if (!root) throw new Error('index.html has no #root')
  // The one cache of answers for the whole UI (query.ts).
  const queryClient = createQueryClient()
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <I18nextProvider i18n={i18n}>
          <App />
        </I18nextProvider>
      </QueryClientProvider>
    </StrictMode>,
  )
}

void start()
