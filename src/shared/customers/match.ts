/**
 * Finding a customer who may already be on file, as a person types a name in the new-complaint
 * dialog. One normalisation for every comparison: case, accents and spacing do not count
 * ("Kovacs  Anna" is "Kovács Anna"); Chinese names compare as typed (their characters are
 * kept; only spaces between them are dropped). Phones compare by their digits, e-mail
 * addresses without case.
 */

/** `Kovács Anna` → `kovacsanna`; `王 小明` → `王小明`. */
export function matchKey(text: string): string {
  return nameWords(text).join('')
}

/** The words of a name, each without case or accents: the same name in either order is the same set. */
function nameWords(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLocaleLowerCase('en')
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/)
    .filter((word) => word !== '')
}

/** Digits only, and the last nine of them: `+36 30 123 4567` is `06-30-123-4567`. */
export function phoneKey(phone: string | undefined): string {
  const digits = (phone ?? '').replace(/\D/g, '')
  return digits.length >= 6 ? digits.slice(-9) : ''
}

export function emailKey(email: string | undefined): string {
  return (email ?? '').trim().toLocaleLowerCase('en')
}

export type MatchCandidate = { id: string; name: string; email?: string; phone?: string }
export type MatchReason = 'same-name' | 'name-starts' | 'name-contains' | 'phone' | 'email'
export type CustomerMatch<C extends MatchCandidate> = { customer: C; reason: MatchReason }

const rank: Record<MatchReason, number> = { email: 0, phone: 1, 'same-name': 2, 'name-starts': 3, 'name-contains': 4 }

/**
 * The likely matches for what was typed, best first: the same e-mail or phone, then the same
 * name (words in any order: Hungarian puts the family name first), then names that begin or
 * contain what was typed. A name shorter than two letters suggests nothing (one Chinese
 * character is enough: it is a whole syllable of a name).
 */
export function findCustomerMatches<C extends MatchCandidate>(
  typed: { name?: string; email?: string; phone?: string },
  customers: Iterable<C>,
  limit = 5,
): CustomerMatch<C>[] {
  const key = matchKey(typed.name ?? '')
  const sortedWords = nameWords(typed.name ?? '')
    .sort()
    .join(' ')
  const isLongEnough = key.length >= 2 || /\p{Script=Han}/u.test(key)
  const phone = phoneKey(typed.phone)
  const email = emailKey(typed.email)
  const found: CustomerMatch<C>[] = []
  for (const customer of customers) {
    let reason: MatchReason | undefined
    if (email !== '' && emailKey(customer.email) === email) reason = 'email'
    else if (phone !== '' && phoneKey(customer.phone) === phone) reason = 'phone'
    else if (isLongEnough) {
      const theirs = matchKey(customer.name)
      if (theirs === key || nameWords(customer.name).sort().join(' ') === sortedWords) reason = 'same-name'
      else if (theirs.startsWith(key)) reason = 'name-starts'
      else if (theirs.includes(key)) reason = 'name-contains'
    }
    if (reason) found.push({ customer, reason })
  }
  return found
    .sort((a, b) => rank[a.reason] - rank[b.reason] || a.customer.name.localeCompare(b.customer.name))
    .slice(0, limit)
}
