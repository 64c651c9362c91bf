import { type Translate } from '../core/i18n/translate'
import { type ReplyTemplate } from '../contacts/schemas'

/** The case's facts a draft carries; the promise's due date is already formatted in the reply's language. */
export type DraftFacts = {
  customerName: string
  what: string
  remedy: string
  promise?: { what: string; due: string }
  /** Who signs it. */
  signedBy: string
}

/**
 * A first draft of a reply from the template of a recovery step (or a progress update), in the
 * language of `t`: greeting, the step's paragraph about what happened, the remedy and the promise
 * when there are any, and the sign-off. A starting point to rewrite, never a letter to send as is.
 */
export function draftReply(t: Translate, template: ReplyTemplate, facts: DraftFacts): string {
  const paragraphs = [
    t('conversation:draft.greeting', { name: facts.customerName }),
    t(`conversation:draft.${template}`, { what: facts.what }),
  ]
  if (facts.remedy.trim()) paragraphs.push(t('conversation:draft.remedy', { remedy: facts.remedy.trim() }))
  if (facts.promise) paragraphs.push(t('conversation:draft.promise', facts.promise))
  paragraphs.push(`${t('conversation:draft.closing')}\n${facts.signedBy}`.trim())
  return paragraphs.join('\n\n')
}
