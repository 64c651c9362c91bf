import { spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { dispatch } from '../../src/main/services'
import { listSegments, segmentName } from '../../src/main/store/journal'
import { Store } from '../../src/main/store/store'
import { cliEnv } from '../helpers/cli-env'
import { engine, folderStore, openContext, tempDir } from '../helpers/temp'

const csv =
  '\uFEFFWhen,What,Ticket\r\n2026-11-20,Cold soup,T-1\r\n2026-11-21,"Long\r\nwait",T-2\r\nnever,Broken,T-3\r\n'
const mapping = { columns: { receivedAt: 'When', summary: 'What', externalId: 'Ticket' } }

/** A file with `rows` valid complaints, more than one old-style chunk of 2,000. */
function bigCsv(rows: number): string {
  const lines = ['Ticket,When,What,Who,Type']
  for (let i = 0; i < rows; i++) {
    const day = String((i % 28) + 1).padStart(2, '0')
    lines.push(`B-${i},2026-10-${day},Complaint number ${i} about the soup,Customer ${i % 500},Wait`)
  }
  return `${lines.join('\n')}\n`
}
const bigMapping = {
  columns: { externalId: 'Ticket', receivedAt: 'When', summary: 'What', customerName: 'Who', category: 'Type' },
  values: { category: { Wait: 'long-wait' } },
}

describe('imports:complaints', () => {
  it('refuses a file whose quoted cell is never closed, and writes nothing', async () => {
    const ctx = await openContext(await tempDir())
    const unclosed = 'When,What,Ticket\n2026-11-20,Cold soup,T-1\n2026-11-21,"Long wait,T-2\n2026-11-22,Broken,T-3\n'
    const answer = await dispatch(ctx, 'imports:complaints', { csv: unclosed, mapping, isSkipInvalid: true })
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', reason: 'import.unterminated_quote', params: { row: 3 } },
    })
    expect(ctx.store.count('cases')).toBe(0)
    await ctx.store.close()
  })

  it('checks without writing, refuses invalid rows, imports the valid ones once', async () => {
    const ctx = await openContext(await tempDir())
    const check = await dispatch(ctx, 'imports:complaints', { csv, mapping, isDryRun: true, isSkipInvalid: true })
    expect(check).toMatchObject({
      ok: true,
      value: { rows: 3, created: 2, duplicates: 0, invalid: 1, isDryRun: true },
    })
    // A stable reason with its parameters for translation, and the English message for scripts.
    expect(check.ok && check.value.errors).toEqual([
      {
        row: 4,
        column: 'When',
        field: 'receivedAt',
        reason: 'not_a_date',
        params: { value: 'never' },
        message: '"never" is not a date',
      },
    ])
    expect([...ctx.store.all('cases')]).toHaveLength(0)

    const refused = await dispatch(ctx, 'imports:complaints', { csv, mapping })
    expect(refused).toMatchObject({ ok: true, value: { created: 0, isDryRun: true } })
    expect([...ctx.store.all('cases')]).toHaveLength(0)

    const imported = await dispatch(ctx, 'imports:complaints', { csv, mapping, isSkipInvalid: true })
    expect(imported).toMatchObject({ ok: true, value: { created: 2, invalid: 1, isDryRun: false } })
    expect([...ctx.store.all('cases')].map((c) => c.summary).sort()).toEqual(['Cold soup', 'Long\r\nwait'])

    const again = await dispatch(ctx, 'imports:complaints', { csv, mapping, isSkipInvalid: true })
    expect(again).toMatchObject({ ok: true, value: { created: 0, duplicates: 2 } })
  })

  it('rejects a mapping without summary, and a column the file does not have', async () => {
    const ctx = await openContext(await tempDir())
    const noSummary = await dispatch(ctx, 'imports:complaints', { csv, mapping: { columns: { receivedAt: 'When' } } })
    expect(noSummary).toMatchObject({ ok: false, error: { code: 'invalid_input' } })
    const missing = await dispatch(ctx, 'imports:complaints', {
      csv,
      mapping: { columns: { receivedAt: 'When', summary: 'Subject' } },
    })
    expect(missing).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', reason: 'import.missing_column', params: { column: 'Subject' } },
    })
  })

  it('applies defaults and value maps as the mapping screen sends them', async () => {
    const ctx = await openContext(await tempDir())
    const file = 'When,What,Sev\n2026-11-20,Cold soup,Hoch\n2026-11-21,Slow,\n'
    const result = await dispatch(ctx, 'imports:complaints', {
      csv: file,
      mapping: {
        columns: { receivedAt: 'When', summary: 'What', severity: 'Sev' },
        defaults: { severity: 'near-miss', channel: 'grumble', category: 'long-wait' },
        values: { severity: { Hoch: 'major' } },
      },
    })
    expect(result).toMatchObject({ ok: true, value: { created: 2, invalid: 0 } })
    const cases = [...ctx.store.all('cases')].sort((a, b) => a.receivedAt.localeCompare(b.receivedAt))
    expect(cases.map((c) => [c.summary, c.severity, c.channel, c.category])).toEqual([
      ['Cold soup', 'major', 'grumble', 'long-wait'],
      ['Slow', 'near-miss', 'grumble', 'long-wait'],
    ])
  })
})

// The folder's journal, a full disk under it and a killed CLI writing it: on the team database an
// import is one transaction (a killed connection mid-write is in team-live.test.ts).
describe.runIf(engine === 'folder')('an import lands whole or not at all', () => {
  it('writes a 5,000-row import as one journal entry', async () => {
    const dir = await tempDir()
    const ctx = await openContext(dir)
    const journal = join(dir, 'journal')
    // Entries that write cases (the escalation sweep after an import writes its own entry).
    const lines = async () => {
      let count = 0
      for (const n of await listSegments(journal)) {
        const text = await readFile(join(journal, segmentName(n)), 'utf8')
        count += text.split('\n').filter((line) => line.includes('"collection":"cases"')).length
      }
      return count
    }
    const before = await lines()
    const result = await dispatch(ctx, 'imports:complaints', { csv: bigCsv(5000), mapping: bigMapping })
    expect(result).toMatchObject({ ok: true, value: { created: 5000, invalid: 0 } })
    expect((await lines()) - before).toBe(1)
    expect(ctx.store.count('cases')).toBe(5000)
    expect(ctx.store.count('customers')).toBe(500)
  })

  it('on a full disk fails with a typed error and leaves memory and disk exactly as they were', async () => {
    const dir = await tempDir()
    const ctx = await openContext(dir)
    await dispatch(ctx, 'imports:complaints', { csv, mapping, isSkipInvalid: true })
    const before = JSON.stringify(ctx.store.dataSet())
    // The next journal segment is /dev/full: every write to it fails with a real ENOSPC.
    const journal = join(dir, 'journal')
    const last = (await listSegments(journal)).at(-1)!
    await symlink('/dev/full', join(journal, segmentName(last + 1)))
    await folderStore(ctx.store).checkpoint()

    const failed = await dispatch(ctx, 'imports:complaints', { csv: bigCsv(5000), mapping: bigMapping })
    expect(failed).toMatchObject({ ok: false, error: { code: 'storage', reason: 'store.disk_full' } })
    expect(JSON.stringify(ctx.store.dataSet())).toBe(before)
    await ctx.store.close()
    const reopened = await Store.open(dir, { isReadOnly: true })
    expect(JSON.stringify(reopened.dataSet())).toBe(before)
    expect(reopened.count('cases')).toBe(2)
    await reopened.close()
  })

  it('killed mid-import by SIGKILL, the folder holds none of the file or all of it (both seen)', async () => {
    const files = await tempDir()
    const file = join(files, 'big.csv')
    const mapFile = join(files, 'map.json')
    const rows = 20_000
    await writeFile(file, bigCsv(rows))
    await writeFile(mapFile, JSON.stringify(bigMapping))
    // The CLI itself (not bin/makegood.cjs, whose child would outlive a SIGKILL of the wrapper).
    const cli = join(__dirname, '..', '..', 'src', 'main', 'cli', 'main.ts')
    // Kill points come from what the process shows, not from fixed delays (which a slow or fast
    // machine shifts): "opened" = the data folder got its first file (the store is open, the rows
    // are being read, nothing is committed); "done" = the summary line, printed after the commit;
    // "between" = a share of the time measured from opened to done, to land inside the commit.
    const plan = ['done', 'opened', 'between:0.5', 'between:0.9', 'between:0.75', 'between:0.97'] as const
    const outcomes: string[] = []
    const seen = new Set<'nothing written' | 'all written'>()
    let openedToDoneMs: number | undefined
    for (let round = 0; round < 12 && (round < 4 || seen.size < 2); round++) {
      const point = plan[round % plan.length] ?? 'done'
      const dir = await tempDir()
      const started = performance.now()
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', cli, '--data', dir, 'import', 'complaints', file, '--map', mapFile],
        { stdio: ['ignore', 'pipe', 'ignore'], env: cliEnv() },
      )
      let openedAt: number | undefined
      let timer: NodeJS.Timeout | undefined
      const watch = setInterval(() => {
        if (openedAt !== undefined || readdirSync(dir).length === 0) return
        openedAt = performance.now()
        if (point === 'opened') child.kill('SIGKILL')
        else if (point.startsWith('between:') && openedToDoneMs !== undefined) {
          timer = setTimeout(() => child.kill('SIGKILL'), openedToDoneMs * Number(point.slice(8)))
        }
      }, 2)
      let stdout = ''
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString()
        if (!stdout.includes('\n')) return
        if (openedAt !== undefined) openedToDoneMs = performance.now() - openedAt
        if (point === 'done') child.kill('SIGKILL')
      })
      const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, s) => resolve(s)))
      clearInterval(watch)
      clearTimeout(timer)
      const store = await Store.open(dir)
      const count = store.count('cases')
      expect([0, rows]).toContain(count)
      // A kill inside the journal append leaves a torn last line: dropped (it was never
      // acknowledged) and said as a problem. Nothing else may be wrong with the folder.
      for (const problem of store.problems)
        expect(problem.message).toMatch(/last line \(\d+ bytes\) was cut off and dropped/)
      await store.close()
      // A half-written journal line was dropped and cut off: the folder opens clean again.
      const again = await Store.open(dir, { isReadOnly: true })
      expect(again.count('cases')).toBe(count)
      await again.close()
      await rm(dir, { recursive: true, force: true })
      const outcome = count === 0 ? 'nothing written' : 'all written'
      // Only a kill that landed counts: a process that finished first proves nothing about a crash.
      if (signal === 'SIGKILL') seen.add(outcome)
      outcomes.push(
        `${point} → ${signal === 'SIGKILL' ? 'killed' : 'finished'}, ${outcome} (${Math.round(performance.now() - started)} ms)`,
      )
    }
    process.stderr.write(`import crash outcomes:\n  ${outcomes.join('\n  ')}\n`)
    expect([...seen].sort()).toEqual(['all written', 'nothing written'])
  }, 240_000)
})
