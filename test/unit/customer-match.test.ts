import { describe, expect, it } from 'vitest'
import { findCustomerMatches, matchKey, phoneKey } from '../../src/shared/customers/match'

const customers = [
  { id: 'a', name: 'Kovács Anna', phone: '+36 30 123 4567' },
  { id: 'b', name: 'Nagy Béla', email: 'Bela.Nagy@Example.com' },
  { id: 'c', name: '王小明' },
  { id: 'd', name: 'Zoë  Ångström' },
  { id: 'e', name: 'Anna Kovácsné' },
]
const ids = (typed: Parameters<typeof findCustomerMatches>[0]) =>
  findCustomerMatches(typed, customers).map((m) => `${m.customer.id}:${m.reason}`)

describe('likely customer matches as a name is typed', () => {
  it('ignores case, accents and spacing, through one key', () => {
    expect(matchKey('  KOVACS   anna ')).toBe(matchKey('Kovács Anna'))
    expect(matchKey('Zoe Angstrom')).toBe(matchKey('Zoë  Ångström'))
    // Decomposed input (as some keyboards send it) is the same name.
    expect(matchKey('Kova\u0301cs')).toBe(matchKey('Kovács'))
    expect(ids({ name: 'kovacs anna' })).toEqual(['a:same-name'])
    expect(ids({ name: 'zoe angstrom' })).toEqual(['d:same-name'])
  })

  it('finds the same name in the other order (Hungarian family name first) and names being typed', () => {
    expect(ids({ name: 'Anna Kovács' })).toEqual(['a:same-name', 'e:name-starts'])
    expect(ids({ name: 'nag' })).toEqual(['b:name-starts'])
    expect(ids({ name: 'a' })).toEqual([])
  })

  it('compares Chinese names as typed: one character is enough, spaces do not count', () => {
    expect(ids({ name: '王' })).toEqual(['c:name-starts'])
    expect(ids({ name: '王 小明' })).toEqual(['c:same-name'])
    expect(ids({ name: '小明' })).toEqual(['c:name-contains'])
    expect(ids({ name: '李' })).toEqual([])
  })

  it('an equal phone or e-mail is the best match, whatever the name', () => {
    expect(phoneKey('06-30-123-4567')).toBe(phoneKey('+36 30 123 4567'))
    expect(ids({ name: 'Someone else', phone: '06 30 123 4567' })).toEqual(['a:phone'])
    expect(ids({ name: '', email: ' bela.nagy@example.COM ' })).toEqual(['b:email'])
    expect(ids({ name: 'Anna', phone: '123' })).toEqual(['e:name-starts', 'a:name-contains'])
  })
})
