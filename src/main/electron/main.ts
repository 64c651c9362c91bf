import { join } from 'node:path'
import { BrowserWindow, Notification, app, dialog, ipcMain, session } from 'electron'
import { methods } from '../../shared/api'
import { type SweepChange, noticesFor } from '../../shared/escalation'
import { escalationTitle } from '../../shared/escalationText'
import { createI18n, resolveLocale } from '../../shared/i18n/i18n'
import { toApiError } from '../../shared/errors'
import { contentSecurityPolicy } from '../hosts/http'
import { defaultDataDir } from '../paths'
import { dispatch } from '../services'
import { warmCaseSearch } from '../services/cases'
import { scheduleDailyBackups } from '../services/backups'
import { type ServiceContext } from '../services/context'
import { sweepEscalations } from '../services/escalations'
import { Store } from '../store/store'
import { startPromiseNotifications } from './notifications'
import { scheduleMonthlyExport, wireReportDownloads } from './reports'

let mainWindow: BrowserWindow | undefined

/** IPC host: one handler per contract method; calls from any other frame are refused. */
function registerIpc(ctx: ServiceContext): void {
  for (const method of methods) {
    ipcMain.handle(`makegood:${method}`, async (event, input: unknown) => {
      if (
        !mainWindow ||
        event.sender !== mainWindow.webContents ||
        event.senderFrame !== mainWindow.webContents.mainFrame
      ) {
        return { ok: false, error: { ...toApiError(new Error('Unknown sender')), code: 'unauthorized' } }
      }
      return dispatch(ctx, method, input)
    })
  }
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 860,
    show: false,
    title: 'MakeGood',
    webPreferences: {
      preload: join(__dirname, '../preload/index.js'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      // A middle-click must not open a link in a new window (Electronegativity AUXCLICK_JS_CHECK).
      disableBlinkFeatures: 'Auxclick',
    },
  })
  window.once('ready-to-show', () => window.show())
  // No navigation away from the app and no new windows: MakeGood shows no remote content.
  window.webContents.on('will-navigate', (event) => event.preventDefault())
  window.webContents.setWindowOpenHandler(() => ({ action: 'deny' }))
  if (process.env.ELECTRON_RENDERER_URL) void window.loadURL(process.env.ELECTRON_RENDERER_URL)
  else void window.loadFile(join(__dirname, '../renderer/index.html'))
  return window
}

export async function startDesktop(): Promise<void> {
  app.setName('MakeGood')
  // One writer per data folder: a second launch focuses the first window instead.
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return
  }
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore()
    mainWindow?.focus()
  })
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault())
  })
  await app.whenReady()
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy] } })
  })
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  let store: Store
  try {
    store = await Store.open(process.env.MAKEGOOD_DATA ?? defaultDataDir(), { isLazy: true })
  } catch (error) {
    // A locked, damaged or too-new data folder: say exactly what is wrong instead of a blank window.
    dialog.showErrorBox('MakeGood', error instanceof Error ? error.message : String(error))
    app.quit()
    return
  }
  const ctx: ServiceContext = { store, now: () => new Date(), onSweep: (changes) => void notify(store, changes) }
  registerIpc(ctx)
  // The first search should be as quick as the next: prepare its text once history has loaded.
  void store.whenFullyLoaded().then(() => warmCaseSearch(ctx))
  wireReportDownloads()
  // A failed automatic backup must not stop the app; Settings shows the latest backup's date.
  scheduleDailyBackups(ctx, () => undefined)
  mainWindow = createWindow()
  const stopNotifications = startPromiseNotifications(ctx, app.getLocale())
  const stopMonthlyExport = scheduleMonthlyExport(ctx)
  // Patterns are looked for at start, after every change that matters (dispatch), and every
  // 15 minutes, since time alone moves windows and quiet periods on.
  await sweepEscalations(ctx).catch(() => undefined)
  const timer = setInterval(() => void sweepEscalations(ctx).catch(() => undefined), 15 * 60 * 1000)
  app.on('window-all-closed', () => {
    stopNotifications()
    stopMonthlyExport()
    clearInterval(timer)
    void store.close().then(() => app.quit())
  })
}

/** A desktop notification for each escalation raised or come back; which ones is decided in src/shared. */
async function notify(store: Store, changes: SweepChange[]): Promise<void> {
  const notices = noticesFor(changes)
  if (notices.length === 0 || !Notification.isSupported()) return
  const language = store.settings.language
  const i18n = await createI18n(language === 'auto' ? resolveLocale(app.getLocale()) : language)
  const t = i18n.t.bind(i18n)
  for (const notice of notices) {
    if (notice.kind === 'many') {
      show(t('escalations:notification.many', { count: notice.count }), '')
      continue
    }
    const escalation = changes.find((c) => c.escalation.id === notice.escalationId)?.escalation
    if (!escalation) continue
    const customerName = escalation.subject.customerId
      ? store.get('customers', escalation.subject.customerId)?.name
      : undefined
    const caseNumber = escalation.subject.caseId ? store.get('cases', escalation.subject.caseId)?.number : undefined
    const body = escalationTitle(t, escalation, {
      category: (id) =>
        store.settings.categories.find((c) => c.id === id)?.label ?? t(`cases:category.${id}`, { defaultValue: id }),
      ...(customerName ? { customerName } : {}),
      ...(caseNumber ? { caseNumber } : {}),
    })
    show(t(`escalations:notification.${notice.kind}`), body)
  }
}

function show(title: string, body: string): void {
  const notification = new Notification({ title, body })
  notification.on('click', () => mainWindow?.show())
  notification.show()
}
