import { join } from 'node:path'
import {
  BrowserWindow,
  Notification,
  app,
  dialog,
  ipcMain,
  safeStorage,
  session,
  shell,
  utilityProcess,
} from 'electron'
import { type Method, methods } from '../../shared/api'
import { type Result, toApiError } from '../../shared/core/errors'
import { ConnectInput, type Memory, type TeamDatabaseStatus } from '../../shared/teamDatabase/contract'
import { BackendClient } from '../backend/client'
import { type Notice } from '../backend/protocol'
import { contentSecurityPolicy } from '../hosts/csp'
import { logger } from '../log/logger'
import { defaultDataDir } from '../paths'
import {
  type Cipher,
  forgetDatabase,
  recallDatabase,
  rememberDatabase,
  rememberedFileName,
  setAsideDatabase,
} from '../teamDatabase/remembered'
import { withPassword } from '../teamDatabase/url'
import { rendererEntry } from './rendererEntry'
import { wireReportDownloads } from './reports'

let mainWindow: BrowserWindow | undefined

/** Where Settings → Team database keeps the connection for the next start (the password encrypted). */
const rememberedFile = () => join(app.getPath('userData'), rememberedFileName)

/**
 * The system's encryption for the password. On Linux without a secret store (no GNOME Keyring or
 * KWallet) safeStorage falls back to `basic_text`, a key hard-coded in Chromium: that protects
 * nothing, so it counts as no encryption and the password is kept for this session only.
 */
const systemCipher: Cipher = {
  isEncryptionAvailable: () =>
    safeStorage.isEncryptionAvailable() &&
    !(process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text'),
  encryptString: (plain) => safeStorage.encryptString(plain),
  decryptString: (encrypted) => safeStorage.decryptString(encrypted),
}

/**
 * What became of the last Connect made in Settings: only this process has safeStorage, so it
 * keeps the password and tells the window whether it will be remembered. Unset: the backend's own answer.
 */
let memory: Memory | undefined

/**
 * Settings → Team database, seen from here: after a successful Connect the password is kept,
 * encrypted by the system; after "Use this desk's data folder" it is forgotten.
 */
async function keepConnection(method: Method, input: unknown, result: Result<unknown>): Promise<Result<unknown>> {
  if (!result.ok) return result
  if (method === 'teamDatabase:disconnect') {
    memory = undefined
    await forgetDatabase(rememberedFile()).catch((error: unknown) => logger.error('team_database.forget_failed', error))
    return result
  }
  const status = result.value as TeamDatabaseStatus
  if (method === 'teamDatabase:connect') {
    const connection = ConnectInput.parse(input)
    try {
      memory = await rememberDatabase(rememberedFile(), connection, systemCipher)
    } catch (error) {
      logger.error('team_database.remember_failed', error)
      memory = 'not_saved'
    }
  }
  if (status.engine !== 'team' || memory === undefined) return result
  return { ok: true, value: { ...status, memory } }
}

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
      const result = await keepConnection(method, input, await backend.call(method, input))
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
  // MAKEGOOD_DB wins, as for the CLI; else the team database Settings connected to last time.
  let db: { url: string; source: 'environment' | 'remembered' } | undefined
  if (process.env.MAKEGOOD_DB) db = { url: process.env.MAKEGOOD_DB, source: 'environment' }
  else {
    const recalled = await recallDatabase(rememberedFile(), systemCipher)
    if (recalled.kind === 'found') db = { url: withPassword(recalled.url, recalled.password), source: 'remembered' }
    if (recalled.kind === 'unusable') {
      // Said, not skipped: the desk opens its data folder and the person connects again in Settings.
      logger.error('team_database.remembered_unusable', recalled.message)
      const aside = await setAsideDatabase(rememberedFile()).catch((error: unknown) => {
        logger.error('team_database.set_aside_failed', error)
        return undefined
      })
      dialog.showErrorBox(
        'MakeGood',
        `${recalled.message}${aside ? ` (kept as ${aside})` : ''}\n\nMakeGood opens this desk's data folder. Connect again in Settings → Team database.`,
      )
    }
  }
  let launched: Awaited<ReturnType<typeof launchBackend>>
  try {
    launched = await launchBackend(db)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    // A remembered database that cannot be opened must not lock the person out of the app.
    const choice =
      db?.source === 'remembered'
        ? dialog.showMessageBoxSync({
            type: 'error',
            title: 'MakeGood',
            message,
            buttons: ["Open this desk's data folder", 'Quit'],
            defaultId: 0,
            cancelId: 1,
          })
        : 1
    if (choice !== 0) {
      // A locked, damaged or too-new data folder: say exactly what is wrong instead of a blank window.
      if (db?.source !== 'remembered') dialog.showErrorBox('MakeGood', message)
      app.quit()
      return
    }
    try {
      launched = await launchBackend(undefined)
    } catch (again) {
      dialog.showErrorBox('MakeGood', again instanceof Error ? again.message : String(again))
      app.quit()
      return
    }
  }
  const { backend, child } = launched
  let isQuitting = false
  child.on('exit', () => {
    if (!isQuitting && mainWindow) {
      dialog.showErrorBox('MakeGood', 'The MakeGood data service stopped. Restart MakeGood; everything saved is kept.')
      app.quit()
    }
  })
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

/**
 * The store, services and timers run in a utilityProcess: loading years of history and writing
 * checkpoints never stall the process that serves the window. A backend that cannot open its
 * store is stopped and the reason thrown.
 */
async function launchBackend(db: { url: string; source: 'environment' | 'remembered' } | undefined) {
  const child = utilityProcess.fork(join(__dirname, 'backend.js'), [], { serviceName: 'MakeGood data' })
  const backend = new BackendClient(
    { send: (message) => child.postMessage(message), onMessage: (listener) => child.on('message', listener) },
    showNotices,
  )
  child.on('exit', () => backend.exited())
  try {
    await backend.start(defaultDataDir(), app.getLocale(), db)
  } catch (error) {
    child.kill()
    throw error
  }
  return { backend, child }
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
