import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { loadLocaleResources, resolveLocale } from '../../shared/core/i18n/i18n'
import { NewComplaintDialog } from './cases/NewComplaintDialog'
import { focusCaseSearch } from './cases/searchFocus'
import { ShortcutsDialog, useAppShortcuts } from './components/Shortcuts'
import { UndoProvider } from './components/UndoNotice'
import { href, navigate, useRoute } from './router'
import { CaseView } from './cases/CaseView'
import { CasesView } from './cases/CasesView'
import { CustomerView } from './customers/CustomerView'
import { CustomersView } from './customers/CustomersView'
import { DepartmentsView } from './escalations/DepartmentsView'
import { EscalationsView } from './escalations/EscalationsView'
import { useApi } from './hooks'
import { StorageProblemsBanner } from './storage/StorageProblemsBanner'
import { ReportsView } from './reports/ReportsView'
import { SettingsView } from './settings/SettingsView'
import { TodayView } from './today/TodayView'
import { GrumblesView } from './iceberg/GrumblesView'
import { IcebergView } from './iceberg/IcebergView'
import { LogGrumbleDialog } from './iceberg/LogGrumbleDialog'
import { SignalView } from './iceberg/SignalView'
import { SignalsView } from './iceberg/SignalsView'
import { useGrumbleShortcut } from './iceberg/useGrumbleShortcut'
import { BackgroundAlertsBanner } from './components/BackgroundAlertsBanner'
import { PromisesView } from './promises/PromisesView'
import { useSession } from './team/useSession'
import { CasePrintView } from './print/CasePrintView'
import { ConflictNotice, ConnectionBanner, LiveProvider } from './live/live'

export function App() {
  const { t, i18n } = useTranslation()
  const route = useRoute()
  // Every screen gets the settings from here; a call that saves them updates this query in place.
  const settings = useApi('settings:get', {}).data
  const session = useSession()
  const [isNewOpen, setIsNewOpen] = useState(false)
  const [isGrumbleOpen, setIsGrumbleOpen] = useState(false)
  const [isShortcutsOpen, setIsShortcutsOpen] = useState(false)
  useGrumbleShortcut(() => setIsGrumbleOpen(true))
  useAppShortcuts({
    newComplaint: () => setIsNewOpen(true),
    search: () => {
      if (!focusCaseSearch()) navigate(href.cases)
    },
    help: () => setIsShortcutsOpen(true),
  })

  useEffect(() => {
    if (!settings) return
    const locale = settings.language === 'auto' ? resolveLocale(navigator.language) : settings.language
    if (i18n.language !== locale) {
      void (async () => {
        const resources = await loadLocaleResources(locale)
        for (const [ns, bundle] of Object.entries(resources)) i18n.addResourceBundle(locale, ns, bundle, true, true)
        await i18n.changeLanguage(locale)
        document.documentElement.lang = locale
      })()
    }
  }, [settings, i18n])

  const counts = useApi('escalations:counts', {})
  const nav: { to: string; label: string; isActive: boolean; badge?: number }[] = [
    { to: href.today, label: t('nav.today'), isActive: route.screen === 'today' },
    { to: href.cases, label: t('nav.cases'), isActive: ['cases', 'case', 'casePrint'].includes(route.screen) },
    { to: href.promises, label: t('promises:nav'), isActive: route.screen === 'promises' },
    {
      to: href.customers,
      label: t('nav.customers'),
      isActive: route.screen === 'customers' || route.screen === 'customer',
    },
    {
      to: href.iceberg,
      label: t('iceberg:nav.iceberg'),
      isActive: ['iceberg', 'grumbles', 'signals', 'signal'].includes(route.screen),
    },
    {
      to: href.escalations,
      label: t('escalations:nav.escalations'),
      isActive: route.screen === 'escalations',
      badge: counts.data?.unacknowledged,
    },
    { to: href.departments, label: t('escalations:nav.departments'), isActive: route.screen === 'departments' },
    { to: href.reports, label: t('report:screen.nav'), isActive: route.screen === 'reports' },
    { to: href.settings, label: t('nav.settings'), isActive: route.screen === 'settings' },
  ]

  return (
    <LiveProvider>
      <UndoProvider>
        <div className="app" data-app-state={settings ? 'loaded' : 'loading'}>
          <header className="app-header">
            <span className="brand">{t('app.name')}</span>
            <span className="who">
              {session?.isTeam && session.role
                ? t('team:session.workingAs', { name: session.name, role: t(`team:role.${session.role}`) })
                : settings?.currentUser
                  ? t('app.signedAs', { name: settings.currentUser })
                  : ''}
            </span>
            <span className="grumble-button">
              <button type="button" aria-keyshortcuts="Alt+G" onClick={() => setIsGrumbleOpen(true)}>
                {t('iceberg:grumble.button')}
              </button>
              <kbd title={t('iceberg:grumble.shortcutHint')}>{t('iceberg:grumble.shortcut')}</kbd>
            </span>
            <button type="button" className="primary" aria-keyshortcuts="N" onClick={() => setIsNewOpen(true)}>
              {t('cases:new.button')}
            </button>
            {/* Its own full-width row: nine sections never wrap mid-header, in any language. */}
            <nav aria-label={t('nav.label')}>
              <ul>
                {nav.map((item) => (
                  <li key={item.to}>
                    <a href={item.to} aria-current={item.isActive ? 'page' : undefined}>
                      {item.label}
                      {item.badge ? (
                        // Its own label, so the link's name reads "Escalations 3 unacknowledged".
                        <span className="nav-badge" aria-label={t('escalations:nav.badge', { count: item.badge })}>
                          {item.badge}
                        </span>
                      ) : null}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          </header>
          <ConnectionBanner />
          <ConflictNotice />
          {route.screen === 'settings' ? null : <StorageProblemsBanner />}
          <BackgroundAlertsBanner />
          <main>
            {!settings ? (
              <p>{t('app.loading')}</p>
            ) : route.screen === 'today' ? (
              <TodayView settings={settings} />
            ) : route.screen === 'cases' ? (
              <CasesView settings={settings} />
            ) : route.screen === 'case' ? (
              <CaseView id={route.id} settings={settings} />
            ) : route.screen === 'casePrint' ? (
              <CasePrintView id={route.id} settings={settings} />
            ) : route.screen === 'customers' ? (
              <CustomersView />
            ) : route.screen === 'promises' ? (
              <PromisesView settings={settings} />
            ) : route.screen === 'customer' ? (
              <CustomerView id={route.id} settings={settings} />
            ) : route.screen === 'iceberg' ? (
              <IcebergView settings={settings} />
            ) : route.screen === 'grumbles' ? (
              <GrumblesView settings={settings} />
            ) : route.screen === 'signals' ? (
              <SignalsView settings={settings} />
            ) : route.screen === 'signal' ? (
              <SignalView id={route.id} />
            ) : route.screen === 'escalations' ? (
              <EscalationsView settings={settings} />
            ) : route.screen === 'departments' ? (
              <DepartmentsView settings={settings} />
            ) : route.screen === 'reports' ? (
              <ReportsView settings={settings} />
            ) : (
              <SettingsView settings={settings} section={route.screen === 'settings' ? route.section : undefined} />
            )}
          </main>
          {isNewOpen && settings ? (
            <NewComplaintDialog
              settings={settings}
              onClose={() => setIsNewOpen(false)}
              onCreated={(id) => {
                setIsNewOpen(false)
                navigate(href.case(id))
              }}
            />
          ) : null}
          {isShortcutsOpen ? <ShortcutsDialog onClose={() => setIsShortcutsOpen(false)} /> : null}
          {isGrumbleOpen && settings ? (
            <LogGrumbleDialog
              settings={settings}
              onClose={() => setIsGrumbleOpen(false)}
              onLogged={() => setIsGrumbleOpen(false)}
            />
          ) : null}
        </div>
      </UndoProvider>
    </LiveProvider>
  )
}
