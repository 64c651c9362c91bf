import { describe, expect, it } from 'vitest'
import { coachHits, coachSegments, defaultCoachPhrases } from '../../src/shared/replies/coach'

const phrasesOf = (hits: { phrase: string }[]) => hits.map((h) => h.phrase)

describe('the response coach', () => {
  it('finds the English phrases, apostrophes and case aside, and an apology taken back with "but"', () => {
    const text = "I'm sorry, but that is company policy. Please CALM DOWN. I don’t know. You must have dropped it."
    expect(phrasesOf(coachHits(text, defaultCoachPhrases.en))).toEqual([
      'sorry … but',
      'company policy',
      'calm down',
      "I don't know",
      'you must have',
    ])
    expect(coachHits('I am sorry. We will refund you today.', defaultCoachPhrases.en)).toEqual([])
  })

  it('finds the Chinese phrases without spaces, in both scripts', () => {
    expect(phrasesOf(coachHits('我不知道，这是公司规定，你冷静一点。', defaultCoachPhrases['zh-CN']))).toEqual([
      '不知道',
      '这是公司规定',
      '你冷静一点',
    ])
    expect(phrasesOf(coachHits('這不歸我管，你冷靜一點。', defaultCoachPhrases['zh-TW']))).toEqual([
      '不歸我管',
      '你冷靜一點',
    ])
  })

  it('matches Hungarian whole words only', () => {
    expect(phrasesOf(coachHits('Ez nem tudományos kérdés.', defaultCoachPhrases.hu))).toEqual([])
    expect(phrasesOf(coachHits('Sajnálom, de ez nem az én dolgom. Nyugodjon meg!', defaultCoachPhrases.hu))).toEqual([
      'sajnálom … de',
      'nem az én dolgom',
      'nyugodjon meg',
    ])
  })

  it('cuts the text into runs whose hits carry the better alternative', () => {
    const text = 'Calm down, please.'
    const segments = coachSegments(text, coachHits(text, defaultCoachPhrases.en))
    expect(segments.map((s) => s.text).join('')).toBe(text)
    expect(segments[0]).toMatchObject({ text: 'Calm down', hit: { better: 'I understand why you are upset.' } })
  })

  it('takes an edited list: a phrase of the business, no built-in ones', () => {
    expect(
      phrasesOf(coachHits('As per our terms, no.', [{ phrase: 'as per our terms', better: 'Because …' }])),
    ).toEqual(['as per our terms'])
  })
})
