import { join } from 'node:path'
import { app, session } from 'electron'

/**
 * Report exports in the desktop app. The Reports screen hands the file to the page as a
 * download (the same code as browser mode); here Electron turns every download into a native
 * save dialog, starting in the Documents folder.
 */
export function wireReportDownloads(): void {
  session.defaultSession.on('will-download', (_event, item) => {
    item.setSaveDialogOptions({
      defaultPath: join(app.getPath('documents'), item.getFilename()),
    })
  })
}
