/**
 * The form-letter check ("no cockroach letters", docs/conversation.md): how much of a reply is
 * found in earlier replies, on character shingles so that Chinese, which has no spaces between
 * words, is compared as well as English or Hungarian. Pure: no clock, no I/O.
 */

/** Shingle length: three characters (measured in docs/conversation.md against two and four). */
export const shingleSize = 3

/**
 * Case, width and punctuation variants, spacing and punctuation itself are not what makes a letter
 * personal: NFKC folds full-width forms, punctuation goes, and whitespace runs become one space.
 */
export function normalizeReply(text: string): string {
  return text
    .normalize('NFKC')
    .toLocaleLowerCase('en')
    .replace(/[\p{P}\p{S}]+/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim()
}

/** The set of `size`-character shingles of the normalised text (by code point, not UTF-16 unit). */
export function shinglesOf(text: string, size = shingleSize): Set<string> {
  const chars = Array.from(normalizeReply(text))
  const out = new Set<string>()
  if (chars.length === 0) return out
  if (chars.length <= size) {
    out.add(chars.join(''))
    return out
  }
  for (let i = 0; i + size <= chars.length; i++) out.add(chars.slice(i, i + size).join(''))
  return out
}

/**
 * The share of `reply`'s shingles also found in `earlier` (containment, 0–1): a form letter with a
 * new name and one added sentence still shares most of its text, while Jaccard would let a long
 * earlier letter hide a short copied one.
 */
export function containment(reply: ReadonlySet<string>, earlier: ReadonlySet<string>): number {
  if (reply.size === 0) return 0
  let common = 0
  for (const s of reply) if (earlier.has(s)) common++
  return common / reply.size
}

export type EarlierReply = { caseId: string; caseNumber: string; replyId: string; body: string }
export type Nearest = { caseId: string; caseNumber: string; replyId: string; share: number }

const shingleCache = new Map<string, Set<string>>()

/** Earlier replies never change once sent: their shingles are computed once per reply id. */
function cachedShingles(reply: EarlierReply): Set<string> {
  const key = `${reply.replyId}:${reply.body.length}`
  let found = shingleCache.get(key)
  if (!found) {
    if (shingleCache.size > 50_000) shingleCache.clear()
    found = shinglesOf(reply.body)
    shingleCache.set(key, found)
  }
  return found
}

/** The earlier reply sharing most of this one's text, or undefined when there is none. */
export function nearestReply(body: string, earlier: Iterable<EarlierReply>): Nearest | undefined {
  const mine = shinglesOf(body)
  let best: Nearest | undefined
  for (const e of earlier) {
    const share = containment(mine, cachedShingles(e))
    if (!best || share > best.share) best = { caseId: e.caseId, caseNumber: e.caseNumber, replyId: e.replyId, share }
  }
  return best
}

// ---------------------------------------------------------------------------------------------
// Does the reply speak of this case?

const cjk = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u
const isCjk = (text: string) => cjk.test(text)

/** Words of a Latin-script text (letters and digits, diacritics kept: Hungarian ő is not o). */
function wordsOf(text: string): string[] {
  return normalizeReply(text)
    .split(' ')
    .filter((w) => w.length > 0)
}

/**
 * The Han characters of a text that carry meaning: a Chinese summary is a few words (汤凉了) that a
 * reply rephrases (汤是凉的), so single characters are compared, without the grammatical ones.
 */
const hanFunctionChars = new Set(Array.from('的了是在我你您他她它们这這那和与與就都也不有个個一吗嗎呢吧啊着著过過很'))
function hanKeys(text: string): string[] {
  return (normalizeReply(text).match(/\p{Script=Han}/gu) ?? []).filter((ch) => !hanFunctionChars.has(ch))
}

/**
 * Whether the reply names the customer: a Latin name by any of its parts (a word of the reply
 * starting with it, so Hungarian case endings — "Annának" — count); a Chinese name whole, or its
 * surname followed by a title (王女士, 陳先生).
 */
export function mentionsName(body: string, name: string): boolean {
  const trimmed = name.trim()
  if (!trimmed) return false
  const text = normalizeReply(body)
  if (isCjk(trimmed)) {
    const compact = normalizeReply(trimmed).replace(/ /g, '')
    if (text.replace(/ /g, '').includes(compact)) return true
    const surname = Array.from(compact)[0] ?? ''
    return new RegExp(`${surname}(先生|女士|小姐|太太)`, 'u').test(text)
  }
  const words = wordsOf(text)
  return wordsOf(trimmed)
    .filter((part) => part.length >= 2)
    .some((part) => words.some((w) => w.startsWith(part)))
}

/**
 * The share (0–1) of a fact's key terms the reply takes up: Han characters for Chinese, else words
 * of four letters or more matched on their first five (so "cold" finds "cold", "delivered" finds
 * "delivery"). A fact with no key terms counts as not mentioned.
 */
export function factShare(body: string, fact: string): number {
  if (!fact.trim()) return 0
  if (isCjk(fact)) {
    const keys = [...new Set(hanKeys(fact))]
    if (keys.length === 0) return 0
    const text = new Set(hanKeys(body))
    return keys.filter((k) => text.has(k)).length / keys.length
  }
  const stem = (w: string) => w.slice(0, 5)
  const keys = [
    ...new Set(
      wordsOf(fact)
        .filter((w) => Array.from(w).length >= 4)
        .map(stem),
    ),
  ]
  if (keys.length === 0) return 0
  const stems = new Set(wordsOf(body).map(stem))
  return keys.filter((k) => stems.has(k)).length / keys.length
}

export type CaseFacts = { customerName: string; summary: string; description?: string; remedy: string }
export type Specifics = { isNameMentioned: boolean; isWhatMentioned: boolean; isRemedyMentioned: boolean }

/** Which of the case's specifics the reply mentions, each fact counting from `share` of its terms. */
export function specificsOf(body: string, facts: CaseFacts, share: number): Specifics {
  return {
    isNameMentioned: mentionsName(body, facts.customerName),
    isWhatMentioned: factShare(body, facts.summary) >= share,
    isRemedyMentioned: facts.remedy.trim() !== '' && factShare(body, facts.remedy) >= share,
  }
}

/** A personal reply names the person and speaks of what happened or of the remedy. */
export function isMissingSpecifics(s: Specifics): boolean {
  return !s.isNameMentioned || !(s.isWhatMentioned || s.isRemedyMentioned)
}
