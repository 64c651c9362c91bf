import { z } from 'zod'

// Kept free of ../schemas imports: schemas.ts holds these on the case and in the settings, and an
// import back would be a cycle.

const isoDateTime = z.iso.datetime().max(40)
const recordId = z.string().min(1).max(64)

/** How staff and customer were in touch. */
export const contactKinds = ['call', 'email', 'letter', 'visit', 'message'] as const
export const ContactKind = z.enum(contactKinds)
export type ContactKind = z.infer<typeof ContactKind>

export const contactDirections = ['in', 'out'] as const
export const ContactDirection = z.enum(contactDirections)
export type ContactDirection = z.infer<typeof ContactDirection>

/** One logged contact with the customer: it is also a line of the case's timeline. */
export const Contact = z.object({
  id: recordId,
  at: isoDateTime,
  by: z.string().max(200),
  kind: ContactKind,
  direction: ContactDirection,
  /** What was said. */
  summary: z.string().max(10_000),
  /** "Next contact promised by …": the promise made in the ledger for it. */
  promiseId: recordId.optional(),
  /** The sent reply this contact carried. */
  replyId: recordId.optional(),
})
export type Contact = z.infer<typeof Contact>

/** Which template a reply started from: one per recovery step, and a progress update. */
export const replyTemplates = [
  'empathise',
  'apologise',
  'resolve',
  'investigate',
  'add-plus',
  'prevent',
  'update',
] as const
export const ReplyTemplate = z.enum(replyTemplates)
export type ReplyTemplate = z.infer<typeof ReplyTemplate>

const replyLocale = z.enum(['en', 'zh-CN', 'zh-TW', 'hu'])

/** What the form-letter check found when the reply was sent (kept: the reason a warning was overridden is auditable). */
export const ReplyCheckRecord = z.object({
  /** The share of this reply's text found in the most similar earlier reply, 0–1. */
  share: z.number().min(0).max(1),
  nearestCaseNumber: z.string().max(40).optional(),
  isFormLetter: z.boolean(),
  isMissingSpecifics: z.boolean(),
})
export type ReplyCheckRecord = z.infer<typeof ReplyCheckRecord>

/** A reply sent to the customer, as it was sent. */
export const Reply = z.object({
  id: recordId,
  at: isoDateTime,
  by: z.string().max(200),
  locale: replyLocale,
  template: ReplyTemplate,
  /** How it went out. */
  via: z.enum(['email', 'letter']),
  body: z.string().min(1).max(20_000),
  check: ReplyCheckRecord,
})
export type Reply = z.infer<typeof Reply>
