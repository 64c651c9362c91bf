import { z } from 'zod'
import { id, isoDateTime } from '../schemas'

/** The largest attachment: a phone photo or a scanned letter fits; a video does not. */
export const maxAttachmentBytes = 20 * 1024 * 1024

/** What an attachment can belong to: any record, named by its kind and id. */
export const attachmentOwnerKinds = ['case', 'grumble', 'contact'] as const
export const AttachmentOwner = z.object({ kind: z.enum(attachmentOwnerKinds), id }).strict()
export type AttachmentOwner = z.infer<typeof AttachmentOwner>

export const attachmentTypes = [
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
  'image/tiff',
  'application/pdf',
] as const
export const AttachmentType = z.enum(attachmentTypes)
export type AttachmentType = z.infer<typeof AttachmentType>

export const sha256Hex = z
  .string()
  .max(64)
  .regex(/^[0-9a-f]{64}$/, 'Expected a SHA-256 in hex')

/** The record; the bytes are stored once per content, under their SHA-256 (docs/attachments.md). */
export const Attachment = z.object({
  id,
  owner: AttachmentOwner,
  sha256: sha256Hex,
  /** The name it was given, shown and offered when saving; never used as a path. */
  name: z.string().trim().min(1).max(255),
  type: AttachmentType,
  bytes: z.number().int().min(1).max(maxAttachmentBytes),
  addedBy: z.string().max(200),
  addedAt: isoDateTime,
})
export type Attachment = z.infer<typeof Attachment>

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0): boolean =>
  bytes.length >= offset + signature.length && signature.every((b, i) => bytes[offset + i] === b)
const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0))

/**
 * The type of a file read from its first bytes (its signature), never from its name: a program
 * renamed `.jpg` is refused. Only the six kinds of photo and scan MakeGood accepts are known.
 */
export function sniffType(bytes: Uint8Array): AttachmentType | undefined {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg'
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png'
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp'
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'image/gif'
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff'
  if (startsWith(bytes, ascii('%PDF-'))) return 'application/pdf'
  return undefined
}

/** Images a browser draws in an <img> (TIFF is not one of them): these get a thumbnail. */
export const isDrawable = (type: AttachmentType): boolean => type !== 'application/pdf' && type !== 'image/tiff'

/** The extension a system viewer needs to pick its program. */
export const extensionOf: Record<AttachmentType, string> = {
  'image/jpeg': '.jpg',
  'image/png': '.png',
  'image/webp': '.webp',
  'image/gif': '.gif',
  'image/tiff': '.tif',
  'application/pdf': '.pdf',
}
