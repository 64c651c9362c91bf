import { describe, expect, it } from 'vitest'
import { resolveLocale } from '../../src/shared/core/i18n/i18n'
import { matchesTerms, normalizeForSearch, queryTerms } from '../../src/shared/core/search'

describe('search normalisation', () => {
  it('finds a Chinese word inside unspaced Chinese text', () => {
    expect(matchesTerms(normalizeForSearch('我要求退款但是没人理我'), queryTerms('退款'))).toBe(true)
    expect(matchesTerms(normalizeForSearch('我要求退款但是没人理我'), queryTerms('发票'))).toBe(false)
  })

  it('ignores accents and case, as Hungarian users expect', () => {
    expect(matchesTerms(normalizeForSearch('Árvíztűrő tükörfúrógép'), queryTerms('arvizturo TUKOR'))).toBe(true)
  })

  it('cuts an unspaced Chinese query into words, each found on its own', () => {
    expect(queryTerms('退款服务员')[0]).toBe('退款')
    expect(matchesTerms(normalizeForSearch('我要求退款，但是那个服务员不理我'), queryTerms('退款服务员'))).toBe(true)
    expect(matchesTerms(normalizeForSearch('我要求退款'), queryTerms('退款服务员'))).toBe(false)
  })

  it('finds Traditional Chinese and full-width forms', () => {
    expect(matchesTerms(normalizeForSearch('外送遲到一個多小時'), queryTerms('遲到'))).toBe(true)
    expect(matchesTerms(normalizeForSearch('ＡＢＣ餐廳'), queryTerms('abc'))).toBe(true)
  })

  it('needs every term', () => {
    expect(matchesTerms(normalizeForSearch('cold soup, rude waiter'), queryTerms('soup waiter'))).toBe(true)
    expect(matchesTerms(normalizeForSearch('cold soup'), queryTerms('soup waiter'))).toBe(false)
  })
})

describe('locale resolution', () => {
  it.each([
    ['zh_CN.UTF-8', 'zh-CN'],
    ['zh-Hans-CN', 'zh-CN'],
    ['zh_TW.UTF-8', 'zh-TW'],
    ['zh-Hant-HK', 'zh-TW'],
    ['hu_HU.UTF-8', 'hu'],
    ['en_GB.UTF-8', 'en'],
    ['de-DE', 'en'],
    ['', 'en'],
  ])('%s → %s', (tag, locale) => {
    expect(resolveLocale(tag)).toBe(locale)
  })
})
