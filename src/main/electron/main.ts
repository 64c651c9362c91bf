import { join } from 'node:path'
import { BrowserWindow, app, dialog, ipcMain, session } from 'electron'
import { methods } from '../../shared/api'
import { toApiError } from '../../shared/errors'
import { contentSecurityPolicy } from '../hosts/http'
import { defaultDataDir } from '../paths'
import { dispatch } from '../services'
import { type ServiceContext } from '../services/context'
import { Store } from '../store/store'
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
    store = await Store.open(process.env.MAKEGOOD_DATA ?? defaultDataDir())
  } catch (error) {
    // A locked, damaged or too-new data folder: say exactly what is wrong instead of a blank window.
    dialog.showErrorBox('MakeGood', error instanceof Error ? error.message : String(error))
    app.quit()
    return
  }
  const ctx: ServiceContext = { store, now: () => new Date() }
  registerIpc(ctx)
  wireReportDownloads()
  mainWindow = createWindow()
  const stopMonthlyExport = scheduleMonthlyExport(ctx)
  app.on('window-all-closed', () => {
    stopMonthlyExport()
    void store.close().then(() => app.quit())
  })
}
