import { appendFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type ColdList, hashOfId, sortedRecordLines } from '../coldMonths'
import { isProcessAlive } from '../lock'

/** A desk's folder is named after its process, so the next desk can tell one left by a desk that is gone. */
const folderPrefix = 'makegood-team-months-'
/** Only a folder named exactly so is ever removed for a gone process: `mkdtemp` adds six characters. */
const folderName = /^makegood-team-months-(\d+)-[A-Za-z0-9]{6}$/

/** Where a list's first line starts: after its opening `[` line, as in a shard. */
const listOpen = '[\n'
/** Closes a list, as in a shard: the readers find `]` on a line of its own, two spaces in. */
const listClose = '\n  ]'

/** A month's list while its rows arrive: the file so far, and each row's id, hash, version and line. */
type ListBeingWritten = {
  kind: string
  month: string
  path: string
  bytes: number
  waiting: string[]
  ids: string[]
  hashes: number[]
  versions: number[]
  starts: number[]
}

/** A list written in full, with the id and the version read of each of its rows, in line order. */
export type DeskList = { list: ColdList; ids: readonly string[]; versions: readonly number[] }

/**
 * A team desk's copy of the old months' grumbles and churn signals: a file per kind and month,
 * laid out as a data folder's shard lays out a list (a record per line), so the readers of the
 * months a data folder leaves on disk read these the same way (coldMonths.ts). At 100k cases they
 * are ~800k rows, ~200 MB of a desk's memory when held as records. The folder is made in the
 * desk's own data folder (the desktop app, `serve`; the system's temporary folder otherwise),
 * open to this user only, and removed when the desk closes; one left by a desk whose process is
 * gone (a crash) is removed by the next desk that opens there.
 */
export class DeskMonths {
  private readonly writing = new Map<string, ListBeingWritten>()

  private constructor(readonly folder: string) {}

  /** A new folder in `parent` (the system's temporary folder if not said). */
  static create(parent = tmpdir()): DeskMonths {
    mkdirSync(parent, { recursive: true })
    removeAbandoned(parent)
    return new DeskMonths(mkdtempSync(join(parent, `${folderPrefix}${process.pid}-`)))
  }

  /** A stored row's text (one line: the database's JSON never holds a raw newline) added to its month's list. */
  add(kind: string, month: string, id: string, version: number, text: string): void {
    const key = `${kind}/${month}`
    let list = this.writing.get(key)
    if (!list) {
      const path = join(this.folder, `${kind}-${month}.json`)
      writeFileSync(path, listOpen, { mode: 0o600 })
      list = { kind, month, path, bytes: listOpen.length, waiting: [], ids: [], hashes: [], versions: [], starts: [] }
      this.writing.set(key, list)
    }
    if (list.ids.length > 0) {
      list.waiting.push(',\n')
      list.bytes += 2
    }
    list.starts.push(list.bytes)
    list.waiting.push(text)
    list.bytes += Buffer.byteLength(text)
    list.ids.push(id)
    list.hashes.push(hashOfId(id))
    list.versions.push(version)
  }

  /** Writes the rows added since the last call (after each read from the database). */
  flush(): void {
    for (const list of this.writing.values()) {
      if (list.waiting.length === 0) continue
      appendFileSync(list.path, list.waiting.join(''))
      list.waiting = []
    }
  }

  /** Every list closed and handed over, as a data folder's store leaves a month on disk. */
  finish(): DeskList[] {
    this.flush()
    const done: DeskList[] = []
    for (const written of this.writing.values()) {
      appendFileSync(written.path, listClose)
      const { size, mtimeMs } = statSync(written.path)
      const lines = sortedRecordLines(written.hashes, [...written.starts, written.bytes + 1])
      const list: ColdList = {
        kind: written.kind,
        month: written.month,
        path: written.path,
        bytes: size,
        mtimeMs,
        ...lines,
      }
      done.push({ list, ids: written.ids, versions: written.versions })
    }
    this.writing.clear()
    return done
  }

  /** The folder and every list in it (the desk closes). */
  remove(): void {
    this.writing.clear()
    rmSync(this.folder, { recursive: true, force: true })
  }
}

/** Folders of desks whose process is gone. */
function removeAbandoned(parent: string): void {
  for (const name of readdirSync(parent)) {
    const pid = Number(folderName.exec(name)?.[1])
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || isProcessAlive(pid)) continue
    try {
      rmSync(join(parent, name), { recursive: true, force: true })
    } catch {
      // Left for a later desk (a file held open elsewhere): this desk's own folder is what matters.
    }
  }
}
