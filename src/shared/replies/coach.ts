/**
 * The response coach: phrases that make an upset customer angrier, found in what staff write, each
 * with a better thing to say. It advises and never blocks. Pure: the list comes from the settings.
 */

export type CoachPhrase = { phrase: string; better: string }
export type CoachLocale = 'en' | 'hu' | 'zh-CN' | 'zh-TW'

/**
 * The built-in lists. An ellipsis (… or ...) inside a phrase stands for "anything up to the end of
 * the sentence": "sorry … but" finds an apology taken back with a "but".
 */
export const defaultCoachPhrases: Record<CoachLocale, CoachPhrase[]> = {
  en: [
    { phrase: "I don't know", better: "Let me find out for you — I'll call you back by …" },
    { phrase: "that's not my job", better: 'I will take care of this myself.' },
    {
      phrase: 'not my department',
      better: "I'll make sure the right person calls you today — and I'll check they did.",
    },
    { phrase: 'on behalf of the company', better: 'I am sorry (say it yourself, in the first person).' },
    { phrase: 'sorry … but', better: 'Apologise without a "but": "I am sorry. Here is what I will do now."' },
    { phrase: 'company policy', better: 'Give the reason, and say what you can do.' },
    { phrase: 'calm down', better: 'I understand why you are upset.' },
    { phrase: 'you must have', better: "Let's look together at what happened." },
    { phrase: "there's nothing I can do", better: 'Here is what I can do: …' },
  ],
  hu: [
    { phrase: 'nem tudom', better: 'Utánanézek, és … -ig visszahívom.' },
    { phrase: 'nem az én dolgom', better: 'Ezt én magam intézem el.' },
    {
      phrase: 'nem az én feladatom',
      better: 'Gondoskodom róla, hogy ma felhívja az illetékes kolléga — és ellenőrzöm is.',
    },
    { phrase: 'a cég nevében', better: 'Elnézést kérek (Ön személyesen, egyes szám első személyben).' },
    { phrase: 'sajnálom … de', better: 'Bocsánatkérés „de” nélkül: „Sajnálom. Most ezt teszem: …”' },
    { phrase: 'cégünk szabályzata', better: 'Mondja el az okát, és hogy mit tud tenni.' },
    { phrase: 'nyugodjon meg', better: 'Megértem, miért bosszús.' },
    { phrase: 'biztosan ön', better: 'Nézzük meg együtt, mi történt.' },
  ],
  'zh-CN': [
    { phrase: '不知道', better: '我马上帮您查清楚，……之前给您回电话。' },
    { phrase: '不归我管', better: '这件事我来负责跟进。' },
    { phrase: '代表公司', better: '我向您道歉（用“我”，亲自道歉）。' },
    { phrase: '对不起……但是', better: '道歉不加“但是”：“对不起，我现在就……”' },
    { phrase: '这是公司规定', better: '说明原因，并告诉顾客您能做什么。' },
    { phrase: '你冷静一点', better: '我理解您为什么生气。' },
    { phrase: '你肯定是', better: '我们一起看看发生了什么。' },
  ],
  'zh-TW': [
    { phrase: '不知道', better: '我馬上幫您查清楚，……之前回電給您。' },
    { phrase: '不歸我管', better: '這件事我來負責跟進。' },
    { phrase: '代表公司', better: '我向您道歉（用「我」，親自道歉）。' },
    { phrase: '對不起……但是', better: '道歉不加「但是」：「對不起，我現在就……」' },
    { phrase: '這是公司規定', better: '說明原因，並告訴顧客您能做什麼。' },
    { phrase: '你冷靜一點', better: '我理解您為什麼生氣。' },
    { phrase: '你一定是', better: '我們一起看看發生了什麼。' },
  ],
}

export type CoachHit = { start: number; end: number; phrase: string; better: string }

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const ellipsis = /\s*(?:…+|\.{3,})\s*/u

/**
 * A phrase as a pattern: case-insensitive, any run of spaces matching any whitespace, straight and
 * curly apostrophes alike, an ellipsis bridging up to 80 characters of the same sentence, and
 * whole words for Latin script ("nem tudom" is not inside "nem tudományos").
 */
function patternOf(phrase: string): RegExp | undefined {
  const parts = phrase
    .trim()
    .split(ellipsis)
    .filter((p) => p.length > 0)
  if (parts.length === 0) return undefined
  const body = parts
    .map((p) => escape(p.normalize('NFKC')).replace(/\s+/g, '\\s+').replace(/['’]/g, "['’]"))
    .join('[^.!?。！？\\n]{0,80}?')
  // Word edges only where the phrase starts or ends with a Latin-script letter: Chinese has no spaces.
  const isWordChar = (ch: string) => /[\p{L}\p{N}]/u.test(ch) && !/\p{Script=Han}/u.test(ch)
  const before = isWordChar(Array.from(parts[0]!)[0] ?? '') ? '(?<![\\p{L}\\p{N}])' : ''
  const after = isWordChar(Array.from(parts[parts.length - 1]!).pop() ?? '') ? '(?![\\p{L}\\p{N}])' : ''
  return new RegExp(`${before}${body}${after}`, 'giu')
}

/** Every listed phrase found in the text, in order, overlaps dropped (the earlier, longer one wins). */
export function coachHits(text: string, phrases: readonly CoachPhrase[]): CoachHit[] {
  const hits: CoachHit[] = []
  for (const p of phrases) {
    const pattern = patternOf(p.phrase)
    if (!pattern) continue
    for (const m of text.matchAll(pattern)) {
      if (m[0].length === 0) continue
      hits.push({ start: m.index, end: m.index + m[0].length, phrase: p.phrase, better: p.better })
    }
  }
  hits.sort((a, b) => a.start - b.start || b.end - a.end)
  const kept: CoachHit[] = []
  for (const h of hits) if (!kept.some((k) => h.start < k.end && k.start < h.end)) kept.push(h)
  return kept
}

/** The text cut into plain runs and hits, for the screen to underline the hits. */
export function coachSegments(text: string, hits: readonly CoachHit[]): { text: string; hit?: CoachHit }[] {
  const out: { text: string; hit?: CoachHit }[] = []
  let at = 0
  for (const h of hits) {
    if (h.start > at) out.push({ text: text.slice(at, h.start) })
    out.push({ text: text.slice(h.start, h.end), hit: h })
    at = h.end
  }
  if (at < text.length) out.push({ text: text.slice(at) })
  return out
}
