// The desktop entry point: the only file outside src/main/electron that reaches Electron.
import { startDesktop } from './electron/main'
import { logger } from './log/logger'

startDesktop().catch((error: unknown) => {
  logger.error('desktop.start_failed', error)
  process.exit(1)
})
