import { join } from 'node:path'
import { BrowserWindow, Notification, app, dialog, ipcMain, session, shell, utilityProcess } from 'electron'
import { methods } from '../../shared/api'
import { toApiError } from '../../shared/core/errors'
import { BackendClient } from '../backend/client'
import { type Notice } from '../backend/protocol'
import { contentSecurityPolicy } from '../hosts/csp'
import { logger } from '../log/logger'
import { defaultDataDir } from '../paths'
import { rendererEntry } from './rendererEntry'
import { wireReportDownloads } from './reports'

let mainWindow: BrowserWindow | undefined

/** IPC host: one handler per contract method; calls from any other frame are refused. */
function registerIpc(backend: BackendClient): void {
  for (const method of methods) {
    ipcMain.handle(`makegood:${method}`, async (event, input: unknown) => {
      if (
        !mainWindow ||
        event.sender !== mainWindow.webContents ||
        event.senderFrame !== mainWindow.webContents.mainFrame
      ) {
        return { ok: false, error: { ...toApiError(new Error('Unknown sender')), code: 'unauthorized' } }
      }
      const result = await backend.call(method, input)
      // The backend wrote a copy named for a viewer; only this process may hand it to the system.
      if (method === 'attachments:open' && result.ok) await openInViewer((result.value as { path: string }).path)
      return result
    })
  }
}

/** The system's viewer for a photo or PDF; a failure (no program for the type) is logged. */
async function openInViewer(path: string): Promise<void> {
  const failure = await shell.openPath(path)
  if (failure) logger.warn('attachments.open_failed', failure)
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
  // The one exception: "Open in mail program" hands a mailto: link to the system's mail program.
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (/^mailto:/i.test(url))
      shell.openExternal(url).catch((error: unknown) => logger.error('mail.open_failed', error))
    return { action: 'deny' }
  })
  const entry = rendererEntry({ isPackaged: app.isPackaged, env: process.env, mainDir: __dirname })
  const loaded = entry.kind === 'url' ? window.loadURL(entry.url) : window.loadFile(entry.path)
  loaded.catch((error: unknown) => logger.error('window.load_failed', error))
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
  // The store, services and timers run in a utilityProcess: loading years of history and
  // writing checkpoints never stall the process that serves the window.
  const child = utilityProcess.fork(join(__dirname, 'backend.js'), [], { serviceName: 'MakeGood data' })
  const backend = new BackendClient(
    { send: (message) => child.postMessage(message), onMessage: (listener) => child.on('message', listener) },
    showNotices,
  )
  let isQuitting = false
  child.on('exit', () => {
    backend.exited()
    if (!isQuitting && mainWindow) {
      dialog.showErrorBox('MakeGood', 'The MakeGood data service stopped. Restart MakeGood; everything saved is kept.')
      app.quit()
    }
  })
  try {
    // MAKEGOOD_DB, as for the CLI: this desk works on the team database.
    await backend.start(defaultDataDir(), app.getLocale(), process.env.MAKEGOOD_DB || undefined)
  } catch (error) {
    // A locked, damaged or too-new data folder: say exactly what is wrong instead of a blank window.
    isQuitting = true
    dialog.showErrorBox('MakeGood', error instanceof Error ? error.message : String(error))
    child.kill()
    app.quit()
    return
  }
  registerIpc(backend)
  wireReportDownloads()
  mainWindow = createWindow()
  app.on('window-all-closed', () => {
    isQuitting = true
    // The backend writes a final checkpoint before it exits. Should it hang, every acknowledged
    // write is already in the journal, so stopping it after a while loses nothing.
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 15_000))
    void Promise.race([backend.close(), timeout]).then(() => {
      child.kill()
      app.quit()
    })
  })
}

/** Notices are decided and translated by the backend; only the main process can show them. */
function showNotices(notices: Notice[]): void {
  if (!Notification.isSupported()) return
  for (const { title, body } of notices) {
    const notification = new Notification({ title, body })
    notification.on('click', () => mainWindow?.show())
    notification.show()
  }
}
