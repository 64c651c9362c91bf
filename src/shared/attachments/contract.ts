import { z } from 'zod'
import { method } from '../core/contract'
import { id } from '../schemas'
import { Attachment, AttachmentOwner, maxAttachmentBytes } from './attachments'

/** Base64 of the largest file, plus room: a larger one still reaches the service's clear refusal. */
const maxBase64 = Math.ceil((maxAttachmentBytes * 4) / 3) + 1024 * 1024

export const NewAttachment = z
  .object({
    owner: AttachmentOwner,
    name: z.string().trim().min(1).max(255),
    /** The file's bytes, base64: the one encoding both IPC and HTTP carry unchanged. */
    content: z.base64().max(maxBase64),
  })
  .strict()
export type NewAttachment = z.input<typeof NewAttachment>

/** The contract part of attachments: photos, scanned letters and PDFs on a case, grumble or contact. */
export const attachmentsContract = {
  'attachments:list': method(z.object({ owner: AttachmentOwner }).strict(), z.array(Attachment), {
    reads: ['attachments'],
  }),
  'attachments:add': method(NewAttachment, Attachment, { changes: ['attachments'] }),
  /** The bytes, base64: thumbnails in the desktop app, where there is no HTTP host to link to. */
  'attachments:content': method(z.object({ id }).strict(), z.object({ attachment: Attachment, content: z.string() }), {
    reads: ['attachments'],
  }),
  /** Writes a copy named for a viewer (the stored file has no extension) and answers its path. */
  'attachments:open': method(z.object({ id }).strict(), z.object({ path: z.string() }), { reads: ['attachments'] }),
}
