import { rmSync } from 'node:fs'
import { basename, join } from 'node:path'
import { buildSync } from 'esbuild'

/**
 * Bundles a bench script into one CommonJS file and answers its path. The measured processes run
 * that bundle, as the desktop app's backend is shipped, not through tsx: tsx's compiler and every
 * module's source map would otherwise sit in the process (~35 MB of resident memory at any size).
 * The source map is written beside the bundle, for a CPU profile to read after memory is
 * measured. The bundle lives inside the project so its packages resolve from node_modules, as the
 * app's do; it is removed when the bench that built it ends, or is stopped.
 */
export function bundleForBench(entry: string): string {
  const dir = join(__dirname, '..', 'node_modules', '.cache', 'makegood-bench', String(process.pid))
  const outfile = join(dir, basename(entry).replace(/\.ts$/, '.cjs'))
  buildSync({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'external',
    packages: 'external',
    logLevel: 'warning',
  })
  const remove = () => rmSync(dir, { recursive: true, force: true })
  process.on('exit', remove)
  // Stopped with Ctrl-C or a kill: 'exit' alone would not run.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      remove()
      process.exit(130)
    })
  return outfile
}
