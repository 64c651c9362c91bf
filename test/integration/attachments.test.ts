import { readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startHttpHost } from '../../src/main/hosts/http'
import { rendererDir } from '../../src/main/paths'
import { addAttachment, attachmentContent, listAttachments } from '../../src/main/services/attachments/attachments'
import { createBackup, listBackups, restoreBackup } from '../../src/main/services/storage/backups'
import { exportToFile, importIntoEmpty } from '../../src/main/services/storage/exchange'
import { sha256Of } from '../../src/main/store/blobs'
import { maxAttachmentBytes } from '../../src/shared/attachments/attachments'
import { AppError } from '../../src/shared/core/errors'
import { makeCase, makeCustomer } from '../helpers/records'
import { engine, openContext, tempDir } from '../helpers/temp'

/** A real 1×1 PNG. */
const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
)
/** The start of a Windows program (the "MZ" header of a PE file), whatever it is called. */
const exe = Buffer.concat([Buffer.from('4d5a90000300000004000000ffff0000', 'hex'), Buffer.alloc(200, 0x41)])

async function seeded(dir: string) {
  const ctx = await openContext(dir)
  await ctx.store.commit([
    { collection: 'customers', value: makeCustomer(1) },
    { collection: 'cases', value: makeCase(0, '2026-11-02T09:00:00.000Z', 1, 'cust-1') },
    { collection: 'cases', value: makeCase(1, '2026-11-03T09:00:00.000Z', 1, 'cust-1') },
  ])
  return ctx
}

const onCase = (id: string) => ({ kind: 'case' as const, id })

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(AppError)
  return error as AppError
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name))
}

describe('attachments on a real data folder', () => {
  // The folder's files under attachments/: on the team database the bytes are one row per content
  // (team-attachments.test.ts).
  it.runIf(engine === 'folder')(
    'stores each content once, under its SHA-256, however often it is attached',
    async () => {
      const dir = await tempDir()
      const ctx = await seeded(dir)
      const first = await addAttachment(ctx, {
        owner: onCase('case-0'),
        name: 'receipt.png',
        content: png.toString('base64'),
      })
      const second = await addAttachment(ctx, {
        owner: onCase('case-1'),
        name: 'same.png',
        content: png.toString('base64'),
      })
      expect(first.sha256).toBe(sha256Of(png))
      expect(second.sha256).toBe(first.sha256)
      expect(first.id).not.toBe(second.id)
      expect(first.type).toBe('image/png')
      const files = await filesUnder(join(dir, 'attachments'))
      expect(files).toEqual([join(dir, 'attachments', first.sha256.slice(0, 2), first.sha256)])
      expect(await readFile(files[0]!)).toEqual(png)
      expect((await listAttachments(ctx, { owner: onCase('case-1') })).map((a) => a.name)).toEqual(['same.png'])
    },
  )

  it('judges the type by the bytes: a program renamed .jpg is refused and nothing is stored', async () => {
    const dir = await tempDir()
    const ctx = await seeded(dir)
    const error = await refusal(
      addAttachment(ctx, { owner: onCase('case-0'), name: 'holiday.jpg', content: exe.toString('base64') }),
    )
    expect(error.code).toBe('invalid_input')
    expect(error.reason).toBe('attachments.unsupported_type')
    expect(ctx.store.count('attachments')).toBe(0)
    expect(await filesUnder(join(dir, 'attachments'))).toEqual([])
    // And a real PNG named .jpg is stored as what it is.
    const renamed = await addAttachment(ctx, {
      owner: onCase('case-0'),
      name: 'x.jpg',
      content: png.toString('base64'),
    })
    expect(renamed.type).toBe('image/png')
  })

  it('takes a file of exactly 20 MB and refuses one byte more, clearly', async () => {
    const dir = await tempDir()
    const ctx = await seeded(dir)
    const atLimit = Buffer.alloc(maxAttachmentBytes, 0)
    Buffer.from('%PDF-1.7\n').copy(atLimit)
    const ok = await addAttachment(ctx, {
      owner: onCase('case-0'),
      name: 'scan.pdf',
      content: atLimit.toString('base64'),
    })
    expect(ok.bytes).toBe(20 * 1024 * 1024)
    expect(ok.type).toBe('application/pdf')
    const over = Buffer.concat([atLimit, Buffer.from([0])])
    const error = await refusal(
      addAttachment(ctx, { owner: onCase('case-0'), name: 'big.pdf', content: over.toString('base64') }),
    )
    expect(error.reason).toBe('attachments.too_large')
    expect(error.params).toMatchObject({ name: 'big.pdf', bytes: maxAttachmentBytes + 1, limit: maxAttachmentBytes })
    expect(error.message).toContain('20 MB')
    expect(ctx.store.count('attachments')).toBe(1)
  })

  it('refuses a file for a case that does not exist', async () => {
    const ctx = await seeded(await tempDir())
    const error = await refusal(
      addAttachment(ctx, { owner: onCase('nope'), name: 'a.png', content: png.toString('base64') }),
    )
    expect(error.reason).toBe('attachments.owner_not_found')
  })

  it('export → import into a fresh folder → export is byte-identical, the photo included', async () => {
    const source = await tempDir()
    const ctx = await seeded(source)
    const added = await addAttachment(ctx, {
      owner: onCase('case-0'),
      name: '照片.png',
      content: png.toString('base64'),
    })
    const work = await tempDir()
    const first = join(work, 'first.json')
    await exportToFile(ctx, first)
    const beside = join(`${first}.attachments`, added.sha256.slice(0, 2), added.sha256)
    expect(await readFile(beside)).toEqual(png)

    const targetDir = await tempDir()
    const target = await openContext(targetDir)
    await importIntoEmpty(target, first)
    const back = await attachmentContent(target, { id: added.id })
    expect(Buffer.from(back.content, 'base64')).toEqual(png)
    expect(back.attachment).toEqual(added)
    // The imported store keeps its own copy (a file in the folder, a row in the team database).
    expect(Buffer.from(await target.store.blobs.get(added.sha256))).toEqual(png)

    const second = join(work, 'second.json')
    await exportToFile(target, second)
    expect(await readFile(second)).toEqual(await readFile(first))
    expect(await readFile(join(`${second}.attachments`, added.sha256.slice(0, 2), added.sha256))).toEqual(png)
  })

  it('refuses an import whose attached file is missing or damaged, and changes nothing', async () => {
    const ctx = await seeded(await tempDir())
    const added = await addAttachment(ctx, { owner: onCase('case-0'), name: 'a.png', content: png.toString('base64') })
    const file = join(await tempDir(), 'export.json')
    await exportToFile(ctx, file)
    const beside = join(`${file}.attachments`, added.sha256.slice(0, 2), added.sha256)
    await writeFile(beside, Buffer.concat([png, Buffer.from([1])]))
    const target = await openContext(await tempDir())
    expect((await refusal(importIntoEmpty(target, file))).reason).toBe('attachments.damaged')
    await rm(beside)
    expect((await refusal(importIntoEmpty(target, file))).reason).toBe('import.attachment_missing')
    expect(target.store.count('cases')).toBe(0)
    expect(target.store.count('attachments')).toBe(0)
  })

  // Loses the folder's own copy of a file: the team database keeps the bytes in its rows.
  it.runIf(engine === 'folder')(
    'a backup carries the attached files; a restore brings a lost one back; pruning removes them',
    async () => {
      const dir = await tempDir()
      const ctx = await seeded(dir)
      const added = await addAttachment(ctx, {
        owner: onCase('case-0'),
        name: 'a.png',
        content: png.toString('base64'),
      })
      const backup = await createBackup(ctx, 'manual')
      const copy = join(dir, 'backups', `${backup.name}.attachments`, added.sha256.slice(0, 2), added.sha256)
      expect(await readFile(copy)).toEqual(png)
      // The data folder loses its copy; the restore puts it back from the backup.
      await rm(join(dir, 'attachments'), { recursive: true })
      expect((await refusal(attachmentContent(ctx, { id: added.id }))).reason).toBe('attachments.missing')
      await restoreBackup(ctx, { name: backup.name })
      expect(Buffer.from((await attachmentContent(ctx, { id: added.id })).content, 'base64')).toEqual(png)
      // Keep one: every older backup goes, with the files beside it (a copy kept before a restore stays).
      await ctx.store.commit([
        {
          collection: 'settings',
          value: { ...ctx.store.settings, storage: { ...ctx.store.settings.storage, backupsToKeep: 1 } },
        },
      ])
      ctx.setNow('2026-11-24T10:00:00.000Z')
      const newest = await createBackup(ctx, 'manual')
      const kept = (await listBackups(ctx)).map((b) => b.name)
      expect(kept).not.toContain(backup.name)
      expect(kept).toContain(newest.name)
      const names = await readdir(join(dir, 'backups'))
      expect(names).not.toContain(`${backup.name}.attachments`)
      expect(names).toContain(`${newest.name}.attachments`)
    },
  )

  // Damages the file in the folder; the team database checks the bytes it reads the same way (PgStore.blobs.get).
  it.runIf(engine === 'folder')('reports a damaged stored file instead of serving it', async () => {
    const dir = await tempDir()
    const ctx = await seeded(dir)
    const added = await addAttachment(ctx, { owner: onCase('case-0'), name: 'a.png', content: png.toString('base64') })
    await writeFile(join(dir, 'attachments', added.sha256.slice(0, 2), added.sha256), Buffer.from('not a png'))
    const error = await refusal(attachmentContent(ctx, { id: added.id }))
    expect(error.code).toBe('storage')
    expect(error.reason).toBe('attachments.damaged')
  })

  it('the HTTP host serves the bytes with their type, a safe name, nosniff, and only with the token', async () => {
    const ctx = await seeded(await tempDir())
    const added = await addAttachment(ctx, {
      owner: onCase('case-0'),
      name: 'Brief "Ärger".png',
      content: png.toString('base64'),
    })
    const host = await startHttpHost(ctx, { rendererDir: rendererDir() })
    try {
      const base = new URL(host.url)
      const ok = await fetch(new URL(`/files/${added.id}?token=${host.token}&download=1`, base))
      expect(ok.status).toBe(200)
      expect(ok.headers.get('content-type')).toBe('image/png')
      expect(ok.headers.get('x-content-type-options')).toBe('nosniff')
      expect(ok.headers.get('content-disposition')).toBe(
        `attachment; filename="Brief __rger_.png"; filename*=UTF-8''${encodeURIComponent('Brief "Ärger".png')}`,
      )
      expect(Buffer.from(await ok.arrayBuffer())).toEqual(png)
      const inline = await fetch(new URL(`/files/${added.id}?token=${host.token}`, base))
      expect(inline.headers.get('content-disposition')).toMatch(/^inline; /)
      expect((await fetch(new URL(`/files/${added.id}?token=wrong`, base))).status).toBe(401)
      expect((await fetch(new URL(`/files/${added.id}`, base))).status).toBe(401)
      expect((await fetch(new URL(`/files/nope?token=${host.token}`, base))).status).toBe(404)
    } finally {
      await host.close()
    }
  })
})
