import { freshSteps } from '../../src/shared/recovery'
import { type Case, type Customer, builtInCategoryIds } from '../../src/shared/schemas'

const phrases = [
  'The soup arrived cold and the waiter did not come back for twenty minutes.',
  '等了四十分钟才上菜，服务员态度也很冷淡，希望能给个说法。',
  'Charged twice for the same booking; the refund promised on the phone never came.',
  'A pontos időpont ellenére egy órát vártunk, és senki nem szólt, miért.',
]

/** A realistic case (~1–2 KB of JSON) received in the given month; `version` goes in the summary. */
export function makeCase(index: number, receivedAt: string, version = 1, customerId = `cust-${index % 5000}`): Case {
  const text = phrases[index % phrases.length] ?? ''
  return {
    id: `case-${index}`,
    number: `C-${receivedAt.slice(0, 4)}-${String(index + 1).padStart(6, '0')}`,
    customerId,
    summary: `v${version} ${text.slice(0, 60)}`,
    description: `${text} ${text}`,
    remedySought: 'A refund and an apology from the manager.',
    channel: 'formal',
    source: 'phone',
    category: builtInCategoryIds[index % builtInCategoryIds.length] ?? 'other',
    severity: index % 7 === 0 ? 'major' : 'minor',
    department: ['Kitchen', 'Front desk', 'Billing'][index % 3] ?? '',
    owner: ['Anna', 'Béla', '王芳'][index % 3] ?? '',
    status: index % 3 === 0 ? 'closed' : 'open',
    receivedAt,
    steps: freshSteps(),
    timeline: [
      { at: receivedAt, by: 'Anna', type: 'created', after: text.slice(0, 60) },
      { at: receivedAt, by: 'Anna', type: 'step', field: 'empathise', note: 'Called back the same day.' },
    ],
    updatedAt: receivedAt,
  }
}

export function makeCustomer(index: number): Customer {
  return {
    id: `cust-${index}`,
    name: index % 4 === 1 ? `王小明 ${index}` : `Customer ${index}`,
    email: `customer${index}@example.com`,
    notes: index % 10 === 0 ? 'Prefers a call in the afternoon.' : '',
    createdAt: '2024-01-01T09:00:00.000Z',
  }
}

/** The month `index` falls in over `months` months ending 2026-11. */
export function monthIso(index: number, months: number, day = 15): string {
  const back = index % months
  const date = new Date(Date.UTC(2026, 10 - back, day, 9, index % 60, 0))
  return date.toISOString()
}
