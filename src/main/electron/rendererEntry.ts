import { join } from 'node:path'

export type RendererEntry = { kind: 'url'; url: string } | { kind: 'file'; path: string }

/**
 * Where the window's page comes from. `ELECTRON_RENDERER_URL` (electron-vite's dev server) is
 * honoured only in an unpackaged build: in the installed app an environment variable must not
 * be able to point the window, and with it the contract's preload, at another page.
 */
export function rendererEntry(options: {
  isPackaged: boolean
  env: Record<string, string | undefined>
  mainDir: string
}): RendererEntry {
  const url = options.env.ELECTRON_RENDERER_URL
  if (!options.isPackaged && url) return { kind: 'url', url }
  return { kind: 'file', path: join(options.mainDir, '../renderer/index.html') }
}
