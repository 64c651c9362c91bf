import { describe, expect, it } from 'vitest'
import { resources as en } from '../../src/shared/core/i18n/locales/en/index'
import { resources as hu } from '../../src/shared/core/i18n/locales/hu/index'
import { resources as zhCN } from '../../src/shared/core/i18n/locales/zh-CN/index'
import { resources as zhTW } from '../../src/shared/core/i18n/locales/zh-TW/index'

/** Every key path, with plural suffixes folded so Chinese (`_other` only) compares equal. */
function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix.replace(/_(one|other)$/, '')]
  return [...new Set(Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k)))].sort()
}

describe('the iceberg namespace', () => {
  it.each([
    ['zh-CN', zhCN],
    ['zh-TW', zhTW],
    ['hu', hu],
  ])('%s has exactly the English keys, translated', (_locale, resources) => {
    expect(keys(resources.iceberg)).toEqual(keys(en.iceberg))
    expect(resources.iceberg.nav.iceberg).not.toBe(en.iceberg.nav.iceberg)
    expect(resources.iceberg.grumble.button).not.toBe(en.iceberg.grumble.button)
  })

  it('has the plural forms each language needs', () => {
    expect(Object.keys(en.iceberg.grumble)).toEqual(expect.arrayContaining(['count_one', 'count_other']))
    expect(Object.keys(hu.iceberg.grumble)).toEqual(expect.arrayContaining(['count_one', 'count_other']))
    expect(Object.keys(zhCN.iceberg.grumble)).toContain('count_other')
  })
})
