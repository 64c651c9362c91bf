import { z } from 'zod'
import { type CoachLocale, defaultCoachPhrases } from '../replies/coach'

// Kept apart from schemas.ts imports so that schemas.ts can hold these settings without a cycle.

export const CoachPhraseSetting = z.object({
  // An empty phrase (a row just added) finds nothing: it may be saved half-written.
  phrase: z.string().trim().max(200),
  better: z.string().trim().max(500),
})

const phraseList = (locale: CoachLocale) =>
  z
    .array(CoachPhraseSetting)
    .max(500)
    .default(() => defaultCoachPhrases[locale].map((p) => ({ ...p })))

/**
 * Talking with the customer: when a case counts as left without news, the form-letter check's
 * thresholds, and the response coach's phrases per language. Every field has a default, so data
 * written before this feature still parses. Why these defaults: docs/conversation.md.
 */
export const ConversationSettings = z.object({
  /** An open case with no contact for this many whole business days is "waiting for news". */
  silentAfterBusinessDays: z.number().int().min(1).max(60).default(2),
  /** A reply sharing at least this much of its text (0–1) with an earlier reply is a form letter. */
  formLetterShare: z.number().min(0.05).max(1).default(0.65),
  /** A fact (what happened, the remedy) counts as mentioned when this share of its key terms is in the reply. */
  specificsShare: z.number().min(0.05).max(1).default(0.34),
  coachPhrases: z
    .object({ en: phraseList('en'), hu: phraseList('hu'), 'zh-CN': phraseList('zh-CN'), 'zh-TW': phraseList('zh-TW') })
    .default(() => ({
      en: defaultCoachPhrases.en.map((p) => ({ ...p })),
      hu: defaultCoachPhrases.hu.map((p) => ({ ...p })),
      'zh-CN': defaultCoachPhrases['zh-CN'].map((p) => ({ ...p })),
      'zh-TW': defaultCoachPhrases['zh-TW'].map((p) => ({ ...p })),
    })),
})
export type ConversationSettings = z.infer<typeof ConversationSettings>

export function defaultConversationSettings(): ConversationSettings {
  return ConversationSettings.parse({})
}
