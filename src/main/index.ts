// The desktop entry point: the only file outside src/main/electron that reaches Electron.
import { startDesktop } from './electron/main'

void startDesktop()
