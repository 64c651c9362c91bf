import { type z } from 'zod'
import {
  type LetterFile,
  type LetterInput,
  type ReplyCheck,
  type ReplyCheckInput,
  type SendReplyInput,
} from '../../../shared/contacts/contract'
import { type Contact, type Reply } from '../../../shared/contacts/schemas'
import { type EarlierReply, isMissingSpecifics, nearestReply, specificsOf } from '../../../shared/replies/similarity'
import { type Case } from '../../../shared/schemas'
import { requireCase } from '../cases/cases'
import { type ServiceContext, actorOf, newId } from '../context'
import { requireCustomer } from '../customers/customerRecords'
import { withContact } from './contacts'
import { systemTimeZone } from '../promises/calendar'

/** Every reply sent on other cases: what a new reply is compared with. */
function* earlierReplies(ctx: ServiceContext, caseId: string): Generator<EarlierReply & { at: string }> {
  for (const c of ctx.store.all('cases')) {
    // Repeating oneself to the same customer is not a form letter; copying another's letter is.
    if (c.id === caseId) continue
    for (const r of c.replies ?? []) yield { caseId: c.id, caseNumber: c.number, replyId: r.id, body: r.body, at: r.at }
  }
}

/**
 * The form-letter check (the most similar earlier reply and the share in common) and the
 * specifics check (the customer's name, what happened, the remedy), with the thresholds of the
 * settings. Advice: sending is never refused for it.
 */
export async function checkReply(ctx: ServiceContext, input: z.output<typeof ReplyCheckInput>): Promise<ReplyCheck> {
  const c = requireCase(ctx, input.caseId)
  const customer = requireCustomer(ctx, c.customerId)
  const { formLetterShare, specificsShare } = ctx.store.settings.conversation
  const earlier = [...earlierReplies(ctx, c.id)]
  const nearest = input.body.trim() ? nearestReply(input.body, earlier) : undefined
  const nearestEarlier = nearest ? earlier.find((e) => e.replyId === nearest.replyId) : undefined
  const specifics = specificsOf(
    input.body,
    { customerName: customer.name, summary: c.summary, remedy: c.remedySought },
    specificsShare,
  )
  return {
    nearest:
      nearest && nearestEarlier
        ? {
            ...nearest,
            share: Math.round(nearest.share * 1000) / 1000,
            at: nearestEarlier.at,
            body: nearestEarlier.body,
          }
        : null,
    isFormLetter: nearest !== undefined && nearest.share >= formLetterShare,
    formLetterShare,
    specifics,
    isMissingSpecifics: isMissingSpecifics(specifics),
  }
}

/** Stores the reply as sent, with what the check found, and logs it as an outgoing contact. */
export async function sendReply(ctx: ServiceContext, input: z.output<typeof SendReplyInput>): Promise<Case> {
  const c = requireCase(ctx, input.caseId)
  const check = await checkReply(ctx, { caseId: c.id, body: input.body })
  const actor = actorOf(ctx)
  const reply: Reply = {
    id: newId(),
    at: actor.at,
    by: actor.by,
    locale: input.locale,
    template: input.template,
    via: input.via,
    body: input.body,
    check: {
      share: check.nearest?.share ?? 0,
      ...(check.nearest ? { nearestCaseNumber: check.nearest.caseNumber } : {}),
      isFormLetter: check.isFormLetter,
      isMissingSpecifics: check.isMissingSpecifics,
    },
  }
  const contact: Contact = {
    id: newId(),
    at: actor.at,
    by: actor.by,
    kind: input.via,
    direction: 'out',
    summary: input.body.slice(0, 10_000),
    replyId: reply.id,
  }
  const { updated, changes } = withContact(ctx, { ...c, replies: [...(c.replies ?? []), reply] }, contact, actor)
  await ctx.store.commit(changes)
  return updated
}

/** The reply as a printable letter: the business, the date, the customer, the text. */
export async function replyLetter(ctx: ServiceContext, input: z.output<typeof LetterInput>): Promise<LetterFile> {
  const c = requireCase(ctx, input.caseId)
  const customer = requireCustomer(ctx, c.customerId)
  const { renderLetterPdf } = await import('./letterPdf')
  const pdf = await renderLetterPdf({
    locale: input.locale,
    businessName: ctx.store.settings.businessName,
    customerName: customer.name,
    caseNumber: c.number,
    date: ctx.now(),
    timeZone: ctx.store.settings.promises.calendar.timeZone || systemTimeZone(),
    body: input.body,
  })
  return { fileName: `${c.number}-letter.pdf`, mimeType: 'application/pdf', base64: pdf.toString('base64') }
}
