import { join } from 'node:path'
import { Notification, app, session } from 'electron'
import { type ServiceContext } from '../services/context'
import { autoExportIfDue, reportLocale, translatorFor } from '../services/reports'

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

const hourMs = 3_600_000

/**
 * The optional monthly export: checked at start and every hour, so a machine that is on at
 * midnight on the 1st, or started later, writes last month's report once, then tells the user where.
 */
export function scheduleMonthlyExport(ctx: ServiceContext): () => void {
  let isRunning = false
  const check = async () => {
    if (isRunning) return
    isRunning = true
    try {
      const result = await autoExportIfDue(ctx)
      if (!result) return
      const t = await translatorFor(reportLocale(ctx))
      const path =
        result.paths.length === 1 ? (result.paths[0] as string) : ctx.store.settings.reports.autoExport.folder
      if (Notification.isSupported()) {
        new Notification({
          title: t('report:screen.notification.title'),
          body: t('report:screen.notification.body', { month: result.month, path }),
        }).show()
      }
    } catch (error) {
      // A missing or read-only folder must not stop the app; the user hears why, and it retries next hour.
      if (Notification.isSupported()) {
        new Notification({ title: 'MakeGood', body: error instanceof Error ? error.message : String(error) }).show()
      }
    } finally {
      isRunning = false
    }
  }
  void check()
  const timer = setInterval(() => void check(), hourMs)
  return () => clearInterval(timer)
}
