import { type Grumble, type Signal } from '../../src/shared/iceberg/schemas'
import { type CustomerPromise } from '../../src/shared/promises/promises'
import { freshSteps } from '../../src/shared/cases/recovery'
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

const staff = ['Anna', 'Béla', '王芳']
const departments = ['Kitchen', 'Front desk', 'Billing']
const later = (iso: string, hours: number) => new Date(Date.parse(iso) + hours * 3_600_000).toISOString()

/** A promise made on a case (~450 B of JSON): two in three are settled, kept or broken. */
export function makePromise(index: number, madeAt: string, caseId: string, customerId: string): CustomerPromise {
  const status = (['open', 'kept', 'broken', 'kept', 'renegotiated', 'cancelled'] as const)[index % 6] ?? 'open'
  const dueAt = later(madeAt, 24 + (index % 5) * 24)
  const isClosed = status !== 'open'
  return {
    id: `promise-${index}`,
    what:
      index % 2
        ? 'Call the customer back with the refund reference number.'
        : '周五前把退款凭证发给顾客并电话确认，同时说明延误原因。',
    customerId,
    caseId,
    madeBy: staff[index % 3] ?? 'Anna',
    department: departments[index % 3] ?? '',
    madeAt,
    dueAt,
    status,
    ...(isClosed ? { closedAt: later(dueAt, status === 'broken' ? 30 : -2), closedBy: staff[(index + 1) % 3] } : {}),
    ...(status === 'broken' ? { note: 'The refund reference was not ready in time.' } : {}),
    updatedAt: isClosed ? later(dueAt, 1) : madeAt,
  }
}

/** A grumble heard at the counter (~300 B of JSON): most name a customer, a category and a department. */
export function makeGrumble(index: number, heardAt: string, customerId: string): Grumble {
  const text = phrases[index % phrases.length] ?? ''
  return {
    id: `grumble-${index}`,
    text: text.slice(0, 50),
    heardAt,
    heardBy: staff[index % 3] ?? 'Anna',
    ...(index % 5 ? { customerId } : {}),
    category: builtInCategoryIds[index % builtInCategoryIds.length] ?? 'other',
    department: departments[index % 3] ?? '',
    suggestion: index % 4 === 0 ? 'Tell people at the door how long the wait is.' : '',
    createdAt: heardAt,
  }
}

/** A detected silent-churn signal (~800 B of JSON) with its baseline and value at risk; half closed. */
export function makeSignal(index: number, raisedAt: string, customerId: string): Signal {
  const detectedAt = later(raisedAt, 24 * 7)
  const isClosed = index % 2 === 0
  const level = index % 3 ? 'at-risk' : 'lost'
  return {
    id: `signal-${index}`,
    customerId,
    origin: 'detected',
    level,
    reasons: index % 3 ? ['overdue', 'frequency-falling'] : ['gone'],
    raisedAt,
    detectedAt,
    raisedBy: 'MakeGood',
    episode: `${customerId}@${raisedAt.slice(0, 10)}`,
    lastActivityAt: later(raisedAt, -24 * 30),
    baseline: { visits: 12 + (index % 30), usualIntervalDays: 14.5, averageSpend: 38.2, daysSinceLast: 41 },
    valueAtRisk: { averageSpend: 38.2, visitsPerYear: 25.2, horizonYears: 2, value: 1925.28 },
    note: '',
    department: departments[index % 3] ?? '',
    status: isClosed ? 'closed' : 'open',
    ...(isClosed
      ? {
          outcome: (['won-back', 'lost', 'false-alarm'] as const)[index % 3],
          outcomeNote: index % 4 ? 'Came back for the anniversary dinner.' : '打电话道歉后又来了两次。',
          closedAt: later(detectedAt, 72),
          closedBy: staff[index % 3],
        }
      : {}),
    timeline: [
      { at: detectedAt, by: 'MakeGood', type: 'raised', after: level, note: 'overdue, frequency-falling' },
      ...(isClosed
        ? [{ at: later(detectedAt, 72), by: staff[index % 3] ?? 'Anna', type: 'outcome', after: 'won-back' }]
        : []),
    ],
  }
}

/**
 * The stored fields of a ladder escalation of long waits (`esc-1`) raised on 1 October 2026 by the
 * sweep, with no evidence; `fields` replace any of them.
 */
export function escalationFields(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'esc-1',
    rule: 'heinrich-ladder',
    patternKey: 'heinrich-ladder/long-wait',
    subject: { category: 'long-wait' },
    severity: 'medium',
    status: 'raised',
    evidence: [],
    firstRaisedAt: '2026-10-01T00:00:00.000Z',
    lastSeenAt: '2026-10-02T00:00:00.000Z',
    updatedAt: '2026-10-02T00:00:00.000Z',
    history: [{ at: '2026-10-01T00:00:00.000Z', by: 'sweep', type: 'raised' }],
    ...fields,
  }
}
