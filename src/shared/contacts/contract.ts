import { z } from 'zod'
import { method } from '../core/contract'
import { CaseSummary } from '../cases/contract'
import { DueSpec } from '../promises/promises'
import { Case, Locale, id, isoDateTime } from '../schemas'
import { ContactDirection, ContactKind, ReplyTemplate } from './schemas'

/** The contract part of talking with the customer: the contact log, "waiting for news", replies. */

export const LogContactInput = z
  .object({
    caseId: id,
    kind: ContactKind,
    direction: ContactDirection,
    /** What was said. */
    summary: z.string().trim().min(1).max(10_000),
    /** "Next contact promised by …": becomes a promise in the ledger, made with the contact. */
    nextContact: z
      .object({ due: DueSpec, what: z.string().trim().min(1).max(500) })
      .strict()
      .optional(),
  })
  .strict()
export type LogContactInput = z.input<typeof LogContactInput>

export const SilentCase = CaseSummary.extend({
  /** When the customer last had news (or the complaint came in, if never). */
  lastNewsAt: isoDateTime,
  /** Whole business days since, in the business's calendar. */
  businessDaysWithoutNews: z.number().int(),
})
export type SilentCase = z.infer<typeof SilentCase>

export const SilentCases = z.object({
  /** Longest silence first. */
  cases: z.array(SilentCase),
  /** The setting in force: N business days. */
  afterBusinessDays: z.number().int(),
  isComplete: z.boolean(),
})
export type SilentCases = z.infer<typeof SilentCases>

export const SilentCasePageInput = z
  .object({ offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(100) })
  .strict()

/** Today → Waiting for news a page at a time: at 100k cases tens of thousands may be waiting. */
export const SilentCasePage = SilentCases.omit({ cases: true }).extend({
  /** Every case waiting for news; `items` are those from `offset` on, longest silence first. */
  total: z.number().int(),
  items: z.array(SilentCase),
})
export type SilentCasePage = z.infer<typeof SilentCasePage>

export const ReplyCheckInput = z.object({ caseId: id, body: z.string().max(20_000) }).strict()

export const ReplyCheck = z.object({
  /** The earlier reply (on another case) sharing most of this one's text. */
  nearest: z
    .object({ caseId: id, caseNumber: z.string(), replyId: id, share: z.number(), at: isoDateTime, body: z.string() })
    .nullable(),
  /** The nearest share reaches the threshold in the settings. */
  isFormLetter: z.boolean(),
  formLetterShare: z.number(),
  specifics: z.object({
    isNameMentioned: z.boolean(),
    isWhatMentioned: z.boolean(),
    isRemedyMentioned: z.boolean(),
  }),
  /** The reply does not name the customer, or speaks neither of what happened nor of the remedy. */
  isMissingSpecifics: z.boolean(),
})
export type ReplyCheck = z.infer<typeof ReplyCheck>

export const SendReplyInput = z
  .object({
    caseId: id,
    body: z.string().trim().min(1).max(20_000),
    locale: Locale,
    template: ReplyTemplate,
    via: z.enum(['email', 'letter']),
  })
  .strict()
export type SendReplyInput = z.input<typeof SendReplyInput>

export const LetterInput = z.object({ caseId: id, body: z.string().trim().min(1).max(20_000), locale: Locale }).strict()
export const LetterFile = z.object({ fileName: z.string(), mimeType: z.string(), base64: z.string() })
export type LetterFile = z.infer<typeof LetterFile>

export const contactsContract = {
  /** The contact is a timeline entry; it may keep the first-response guarantee, and make a promise. */
  'contacts:log': method(LogContactInput, Case, { changes: ['cases', 'promises'], isSweepAfter: true }),
  /** Open cases whose customer has had no news for N business days (Today → Waiting for news). */
  'cases:silent': method(z.object({}).strict().default({}), SilentCases, { reads: ['settings', 'cases', 'customers'] }),
  'cases:silentPage': method(SilentCasePageInput.default({ offset: 0, limit: 100 }), SilentCasePage, {
    reads: ['settings', 'cases', 'customers'],
  }),
  /** The form-letter check and the specifics check, before a reply is marked sent. */
  'replies:check': method(ReplyCheckInput, ReplyCheck, { reads: ['settings', 'cases', 'customers'] }),
  /** Stores the reply on the case (with what the check found) and logs it as a contact. */
  'replies:send': method(SendReplyInput, Case, { changes: ['cases', 'promises'], isSweepAfter: true }),
  /** The reply as a printable letter (PDF); nothing is written. */
  'replies:letter': method(LetterInput, LetterFile, { reads: ['settings', 'cases', 'customers'] }),
}
