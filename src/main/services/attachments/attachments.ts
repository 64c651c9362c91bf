import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type Attachment,
  type AttachmentOwner,
  extensionOf,
  maxAttachmentBytes,
  sniffType,
} from '../../../shared/attachments/attachments'
import { type NewAttachment, NewAttachment as NewAttachmentSchema } from '../../../shared/attachments/contract'
import { AppError } from '../../../shared/core/errors'
import { collectionNames } from '../../store/collections'
import { actorOf, newId, type ServiceContext } from '../context'

/** The record kind each owner kind lives in; a kind this build does not keep has no owners. */
const ownerCollections: Record<AttachmentOwner['kind'], string> = {
  case: 'cases',
  grumble: 'grumbles',
  contact: 'contacts',
}

function checkOwner(ctx: ServiceContext, owner: AttachmentOwner): void {
  const collection = ownerCollections[owner.kind]
  const isKnown = (collectionNames as string[]).includes(collection)
  const found = isKnown && (ctx.store.get as (c: string, id: string) => unknown)(collection, owner.id) !== undefined
  if (!found) {
    throw new AppError('not_found', `No ${owner.kind} ${owner.id} to attach a file to`, {
      reason: 'attachments.owner_not_found',
      params: { kind: owner.kind, id: owner.id },
    })
  }
}

const byAdded = (a: Attachment, b: Attachment) =>
  a.addedAt.localeCompare(b.addedAt) || a.name.localeCompare(b.name) || a.id.localeCompare(b.id)

export async function listAttachments(ctx: ServiceContext, input: { owner: AttachmentOwner }): Promise<Attachment[]> {
  const out: Attachment[] = []
  for (const a of ctx.store.all('attachments'))
    if (a.owner.kind === input.owner.kind && a.owner.id === input.owner.id) out.push(a)
  return out.sort(byAdded)
}

/**
 * Attaches a file: refused above 20 MB and unless its first bytes say it is a photo, a scan or a
 * PDF (the name is not trusted). The bytes are stored once per content, then the record.
 */
export async function addAttachment(ctx: ServiceContext, raw: NewAttachment): Promise<Attachment> {
  const input = NewAttachmentSchema.parse(raw)
  checkOwner(ctx, input.owner)
  const bytes = Buffer.from(input.content, 'base64')
  if (bytes.length > maxAttachmentBytes) {
    throw new AppError(
      'invalid_input',
      `${input.name} is ${bytes.length} bytes; an attachment may be at most ${maxAttachmentBytes} bytes (20 MB)`,
      { reason: 'attachments.too_large', params: { name: input.name, bytes: bytes.length, limit: maxAttachmentBytes } },
    )
  }
  if (bytes.length === 0)
    throw new AppError('invalid_input', `${input.name} is empty`, {
      reason: 'attachments.empty',
      params: { name: input.name },
    })
  const type = sniffType(bytes)
  if (!type) {
    throw new AppError(
      'invalid_input',
      `${input.name} is not a JPEG, PNG, WebP, GIF or TIFF picture or a PDF (judged by its content, not its name)`,
      { reason: 'attachments.unsupported_type', params: { name: input.name } },
    )
  }
  if (ctx.store.isReadOnly)
    throw new AppError('read_only', 'This data folder is open read-only', { reason: 'store.read_only' })
  const sha256 = await ctx.store.blobs.put(bytes)
  const { by, at } = actorOf(ctx)
  const attachment: Attachment = {
    id: newId(),
    owner: input.owner,
    sha256,
    name: input.name,
    type,
    bytes: bytes.length,
    addedBy: by,
    addedAt: at,
  }
  await ctx.store.commit([{ collection: 'attachments', value: attachment }])
  return attachment
}

export function findAttachment(ctx: ServiceContext, id: string): Attachment {
  const found = ctx.store.get('attachments', id)
  if (!found) throw new AppError('not_found', `No attachment ${id}`, { reason: 'attachments.not_found' })
  return found
}

/** The checked bytes of one attachment (the HTTP host serves them; the desktop draws thumbnails). */
export async function attachmentBytes(
  ctx: ServiceContext,
  id: string,
): Promise<{ attachment: Attachment; bytes: Buffer }> {
  const attachment = findAttachment(ctx, id)
  return { attachment, bytes: await ctx.store.blobs.get(attachment.sha256) }
}

export async function attachmentContent(ctx: ServiceContext, input: { id: string }) {
  const { attachment, bytes } = await attachmentBytes(ctx, input.id)
  return { attachment, content: bytes.toString('base64') }
}

/** A file name safe on every platform, ending in the extension of the type found in the bytes. */
export function viewerName(attachment: Attachment): string {
  const ext = extensionOf[attachment.type]
  const base = [...attachment.name]
    .map((ch) => (ch.charCodeAt(0) < 32 || '\\/:*?"<>|'.includes(ch) ? '_' : ch))
    .join('')
    .replace(/^\.+/, '')
    .slice(0, 120)
  const stem = base.toLowerCase().endsWith(ext) ? base.slice(0, -ext.length) : base.replace(/\.[^.]*$/, '')
  return `${stem || 'attachment'}${ext}`
}

/**
 * A copy for the system viewer, in a private temporary folder: the stored file is named by its
 * hash (no extension, so no viewer would know it) and must never be edited in place.
 */
export async function openAttachment(ctx: ServiceContext, input: { id: string }): Promise<{ path: string }> {
  const { attachment, bytes } = await attachmentBytes(ctx, input.id)
  const base = join(tmpdir(), 'makegood-open')
  await mkdir(base, { recursive: true, mode: 0o700 })
  const dir = await mkdtemp(join(base, 'a-'))
  const path = join(dir, viewerName(attachment))
  await writeFile(path, bytes, { mode: 0o600 })
  return { path }
}
