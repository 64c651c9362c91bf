import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { cliTestTimeout } from '../helpers/cli-env'

const run = promisify(execFile)
const root = join(__dirname, '..', '..')

/** The libraries only an export or the holiday calendar needs: loaded when first used. */
const loadedWhenFirstUsed = ['pdfkit', 'fontkit', 'exceljs', 'jszip', 'ics', 'date-holidays']

/** The packages a fresh process has loaded once it has required the services and the store. */
const packagesAtStartUp = `
  require('./src/main/services')
  require('./src/main/store/store')
  const names = Object.keys(require.cache).flatMap((path) => {
    const found = /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(path)
    return found ? [found[1]] : []
  })
  process.stdout.write(JSON.stringify([...new Set(names)]))
`

describe('start-up', () => {
  it(
    'loads the services and the store without the libraries only an export needs',
    async () => {
      const { stdout } = await run(process.execPath, ['--import', 'tsx', '-e', packagesAtStartUp], { cwd: root })
      const loaded = JSON.parse(stdout) as string[]
      // The packages the services do need at start-up are seen, so the list is a real one.
      expect(loaded).toEqual(expect.arrayContaining(['zod', 'lowdb', 'i18next']))
      expect(loaded.filter((name) => loadedWhenFirstUsed.includes(name))).toEqual([])
    },
    cliTestTimeout,
  )
})
