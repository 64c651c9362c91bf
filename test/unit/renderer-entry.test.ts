import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { rendererEntry } from '../../src/main/electron/rendererEntry'

const mainDir = join('/opt', 'MakeGood', 'resources', 'app.asar', 'out', 'main')
const bundled = { kind: 'file', path: join(mainDir, '../renderer/index.html') }

describe('where the desktop window loads its page from', () => {
  it('an installed (packaged) app ignores ELECTRON_RENDERER_URL and loads its own file', () => {
    const env = { ELECTRON_RENDERER_URL: 'http://evil.example/' }
    expect(rendererEntry({ isPackaged: true, env, mainDir })).toEqual(bundled)
  })

  it('a development build uses the dev server when the variable is set, else the file', () => {
    const env = { ELECTRON_RENDERER_URL: 'http://localhost:5173/' }
    expect(rendererEntry({ isPackaged: false, env, mainDir })).toEqual({ kind: 'url', url: 'http://localhost:5173/' })
    expect(rendererEntry({ isPackaged: false, env: {}, mainDir })).toEqual(bundled)
    expect(rendererEntry({ isPackaged: false, env: { ELECTRON_RENDERER_URL: '' }, mainDir })).toEqual(bundled)
  })
})
