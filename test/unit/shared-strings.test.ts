import { describe, expect, it } from 'vitest'
import { SharedStrings } from '../../src/main/store/sharedStrings'

describe('SharedStrings (one copy of each short value while the store loads)', () => {
  it('leaves every value as it was: strings short and long, numbers, nulls, nested lists and objects', () => {
    const long = 'x'.repeat(500)
    const parsed = JSON.parse(
      JSON.stringify({
        cases: [
          { id: 'case-1', department: 'Front of house', steps: [{ key: 'empathise', at: null }], amount: 12.5 },
          { id: 'case-2', department: 'Front of house', note: long, tags: ['a', 'b', ['Front of house', 3]] },
        ],
        settings: { departments: ['Front of house', 'Kitchen'], isOn: true },
      }),
    ) as unknown
    const expected = structuredClone(parsed)
    const strings = new SharedStrings()
    strings.share(parsed)
    strings.share(parsed)
    expect(parsed).toStrictEqual(expected)
  })

  it('keeps a "__proto__" key an own value and the object’s prototype untouched', () => {
    const parsed = JSON.parse('{"__proto__":"Front of house","other":{"__proto__":"Kitchen and bar"}}') as Record<
      string,
      unknown
    >
    new SharedStrings().share(parsed)
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(parsed, '__proto__')?.value).toBe('Front of house')
    expect(Object.getOwnPropertyDescriptor(parsed.other, '__proto__')?.value).toBe('Kitchen and bar')
  })

  it('ignores what is not a list or an object', () => {
    const strings = new SharedStrings()
    for (const value of ['text', 3, null, undefined, true]) expect(() => strings.share(value)).not.toThrow()
  })
})
